// What the link check reads in a Markdown file: its links (outside code) and its headings' anchors.
// Pure text in, plain values out.

export interface MarkdownLink {
  readonly line: number;
  /** The destination as written, minus angle brackets and title: `docs/adr/0001-kafka-client.md#decision`. */
  readonly target: string;
}

const fence = /^\s{0,3}(`{3,}|~{3,})/;

/** The file's lines with fenced code blocks blanked, so nothing inside them counts. */
function proseLines(text: string): string[] {
  const lines = text.split('\n');
  let open: string | undefined;
  return lines.map((line) => {
    const marker = fence.exec(line)?.[1];
    if (open !== undefined) {
      if (marker !== undefined && marker[0] === open[0] && marker.length >= open.length) open = undefined;
      return '';
    }
    if (marker !== undefined) {
      open = marker;
      return '';
    }
    return line;
  });
}

/** Inline code spans replaced by spaces (same length, so columns stay). */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));
}

const inlineLink = /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const referenceDefinition = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;

/** Inline links, images and reference definitions outside code. */
export function markdownLinks(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  proseLines(text).forEach((raw, index) => {
    const line = withoutCodeSpans(raw);
    const push = (destination: string) =>
      links.push({ line: index + 1, target: destination.replace(/^<|>$/g, '') });
    const definition = referenceDefinition.exec(line);
    if (definition?.[1] !== undefined) push(definition[1]);
    for (const match of line.matchAll(inlineLink)) if (match[1] !== undefined) push(match[1]);
  });
  return links;
}

/** The text a Markdown renderer shows for a heading: links, emphasis and code marks dropped. */
function headingText(source: string): string {
  return source
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .trim();
}

/** GitHub's anchor for a heading text: lower case, punctuation dropped, spaces to `-`. */
function headingSlug(text: string): string {
  return headingText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor the file's ATX headings give, repeated headings numbered `-1`, `-2` as GitHub does. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * The file's text with links blanked, for scanning prose for doc paths named in passing (links are
 * checked as links, and their labels often repeat a file name).
 */
export function withoutLinks(text: string): string {
  return text
    .replace(inlineLink, (link) => ' '.repeat(link.length))
    .replace(new RegExp(referenceDefinition.source, 'gm'), (definition) => ' '.repeat(definition.length));
}

// The link check's decision (`scripts/check-links.ts` is its adapter): given the repository's
// files and the texts it reads, every relative Markdown link must name an existing file (and
// heading, for `#anchor`s into Markdown), and every doc path named in a comment or in passing
// (`docs/adr/0004-pdq-index.md`, `packages/hashing/README.md`) must exist. Nothing may point outside
// the repository: a clone alone has to explain itself.
import { posix } from 'node:path';
import { headingAnchors, markdownLinks, withoutLinks } from './markdown.ts';
import { sourceComments } from './source-comments.ts';

export interface RepositoryFile {
  /** Repository-relative, `/`-separated. */
  readonly path: string;
  readonly text: string;
}

export interface LinkCheckInput {
  /** The files to read: Markdown, sources, scripts, JSON. */
  readonly files: readonly RepositoryFile[];
  /** Every file of the repository (repository-relative); folders are derived from them. */
  readonly paths: Iterable<string>;
}

type LinkProblemKind = 'missing-file' | 'missing-anchor' | 'outside-repository';

export interface LinkProblem {
  readonly file: string;
  readonly line: number;
  readonly reference: string;
  readonly kind: LinkProblemKind;
}

type Resolution = { readonly found: string } | { readonly problem: 'missing-file' | 'outside-repository' };

/** A doc path named in text: a `.md` file, maybe with an anchor; URLs and `<placeholders>` never match. */
const docPathMention = /(?<![\w@./:<>-])\/?(?:[\w@.-]+\/)*[\w@-][\w@.-]*\.md(?:#[\w-]+)?(?![\w/-])/g;
const hasScheme = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

function escapes(path: string): boolean {
  return path === '..' || path.startsWith('../') || posix.isAbsolute(path);
}

function existingPaths(paths: Iterable<string>): Set<string> {
  const existing = new Set<string>(['.']);
  for (const path of paths) {
    for (let at = path; at !== '.' && at !== ''; at = posix.dirname(at)) existing.add(at);
  }
  return existing;
}

function resolveFrom(bases: readonly string[], reference: string, existing: Set<string>): Resolution {
  let outside = false;
  for (const base of bases) {
    const candidate = posix.normalize(posix.join(base, reference)).replace(/\/$/, '');
    if (escapes(candidate)) outside = true;
    else if (existing.has(candidate)) return { found: candidate };
  }
  return { problem: outside ? 'outside-repository' : 'missing-file' };
}

/** Where a Markdown renderer takes a link: relative to the file, or to the root for `/x`. */
function resolveLink(file: string, path: string, existing: Set<string>): Resolution {
  if (path.startsWith('/')) return resolveFrom(['.'], path.slice(1), existing);
  return resolveFrom([posix.dirname(file)], path, existing);
}

/**
 * A path named in passing may be relative to the file or to the repository root (`docs/...`);
 * a bare name (`README.md`) is looked for in the file's folder and each folder above it.
 */
function resolveMention(file: string, path: string, existing: Set<string>): Resolution {
  if (path.startsWith('/')) return { problem: 'outside-repository' };
  const dir = posix.dirname(file);
  if (path.startsWith('./') || path.startsWith('../')) return resolveFrom([dir, '.'], path, existing);
  const bases: string[] = [];
  for (let at = dir; ; at = posix.dirname(at)) {
    bases.push(at);
    if (at === '.') break;
  }
  return resolveFrom(bases, path, existing);
}

/** Every broken reference, in file and line order; an empty list means the docs hold together. */
export function findBrokenLinks(input: LinkCheckInput): LinkProblem[] {
  const existing = existingPaths(input.paths);
  const markdown = new Map<string, string>();
  for (const file of input.files) if (file.path.endsWith('.md')) markdown.set(file.path, file.text);
  const anchorsCache = new Map<string, Set<string>>();
  const anchorsOf = (path: string): Set<string> | undefined => {
    const text = markdown.get(path);
    if (text === undefined) return undefined;
    let anchors = anchorsCache.get(path);
    if (anchors === undefined) {
      anchors = headingAnchors(text);
      anchorsCache.set(path, anchors);
    }
    return anchors;
  };

  const problems: LinkProblem[] = [];
  const check = (file: string, line: number, reference: string, resolve: typeof resolveLink) => {
    const hash = reference.indexOf('#');
    const path = safeDecode(hash === -1 ? reference : reference.slice(0, hash));
    const anchor = hash === -1 ? undefined : safeDecode(reference.slice(hash + 1));
    let target = file;
    if (path !== '') {
      const resolution = resolve(file, path, existing);
      if ('problem' in resolution) {
        problems.push({ file, line, reference, kind: resolution.problem });
        return;
      }
      target = resolution.found;
    }
    if (anchor === undefined || anchor === '') return;
    const anchors = anchorsOf(target);
    if (anchors !== undefined && !anchors.has(anchor.toLowerCase())) {
      problems.push({ file, line, reference, kind: 'missing-anchor' });
    }
  };
  const checkMentions = (file: string, firstLine: number, text: string) => {
    text.split('\n').forEach((line, offset) => {
      for (const match of line.matchAll(docPathMention))
        check(file, firstLine + offset, match[0], resolveMention);
    });
  };

  for (const { path, text } of input.files) {
    if (path.endsWith('.md')) {
      for (const link of markdownLinks(text)) {
        if (!hasScheme.test(link.target)) check(path, link.line, link.target, resolveLink);
      }
      checkMentions(path, 1, withoutLinks(text));
      continue;
    }
    for (const comment of sourceComments(path, text) ?? []) checkMentions(path, comment.line, comment.text);
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const explanation: Record<LinkProblemKind, string> = {
  'missing-file': 'no such file in the repository',
  'missing-anchor': 'no such heading in the file it names',
  'outside-repository': 'points outside the repository; write what it needs into docs/',
};

/** One line per problem: `file:line: reference: what is wrong`. */
export function formatLinkProblem(problem: LinkProblem): string {
  return `${problem.file}:${problem.line}: ${problem.reference}: ${explanation[problem.kind]}`;
}

/** How much of a document the sniff looks at: enough for a declaration, comments and the root tag. */
const sniffBytes = 64 * 1024;
const sniffDecoder = new TextDecoder('utf-8');

/**
 * Cheap root-element sniff to tell documents apart: `report`, `fileDetails`, another element
 * name (as written, prefix included), or null when the bytes do not start like XML. It skips
 * a BOM, whitespace, the XML declaration, comments, processing instructions and a DOCTYPE, and
 * validates nothing: `parseReportDocument` and `parseFileDetailsDocument` do that.
 */
export function xmlRootElement(bytes: Buffer): string | null {
  const text = sniffDecoder.decode(bytes.subarray(0, sniffBytes));
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skipPast = (terminator: string): boolean => {
    const end = text.indexOf(terminator, at);
    if (end < 0) return false;
    at = end + terminator.length;
    return true;
  };
  for (;;) {
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) at += 1;
    if (text.startsWith('<?', at)) {
      if (!skipPast('?>')) return null;
    } else if (text.startsWith('<!--', at)) {
      if (!skipPast('-->')) return null;
    } else if (text.startsWith('<!DOCTYPE', at)) {
      // An internal subset ends with `]`, then the declaration with `>`.
      const bracket = text.indexOf('[', at);
      const close = text.indexOf('>', at);
      if (bracket >= 0 && bracket < close && !skipPast(']')) return null;
      if (!skipPast('>')) return null;
    } else {
      const match = /^<([\p{L}_:][\p{L}\p{N}_.:\u00b7-]*)[\s/>]/u.exec(text.slice(at, at + 1024));
      return match === null ? null : match[1]!;
    }
  }
}

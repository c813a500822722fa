import { xmlRootElement } from '../xml/index.ts';

/**
 * What a document is: `json` by its name (`bundle.json`, or any `.json` handed over as a
 * document), otherwise XML told apart by its root element. `unreadable`: no root element could
 * be read (not XML, not well-formed, forbidden DOCTYPE...), so the XML parser's error says why;
 * `other`: well-formed XML with another root (an SVG image, say), which a package keeps as media.
 */
export type DocumentKind = 'json' | 'report' | 'fileDetails' | 'unreadable' | 'other';

export function documentKind(name: string, bytes: Buffer): DocumentKind {
  if (name.toLowerCase().endsWith('.json')) return 'json';
  const root = xmlRootElement(bytes);
  if (root === 'report' || root === 'fileDetails') return root;
  return root === null ? 'unreadable' : 'other';
}

/**
 * Entries of a ZIP or directory package read as documents (held in memory, bounded by
 * maxDocumentBytes): `bundle.json` at the root and every `.xml` entry. Everything else is media,
 * streamed to the sink.
 */
export function isDocumentCandidate(entryName: string): boolean {
  return entryName === 'bundle.json' || entryName.toLowerCase().endsWith('.xml');
}

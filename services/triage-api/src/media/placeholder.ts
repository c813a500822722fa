/**
 * What a media request answers for a file: a picture made from the image, or a placeholder. The
 * placeholder is generated here from the file's kind alone, never from its bytes, so nothing of a
 * video, a document or an undecodable file ever leaves the store.
 */
import type { SniffedMedia } from '@triage/hashing';

/** What a placeholder says the file is. */
export type PlaceholderKind = 'image' | 'video' | 'audio' | 'document' | 'file';

export type MediaPlan = { render: 'image' } | { render: 'placeholder'; kind: PlaceholderKind };

const documentTypes = new Set([
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-7z-compressed',
  'application/vnd.rar',
]);

/**
 * From the media type sniffed from the file's first bytes (never the partner's claim): decodable
 * images are rendered; images this build does not decode get the image placeholder; video,
 * audio, documents and anything unrecognised get theirs.
 */
export function planFor(sniffed: SniffedMedia): MediaPlan {
  if (sniffed.image === 'decodable') return { render: 'image' };
  if (sniffed.image === 'unsupported') return { render: 'placeholder', kind: 'image' };
  const [top] = sniffed.mediaType.split('/');
  if (top === 'video' || sniffed.mediaType === 'application/ogg')
    return { render: 'placeholder', kind: 'video' };
  if (top === 'audio') return { render: 'placeholder', kind: 'audio' };
  if (documentTypes.has(sniffed.mediaType)) return { render: 'placeholder', kind: 'document' };
  return { render: 'placeholder', kind: 'file' };
}

export const placeholderContentType = 'image/svg+xml';

const kinds: readonly PlaceholderKind[] = ['image', 'video', 'audio', 'document', 'file'];

/** A flat grey tile with a crossed-out frame and two words: no scripts, styles or links. */
function placeholderSvg(kind: PlaceholderKind): Buffer {
  return Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">' +
      '<rect width="160" height="160" fill="#d9d9d9"/>' +
      '<rect x="50" y="36" width="60" height="46" fill="none" stroke="#7a7a7a" stroke-width="4"/>' +
      '<line x1="46" y1="88" x2="114" y2="30" stroke="#7a7a7a" stroke-width="4"/>' +
      '<text x="80" y="112" font-family="sans-serif" font-size="15" text-anchor="middle" fill="#4d4d4d">no preview</text>' +
      `<text x="80" y="132" font-family="sans-serif" font-size="13" text-anchor="middle" fill="#4d4d4d">${kind}</text>` +
      '</svg>',
    'utf8',
  );
}

const placeholders = new Map(kinds.map((kind) => [kind, placeholderSvg(kind)]));

/** The placeholder of a kind (the same bytes every time). */
export function placeholderFor(kind: PlaceholderKind): Buffer {
  const svg = placeholders.get(kind);
  if (svg === undefined) throw new Error(`no placeholder for ${kind}`);
  return svg;
}

import { createHash } from 'node:crypto';

/** Elasticsearch refuses a whole bulk over one `_id` longer than this many bytes. */
const maxIdBytes = 512;

/**
 * A document's `_id` from its natural id (report, item, event, action, sha256): the id itself,
 * or for one too long to be an `_id`, `sha256:` and its hash. Deterministic either way, so a
 * re-delivered record lands on the same document.
 */
export function documentId(naturalId: string): string {
  if (Buffer.byteLength(naturalId, 'utf8') <= maxIdBytes) return naturalId;
  return `sha256:${createHash('sha256').update(naturalId).digest('hex')}`;
}

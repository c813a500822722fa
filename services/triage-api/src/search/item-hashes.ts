import { TriageError } from '@triage/errors';
import type { ItemHashes } from '@triage/hash-lists';
import { alias, run, type SearchDeps } from './case-store.ts';

const hex = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The hashes the pipeline computed for an item of a report (its items document: MD5, SHA-1,
 * SHA-256, PDQ). TRIAGE_CATEGORY_ITEM_UNKNOWN when the report has no such item, or the item has
 * no hash (a reported URL, a file whose bytes never arrived or that is not indexed yet).
 */
export async function itemHashes(deps: SearchDeps, reportId: string, itemId: string): Promise<ItemHashes> {
  const response = await run('read the item', () =>
    deps.client.search({
      index: alias(deps, 'items'),
      query: { bool: { filter: [{ term: { reportId } }, { term: { itemId } }] } },
      _source: ['md5', 'sha1', 'sha256', 'pdq', 'hashes.sha256'],
      size: 1,
    }),
  );
  const source = response.hits.hits[0]?._source as
    | { md5?: unknown; sha1?: unknown; sha256?: unknown; pdq?: unknown; hashes?: { sha256?: unknown } | null }
    | undefined;
  const hashes: ItemHashes = {
    md5: hex(source?.md5),
    sha1: hex(source?.sha1),
    sha256: hex(source?.hashes?.sha256) ?? hex(source?.sha256),
    pdq: hex(source?.pdq),
  };
  if (Object.values(hashes).every((value) => value === null)) {
    throw new TriageError('TRIAGE_CATEGORY_ITEM_UNKNOWN', 'The case has no hashed item with this id', {
      pointer: '/params/itemId',
    });
  }
  return hashes;
}

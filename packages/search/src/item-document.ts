import type { EnrichedItem } from '@triage/schemas';
import { documentId } from './document-id.ts';

/** An items document: the item's own facts, every hash at the top level (hash look-ups), its matches and dedupe facts. */
export type ItemDocument = EnrichedItem['item'] & {
  md5: string | null;
  sha1: string | null;
  pdq: string | null;
  hashes: EnrichedItem['hashes'];
  matches: EnrichedItem['matches'];
  dedupe: EnrichedItem['dedupe'];
  enrichment: EnrichedItem['enrichment'];
};

/** Deterministic id: the item id, so a re-delivered item overwrites itself. */
export function itemDocument(enriched: EnrichedItem): { id: string; document: ItemDocument } {
  const { item, hashes } = enriched;
  return {
    id: documentId(item.itemId),
    document: {
      ...item,
      md5: hashes?.md5 ?? null,
      sha1: hashes?.sha1 ?? null,
      pdq: hashes?.pdq ?? null,
      hashes,
      matches: enriched.matches,
      dedupe: enriched.dedupe,
      enrichment: enriched.enrichment,
    },
  };
}

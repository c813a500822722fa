import type { NetworkEnricher } from '@triage/enrichment';
import type { Logger } from '@triage/logging';
import type { RecordHandler } from '@triage/messaging';
import type { Codec, EnrichedItem } from '@triage/schemas';

export interface EnrichHandlerDeps {
  codec: Codec;
  enricher: NetworkEnricher;
  /** Deployed name of items.enriched. */
  itemsEnriched: string;
  logger: Logger;
}

/**
 * items.hashed (key reportId) -> items.enriched (key reportId): the hashed item unchanged plus
 * one enrichment per IP address and URL host. Lookups are stamped with the item's `receivedAt`,
 * not wall time, so a replay writes identical records; the sources' database versions say which
 * data answered. A bad IP or URL is an enrichment with `error` set, never a failed record.
 */
export function createEnrichHandler(deps: EnrichHandlerDeps): RecordHandler {
  return async (record) => {
    const hashed = deps.codec.decode('HashedItem', record.value ?? Buffer.alloc(0));
    const enrichment = deps.enricher.enrichItem(hashed.item, { lookedUpAt: hashed.item.receivedAt });
    const flagged = enrichment.filter((entry) => entry.error !== null);
    if (flagged.length > 0) {
      // Origins and codes only: the addresses themselves are personal data.
      deps.logger.debug(
        { itemId: hashed.item.itemId, flagged: flagged.map(({ origin, error }) => ({ origin, error })) },
        'item has unusable IP or URL values',
      );
    }
    const enriched: EnrichedItem = { ...hashed, enrichment };
    return [
      {
        topic: deps.itemsEnriched,
        key: hashed.item.reportId,
        value: deps.codec.encode('EnrichedItem', enriched),
      },
    ];
  };
}

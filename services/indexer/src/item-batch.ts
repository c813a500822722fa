import type { Codec, EnrichedItem } from '@triage/schemas';
import { itemDocument, type MediaDocument, mergeMediaDocument } from '@triage/search';
import { Contributions, type IndexerBatch, recordValue } from './indexer-batch.ts';
import { docKey, type SearchWriter, type WriteOp } from './search-writer.ts';

/**
 * The items group (items.enriched.v1): one items document per item, and the media document of
 * each file it carries (its hashes, the report that carries it, the sighting count).
 */
export function itemBatch(options: {
  codec: Codec;
  indices: { items: string; media: string };
}): () => IndexerBatch {
  const { codec, indices } = options;
  return () => {
    const items = new Map<string, WriteOp>();
    const media = new Map<string, EnrichedItem[]>();
    const contributions = new Contributions();
    return {
      add(record) {
        const enriched = codec.decode('EnrichedItem', recordValue(record));
        const { id, document } = itemDocument(enriched);
        items.set(id, { index: indices.items, id, action: 'index', document });
        contributions.add(docKey(indices.items, id), record);
        const sha256 = enriched.item.sha256;
        if (sha256 === null) return;
        media.set(sha256, [...(media.get(sha256) ?? []), enriched]);
        contributions.add(docKey(indices.media, sha256), record);
      },
      async write(writer: SearchWriter) {
        const itemRejections = await writer.write([...items.values()], () => false);
        const mediaRejections = await writer.merge<MediaDocument>({
          index: indices.media,
          ids: [...media.keys()],
          plan: (sha256, current) => ({
            action: 'index',
            document: mergeMediaDocument(current, { sha256, media: null, items: media.get(sha256) ?? [] }),
          }),
        });
        return contributions.failed(itemRejections, mediaRejections);
      },
    };
  };
}

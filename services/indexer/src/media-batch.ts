import type { Codec, Media } from '@triage/schemas';
import { type MediaDocument, mergeMediaDocument } from '@triage/search';
import { Contributions, type IndexerBatch, recordValue } from './indexer-batch.ts';
import { docKey, type SearchWriter } from './search-writer.ts';

/** The media group (media.v1): each distinct file's PDQ, near-duplicate cluster and first sighting. */
export function mediaBatch(options: { codec: Codec; index: string }): () => IndexerBatch {
  const { codec, index } = options;
  return () => {
    const media = new Map<string, Media>();
    const contributions = new Contributions();
    return {
      add(record) {
        const value = codec.decode('Media', recordValue(record));
        // media.v1 is written once per file; a second record of one file is the same facts.
        media.set(value.sha256, value);
        contributions.add(docKey(index, value.sha256), record);
      },
      async write(writer: SearchWriter) {
        const rejections = await writer.merge<MediaDocument>({
          index,
          ids: [...media.keys()],
          plan: (sha256, current) => ({
            action: 'index',
            document: mergeMediaDocument(current, { sha256, media: media.get(sha256) ?? null, items: [] }),
          }),
        });
        return contributions.failed(rejections);
      },
    };
  };
}

import type { Codec } from '@triage/schemas';
import { auditDocument } from '@triage/search';
import { Contributions, type IndexerBatch, recordValue } from './indexer-batch.ts';
import { docKey, type SearchWriter, type WriteOp } from './search-writer.ts';

/** The audit group (audit.v1, its own group): one document per event, never overwritten. */
export function auditBatch(options: { codec: Codec; index: string }): () => IndexerBatch {
  const { codec, index } = options;
  return () => {
    const ops: WriteOp[] = [];
    const contributions = new Contributions();
    return {
      add(record) {
        const { id, document } = auditDocument(codec.decode('AuditEvent', recordValue(record)));
        ops.push({ index, id, action: 'create', document });
        contributions.add(docKey(index, id), record);
      },
      async write(writer: SearchWriter) {
        return contributions.failed(await writer.write(ops, () => true));
      },
    };
  };
}

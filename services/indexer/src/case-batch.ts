import type { InboundRecord } from '@triage/messaging';
import type { Codec } from '@triage/schemas';
import {
  actionDocument,
  type CaseChanges,
  type CaseGuardView,
  caseGuardFields,
  documentId,
  newerCase,
  planCaseWrite,
  reportText,
} from '@triage/search';
import { Contributions, type IndexerBatch, recordValue } from './indexer-batch.ts';
import { docKey, type SearchWriter, type WriteOp } from './search-writer.ts';

export interface CaseBatchOptions {
  codec: Codec;
  /** Deployed input topic names. */
  topics: { cases: string; actions: string; reports: string };
  /** Concrete index names written. */
  indices: { cases: string; actions: string };
  /** Counts cases the guard dropped as older than the stored one. */
  onStaleCase(reportId: string): void;
}

/**
 * The cases group (cases.v1, triage.actions.v1 and reports.v1, co-partitioned by reportId): one
 * cases document per report, merged from the newest case, the actions' state and the newest
 * report's text; and one actions document per action.
 */
export function caseBatch(options: CaseBatchOptions): () => IndexerBatch {
  const { codec, topics, indices } = options;
  return () => {
    // By document id (the report id, hashed when too long for an `_id`).
    const changes = new Map<string, CaseChanges>();
    const actions: WriteOp[] = [];
    const contributions = new Contributions();
    const changesOf = (reportId: string, record: InboundRecord) => {
      const id = documentId(reportId);
      contributions.add(docKey(indices.cases, id), record);
      let entry = changes.get(id);
      if (entry === undefined) {
        entry = { reportId, case: null, actions: [], report: null };
        changes.set(id, entry);
      }
      return entry;
    };
    return {
      add(record) {
        const bytes = recordValue(record);
        if (record.topic === topics.cases) {
          const decoded = codec.decode('Case', bytes);
          const entry = changesOf(decoded.reportId, record);
          entry.case = newerCase(entry.case, decoded);
        } else if (record.topic === topics.actions) {
          const action = codec.decode('TriageAction', bytes);
          changesOf(action.reportId, record).actions.push(action);
          const { id, document } = actionDocument(action);
          actions.push({ index: indices.actions, id, action: 'create', document });
          contributions.add(docKey(indices.actions, id), record);
        } else {
          const report = codec.decode('Report', bytes);
          const entry = changesOf(report.reportId, record);
          const text = reportText(report);
          if (entry.report === null || text.version >= entry.report.version) entry.report = text;
        }
      },
      async write(writer: SearchWriter) {
        const actionRejections = await writer.write(actions, () => true);
        const caseRejections = await writer.merge<CaseGuardView>({
          index: indices.cases,
          ids: [...changes.keys()],
          sourceIncludes: caseGuardFields,
          plan(id, current) {
            const reportChanges = changes.get(id)!;
            const write = planCaseWrite(current, reportChanges);
            if (write.staleCase) options.onStaleCase(reportChanges.reportId);
            if (write.kind === 'index') return { action: 'index', document: write.document };
            if (write.kind === 'update') return { action: 'update', document: write.partial };
            return null;
          },
        });
        return contributions.failed(actionRejections, caseRejections);
      },
    };
  };
}

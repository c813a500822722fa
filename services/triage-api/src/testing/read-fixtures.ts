// Test helpers of the read routes: a recorder that keeps (or refuses) audit events in memory, and
// cases, items and actions written to a test's own indices with the indexer's document builders.
import type { AuditRecordInput } from '@triage/audit';
import type { Case, EnrichedItem, Media, Report, TriageAction } from '@triage/schemas';
import {
  actionDocument,
  ensureSearchIndices,
  indexNames,
  itemDocument,
  mergeMediaDocument,
  planCaseWrite,
  reportText,
  type SearchClient,
  type SearchIndexId,
  searchIndices,
} from '@triage/search';
import type { AuditRecorder } from '../audit/audited.ts';

export interface MemoryRecorder extends AuditRecorder {
  readonly events: AuditRecordInput[];
  /** Every following `record` rejects (as a trail whose broker is down) until set back. */
  failing: boolean;
}

export function memoryRecorder(): MemoryRecorder {
  const recorder: MemoryRecorder = {
    events: [],
    failing: false,
    async record(event) {
      if (recorder.failing) throw new Error('broker did not acknowledge');
      recorder.events.push(event);
      return { eventId: `memory/${recorder.events.length - 1}` };
    },
  };
  return recorder;
}

/** One report as the indexer would hold it: its newest case (null: none yet), report text, actions, items and their files. */
export interface SeedCase {
  reportId: string;
  case: Case | null;
  report?: Report;
  actions?: TriageAction[];
  items?: EnrichedItem[];
  media?: Media[];
}

/** Creates the indices under `prefix` and writes the seeds, searchable on return. */
export async function seedCases(
  client: SearchClient,
  prefix: string,
  seeds: readonly SeedCase[],
): Promise<void> {
  await ensureSearchIndices({ client, prefix, replicas: 0 });
  const index = (id: SearchIndexId) => indexNames(prefix, searchIndices[id]).index;
  const operations: object[] = [];
  for (const seed of seeds) {
    const write = planCaseWrite(null, {
      reportId: seed.reportId,
      case: seed.case,
      actions: seed.actions ?? [],
      report: seed.report === undefined ? null : reportText(seed.report),
    });
    if (write.kind !== 'index') throw new Error(`expected an index write, got ${write.kind}`);
    operations.push({ index: { _index: index('cases'), _id: seed.reportId } }, write.document);
    for (const action of seed.actions ?? []) {
      const { id, document } = actionDocument(action);
      operations.push({ index: { _index: index('actions'), _id: id } }, document);
    }
    for (const item of seed.items ?? []) {
      const { id, document } = itemDocument(item);
      operations.push({ index: { _index: index('items'), _id: id } }, document);
    }
    for (const media of seed.media ?? []) {
      const items = (seed.items ?? []).filter((item) => item.item.sha256 === media.sha256);
      const document = mergeMediaDocument(null, { sha256: media.sha256, media, items });
      operations.push({ index: { _index: index('media'), _id: media.sha256 } }, document);
    }
  }
  if (operations.length === 0) return;
  const response = await client.bulk({ refresh: true, operations });
  if (response.errors) throw new Error('seeding the test indices failed');
}

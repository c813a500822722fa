// The mappings against full records: the schemas' example of every record the indexer reads
// (every optional part filled) becomes a document its index accepts, with the fields a query uses.
import { randomUUID } from 'node:crypto';
import { recordExamples } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { actionDocument } from './action-document.ts';
import { auditDocument } from './audit-document.ts';
import { emptyTriageState, planCaseWrite, reportText } from './case-document.ts';
import { type IndexSpec, indexNames, searchIndices } from './index-catalogue.ts';
import { ensureSearchIndices } from './index-setup.ts';
import { itemDocument } from './item-document.ts';
import { mergeMediaDocument } from './media-document.ts';
import { useSearchFixture } from './testing/fixtures.ts';

describe('documents from the example records', () => {
  it('are accepted by their indices and found by their keys', async () => {
    await useSearchFixture(`s${randomUUID().slice(0, 8)}.`, async ({ client, prefix }) => {
      await ensureSearchIndices({ client, prefix, replicas: 0 });
      const { Case, Report, TriageAction, EnrichedItem, Media, AuditEvent } = recordExamples;
      const write = planCaseWrite(null, {
        reportId: Case.reportId,
        case: Case,
        actions: [TriageAction],
        report: reportText(Report),
      });
      if (write.kind !== 'index') throw new Error(`expected an index write, got ${write.kind}`);
      const item = itemDocument(EnrichedItem);
      const action = actionDocument(TriageAction);
      const audit = auditDocument(AuditEvent);
      const media = mergeMediaDocument(null, { sha256: Media.sha256, media: Media, items: [EnrichedItem] });
      const docs: [IndexSpec, string, object][] = [
        [searchIndices.cases, Case.reportId, write.document],
        [searchIndices.items, item.id, item.document],
        [searchIndices.media, Media.sha256, media],
        [searchIndices.actions, action.id, action.document],
        [searchIndices.audit, audit.id, audit.document],
      ];
      const response = await client.bulk({
        refresh: true,
        operations: docs.flatMap(([spec, id, document]) => [
          { index: { _index: indexNames(prefix, spec).index, _id: id } },
          document,
        ]),
      });
      expect(response.items.map((entry) => entry.index?.error ?? entry.index?.status)).toEqual([
        201, 201, 201, 201, 201,
      ]);
      const alias = (spec: IndexSpec) => indexNames(prefix, spec).alias;
      const count = async (spec: IndexSpec, query: object) =>
        (await client.count({ index: alias(spec), query })).count;
      expect(await count(searchIndices.cases, { term: { 'triage.actionCount': 1 } })).toBe(1);
      expect(
        await count(searchIndices.cases, { range: { 'report.receivedAt': { gte: Case.report.receivedAt } } }),
      ).toBe(1);
      expect(await count(searchIndices.items, { term: { sha256: EnrichedItem.item.sha256 } })).toBe(1);
      expect(await count(searchIndices.media, { term: { reportIds: EnrichedItem.item.reportId } })).toBe(1);
      expect(await count(searchIndices.audit, { term: { eventId: AuditEvent.eventId } })).toBe(1);
      expect(write.document.triage).not.toEqual(emptyTriageState);
    });
  });
});

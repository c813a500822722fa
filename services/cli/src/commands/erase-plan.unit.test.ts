// Issue 15 (report erasure, ADR 0020): what `triage erase` deletes, keeps and leaves behind.
import { pipelineTopics, stateTopics } from '@triage/messaging';
import { describe, expect, it } from 'vitest';
import { type ErasureSurvey, planErasure } from './erase-plan.ts';

const reportId = 'partner-a:CT-1';
const own = 'a'.repeat(64);
const shared = 'b'.repeat(64);
const gone = 'c'.repeat(64);

function survey(overrides: Partial<ErasureSurvey> = {}): ErasureSurvey {
  return {
    reportId,
    search: { cases: 2, items: 3, actions: 1, media: 2 },
    itemIds: [`${reportId}/f1`, `${reportId}/f2`],
    files: [
      { sha256: own, stored: true, otherReports: 0 },
      { sha256: shared, stored: true, otherReports: 2 },
      { sha256: gone, stored: false, otherReports: 0 },
    ],
    identifierRows: [`email:${'d'.repeat(64)}|${reportId}`],
    topicCopies: {
      cases: ['p.cases.v1', 'p.rebuild.rules-2.cases.v1'],
      scorerReports: ['p.scorer.reports.changelog.v1'],
      scorerItems: ['p.scorer.items.changelog.v1'],
      suspectIdentifiers: ['p.scorer.suspect-identifiers.v1'],
    },
    ...overrides,
  };
}

describe('planErasure', () => {
  it('given a file only the report carries and one another report carries too, then only the first is deleted', () => {
    const plan = planErasure(survey());
    expect(plan.deleteFiles).toEqual([own]);
    expect(plan.keepFiles).toEqual([
      { sha256: shared, otherReports: 2, stored: true },
      { sha256: gone, otherReports: 0, stored: false },
    ]);
  });

  it('given copies of the compacted topics, then every copy gets a tombstone under each of the report keys', () => {
    const { tombstones } = planErasure(survey());
    expect(tombstones).toEqual([
      { topic: 'p.cases.v1', key: reportId },
      { topic: 'p.rebuild.rules-2.cases.v1', key: reportId },
      { topic: 'p.scorer.reports.changelog.v1', key: reportId },
      { topic: 'p.scorer.items.changelog.v1', key: `${reportId}/f1` },
      { topic: 'p.scorer.items.changelog.v1', key: `${reportId}/f2` },
      { topic: 'p.scorer.suspect-identifiers.v1', key: `email:${'d'.repeat(64)}|${reportId}` },
    ]);
    expect(planErasure(survey()).nothingToErase).toBe(false);
  });

  it('given nothing left in search, no own file stored and no identifier rows, then there is nothing to erase', () => {
    const plan = planErasure(
      survey({
        search: { cases: 0, items: 0, actions: 0, media: 0 },
        itemIds: [],
        files: [{ sha256: shared, stored: true, otherReports: 1 }],
        identifierRows: [],
      }),
    );
    expect(plan.nothingToErase).toBe(true);
    expect(plan.deleteFiles).toEqual([]);
  });

  it('says what is left on the topics Kafka deletes only by retention, with their retention from the catalogue', () => {
    const left = new Map(planErasure(survey()).left.map((row) => [row.topic, row.until]));
    expect(left.get(pipelineTopics.bundles.name)).toBe('kept forever');
    expect(left.get(pipelineTopics.items.name)).toBe('30 days');
    expect(left.get(pipelineTopics.audit.name)).toBe('5 years');
    expect(left.get(stateTopics.dedupeSightings.name)).toBe('kept forever');
    expect(left.get('<input topic>.dlq')).toBe('30 days');
  });
});

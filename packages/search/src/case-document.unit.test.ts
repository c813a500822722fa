import { createCodec, type TriageAction } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  type CaseChanges,
  type CaseGuardView,
  caseRank,
  compareCaseRank,
  emptyTriageState,
  newerCase,
  planCaseWrite,
  reportText,
} from './case-document.ts';

const codec = createCodec();

function aCase(overrides: {
  version?: number;
  provisional?: boolean;
  itemsSeen?: number;
  updatedAt?: number;
  score?: number;
  tier?: 'P1' | 'P2' | 'P3' | 'P4';
}) {
  return codec.decode(
    'Case',
    codec.encode('Case', {
      reportId: 'tipline-test:1',
      version: 1,
      report: { partnerId: 'tipline-test', partnerReportId: '1', bundleId: 'b1', receivedAt: 1 },
      enrichment: {},
      score: 10,
      ruleVersion: 'r1',
      provisional: false,
      itemsExpected: 4,
      itemsSeen: 4,
      updatedAt: 1_000,
      ...overrides,
    }),
  );
}

function anAction(
  actionId: string,
  at: number,
  type: TriageAction['type'],
  payload: Record<string, string>,
): TriageAction {
  return {
    actionId,
    reportId: 'tipline-test:1',
    reportVersion: null,
    actor: 'a',
    role: 'analyst',
    type,
    payload,
    at,
    requestId: null,
  };
}

const changes = (overrides: Partial<CaseChanges>): CaseChanges => ({
  reportId: 'tipline-test:1',
  case: null,
  actions: [],
  report: null,
  ...overrides,
});

/** What Elasticsearch would hand back for a stored document of `value`. */
function stored(value: ReturnType<typeof aCase>, triage = emptyTriageState): CaseGuardView {
  const { reportId, version, provisional, itemsSeen, updatedAt, tier } = value;
  return {
    reportId,
    hasCase: true,
    version,
    provisional,
    itemsSeen,
    updatedAt,
    tier,
    reportText: null,
    triage,
  };
}

describe('caseRank', () => {
  it('orders by report version, then final over provisional, then items seen, then emission time', () => {
    const ordered = [
      aCase({ provisional: true, itemsSeen: 1, updatedAt: 9_000 }),
      aCase({ provisional: true, itemsSeen: 2, updatedAt: 1 }),
      aCase({ provisional: false, itemsSeen: 2, updatedAt: 1 }),
      aCase({ provisional: false, itemsSeen: 2, updatedAt: 2 }),
      aCase({ version: 2, provisional: true, itemsSeen: 0, updatedAt: 0 }),
    ].map(caseRank);
    for (let index = 1; index < ordered.length; index++) {
      expect(compareCaseRank(ordered[index]!, ordered[index - 1]!)).toBeGreaterThan(0);
      expect(compareCaseRank(ordered[index - 1]!, ordered[index]!)).toBeLessThan(0);
    }
    expect(compareCaseRank(ordered[0]!, ordered[0]!)).toBe(0);
  });

  it('newerCase keeps the newer of two, whichever comes first', () => {
    const older = aCase({ itemsSeen: 2, provisional: true, updatedAt: 5_000 });
    const newer = aCase({ itemsSeen: 4 });
    expect(newerCase(older, newer)).toBe(newer);
    expect(newerCase(newer, older)).toBe(newer);
    expect(newerCase(null, older)).toBe(older);
  });
});

describe('planCaseWrite', () => {
  const newer = aCase({ itemsSeen: 4, score: 80 });
  const older = aCase({ itemsSeen: 3, provisional: true, score: 10, updatedAt: 9_000 });

  it('given no document, when a case comes, then the whole document is indexed', () => {
    const write = planCaseWrite(null, changes({ case: newer }));
    expect(write).toMatchObject({
      kind: 'index',
      document: { hasCase: true, score: 80, triage: emptyTriageState },
    });
  });

  it('given a newer stored case, when an older case comes later, then nothing is written and it counts as stale', () => {
    expect(planCaseWrite(stored(newer), changes({ case: older }))).toEqual({ kind: 'none', staleCase: true });
  });

  it('given an older stored case, when the newer comes, then it replaces the case and keeps the stored state', () => {
    const triage = applyAction(emptyTriageState, anAction('a1', 1, 'status', { status: 'in_review' }));
    const write = planCaseWrite(stored(older, triage), changes({ case: newer }));
    expect(write).toMatchObject({ kind: 'index', document: { score: 80, triage: { status: 'in_review' } } });
  });

  it('given the same case again (a replay), then it is written again, not counted as stale', () => {
    expect(planCaseWrite(stored(newer), changes({ case: newer }))).toMatchObject({
      kind: 'index',
      staleCase: false,
    });
  });

  it('given a stale case and a new action in one batch, then only the state is updated', () => {
    const write = planCaseWrite(
      stored(newer),
      changes({ case: older, actions: [anAction('a1', 1, 'assign', { assignee: 'analyst-2' })] }),
    );
    expect(write).toMatchObject({
      kind: 'update',
      staleCase: true,
      partial: { triage: { assignee: 'analyst-2' } },
    });
  });

  it('given actions before any case, then a document without case fields holds their state', () => {
    const write = planCaseWrite(
      null,
      changes({ actions: [anAction('a1', 1, 'status', { status: 'closed' })] }),
    );
    expect(write).toEqual({
      kind: 'index',
      staleCase: false,
      document: {
        reportId: 'tipline-test:1',
        hasCase: false,
        reportText: null,
        triage: {
          ...emptyTriageState,
          status: 'closed',
          lastActionAt: 1,
          lastActionId: 'a1',
          actionCount: 1,
        },
        queueTier: null,
      },
    });
  });

  it('keeps the text of the newest report version', () => {
    const current = { ...stored(newer), reportText: { version: 2, text: 'second' } };
    expect(planCaseWrite(current, changes({ report: { version: 1, text: 'first' } }))).toEqual({
      kind: 'none',
      staleCase: false,
    });
    expect(planCaseWrite(current, changes({ report: { version: 3, text: 'third' } }))).toMatchObject({
      kind: 'update',
      partial: { reportText: { version: 3, text: 'third' } },
    });
  });
});

describe('queueTier: the queue follows a tier override', () => {
  const scoredP3 = aCase({ tier: 'P3', score: 30 });
  const override = anAction('o1', 10, 'tierOverride', { tier: 'P1', reason: 'invented reason' });

  it('given a case without an override, then the queue tier is the scored tier', () => {
    expect(planCaseWrite(null, changes({ case: scoredP3 }))).toMatchObject({
      kind: 'index',
      document: { tier: 'P3', queueTier: 'P3' },
    });
  });

  it('given the override before the case, when the case comes, then the override wins and the scored tier stays', () => {
    const first = planCaseWrite(null, changes({ actions: [override] }));
    expect(first).toMatchObject({ kind: 'index', document: { hasCase: false, queueTier: 'P1' } });
    if (first.kind !== 'index') throw new Error('expected an index write');
    const current: CaseGuardView = { ...first.document, hasCase: false };
    expect(planCaseWrite(current, changes({ case: scoredP3 }))).toMatchObject({
      kind: 'index',
      document: { tier: 'P3', queueTier: 'P1', triage: { tierOverride: 'P1' } },
    });
  });

  it('given the case before the override, when the override comes alone, then only the state and queue tier are updated', () => {
    expect(planCaseWrite(stored(scoredP3), changes({ actions: [override] }))).toEqual({
      kind: 'update',
      staleCase: false,
      partial: {
        triage: expect.objectContaining({ tierOverride: 'P1', lastActionId: 'o1' }),
        reportText: null,
        queueTier: 'P1',
      },
    });
  });

  it('given the override re-delivered after a later rescoring, then nothing changes and the override still wins', () => {
    const state = applyAction(emptyTriageState, override);
    expect(planCaseWrite(stored(scoredP3, state), changes({ actions: [override] }))).toEqual({
      kind: 'none',
      staleCase: false,
    });
    const rescored = aCase({ tier: 'P2', score: 55, itemsSeen: 5 });
    expect(
      planCaseWrite(stored(scoredP3, state), changes({ case: rescored, actions: [override] })),
    ).toMatchObject({
      kind: 'index',
      document: { tier: 'P2', queueTier: 'P1', triage: { actionCount: 1 } },
    });
  });

  it('given another action after an override, then the queue tier is recomputed from the stored scored tier', () => {
    const state = applyAction(emptyTriageState, override);
    const note = anAction('n1', 11, 'note', { text: 'invented note' });
    expect(planCaseWrite(stored(scoredP3, state), changes({ actions: [note] }))).toMatchObject({
      kind: 'update',
      partial: { queueTier: 'P1', triage: { actionCount: 2 } },
    });
  });
});

describe('applyAction', () => {
  it('folds assign, status, disposition, legal authority and tier override', () => {
    const state = [
      anAction('a1', 1, 'assign', { assignee: 'analyst-2' }),
      anAction('a2', 2, 'status', { status: 'in_review' }),
      anAction('a3', 3, 'disposition', { disposition: 'referred' }),
      anAction('a4', 4, 'legalAuthority', { reference: 'warrant-1' }),
      anAction('a5', 5, 'tierOverride', { tier: 'P1', reason: 'new facts' }),
      anAction('a6', 6, 'note', { text: 'invented note' }),
    ].reduce(applyAction, emptyTriageState);
    expect(state).toEqual({
      status: 'in_review',
      assignee: 'analyst-2',
      disposition: 'referred',
      tierOverride: 'P1',
      legalAuthority: 'warrant-1',
      lastActionAt: 6,
      lastActionId: 'a6',
      actionCount: 6,
    });
  });

  it('ignores an action already applied or older than the last one applied', () => {
    const first = applyAction(emptyTriageState, anAction('a2', 2, 'status', { status: 'closed' }));
    expect(applyAction(first, anAction('a2', 2, 'status', { status: 'closed' }))).toBe(first);
    expect(applyAction(first, anAction('a1', 1, 'status', { status: 'open' }))).toBe(first);
    // Same time: the action id breaks the tie.
    expect(applyAction(first, anAction('a3', 2, 'status', { status: 'open' })).status).toBe('open');
  });
});

describe('reportText', () => {
  it('joins the free-text fields of the report and skips empty ones', () => {
    const report = codec.decode(
      'Report',
      codec.encode('Report', {
        reportId: 'tipline-test:1',
        partnerId: 'tipline-test',
        partnerReportId: '1',
        version: 3,
        bundleId: 'b1',
        receivedAt: 1,
        itemCount: 0,
        platform: 'Example Chat',
        additionalInfo: 'invented text',
        escalateToHighPriority: '  ',
      }),
    );
    expect(reportText(report)).toEqual({ version: 3, text: 'Example Chat\ninvented text' });
  });
});

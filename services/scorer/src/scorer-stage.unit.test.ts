import { toTriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import { deadLetterRecord, type OutboundRecord } from '@triage/messaging';
import { type Case, createCodec, type EnrichedItem, type Report } from '@triage/schemas';
import { loadRules, parseRowKey, type ScoringRules } from '@triage/scoring';
import { describe, expect, it } from 'vitest';
import type { ReportEnricher } from './case-writer.ts';
import type { SavedOpenReport } from './open-reports.ts';
import type { ReportState } from './report-state.ts';
import { createScorerStage, type OpenReportsBook, type ScorerStage } from './scorer-stage.ts';
import { testIdentifierKeys } from './testing/index.ts';
import { inbound, makeItem, makeReport, memoryState, suspect } from './testing/scorer-fixtures.ts';

const codec = createCodec();
const rules = loadRules();
const logger = createLogger({ name: 'scorer-unit', level: 'silent' });
const topics = {
  reports: 't.reports.v1',
  itemsEnriched: 't.items.enriched.v1',
  cases: 't.cases.v1',
  suspectIdentifiers: 't.scorer.suspect-identifiers.v1',
};
const noEnrichment: ReportEnricher = { enrichReport: () => [] };

interface Harness {
  stage: ScorerStage;
  /** Hands records to the stage as one batch, then flushes; returns the batch's outputs and dead letters, as the runner writes them. */
  batch(...records: (Report | EnrichedItem)[]): Promise<OutboundRecord[]>;
  clock: { now: number };
}

function harness(
  options: {
    provisionalEvery?: number;
    quietMs?: number;
    enricher?: ReportEnricher;
    rules?: ScoringRules;
    openWindowMs?: number;
    /** Another instance's state (a restart over the same stores). */
    state?: ReportState;
    openBook?: OpenReportsBook;
    now?: number;
    erased?: ReadonlySet<string>;
  } = {},
): Harness {
  const clock = { now: options.now ?? Date.UTC(2026, 10, 28, 12) };
  const stage = createScorerStage({
    codec,
    state: options.state ?? memoryState([0]),
    ...(options.openWindowMs === undefined ? {} : { openWindowMs: options.openWindowMs }),
    ...(options.openBook === undefined ? {} : { openBook: options.openBook }),
    rules: options.rules ?? rules,
    enricher: options.enricher ?? noEnrichment,
    logger,
    topics,
    provisionalEvery: options.provisionalEvery ?? 100,
    quietMs: options.quietMs ?? 60_000,
    identifiers: { phoneRegion: 'NL', ...testIdentifierKeys },
    clock: () => clock.now,
    ...(options.erased === undefined
      ? {}
      : { erased: (record) => record.key !== null && options.erased!.has(record.key) }),
  });
  let offset = 0;
  return {
    stage,
    clock,
    async batch(...records) {
      const outputs: OutboundRecord[] = [];
      for (const record of records) {
        const isReport = 'reportId' in record;
        const value = isReport ? codec.encode('Report', record) : codec.encode('EnrichedItem', record);
        const key = isReport ? record.reportId : record.item.reportId;
        outputs.push(
          ...(await stage.handle(
            inbound(isReport ? topics.reports : topics.itemsEnriched, 0, offset++, key, value),
            {
              attempt: 1,
              signal: new AbortController().signal,
            },
          )),
        );
      }
      const flushed = stage.flush();
      const letters = flushed.failed.map(({ record, error }) =>
        deadLetterRecord({
          record,
          error: toTriageError(error),
          stage: 'scorer',
          attempt: 1,
          now: clock.now,
          codec,
        }),
      );
      return [...outputs, ...flushed.outputs, ...letters];
    },
  };
}

const casesIn = (outputs: OutboundRecord[]): Case[] =>
  outputs
    .filter((record) => record.topic === topics.cases)
    .map((record) => codec.decode('Case', record.value!));

const shape = (value: Case) => ({
  version: value.version,
  provisional: value.provisional,
  itemsSeen: value.itemsSeen,
  itemsExpected: value.itemsExpected,
});

/** A case without its emission time: what must be identical across orders and replays. */
const content = ({ updatedAt: _updatedAt, ...rest }: Case) => rest;

describe('scorer stage: aggregation', () => {
  it('given items before their report and in reverse order, when the report comes last, then one final case holds every item', async () => {
    const h = harness();
    const report = makeReport(codec, '1001', 3);
    const items = [2, 1, 0].map((index) => makeItem(codec, report, index));
    expect(casesIn(await h.batch(...items))).toEqual([]);
    const cases = casesIn(await h.batch(report));
    expect(cases.map(shape)).toEqual([{ version: 1, provisional: false, itemsSeen: 3, itemsExpected: 3 }]);
    expect(cases[0]!.items.map((item) => item.itemId)).toEqual(
      items.map((item) => item.item.itemId).reverse(),
    );
    expect(cases[0]!.ruleVersion).toBe(rules.ruleVersion);
  });

  it('given a report first, when its items come one batch at a time, then a provisional case on arrival and the final once all are in', async () => {
    const h = harness();
    const report = makeReport(codec, '1002', 2);
    expect(casesIn(await h.batch(report)).map(shape)).toEqual([
      { version: 1, provisional: true, itemsSeen: 0, itemsExpected: 2 },
    ]);
    expect(casesIn(await h.batch(makeItem(codec, report, 0)))).toEqual([]);
    expect(casesIn(await h.batch(makeItem(codec, report, 1))).map(shape)).toEqual([
      { version: 1, provisional: false, itemsSeen: 2, itemsExpected: 2 },
    ]);
  });

  it('given a report of 10 items and provisionalEvery 4, when items come one per batch, then provisional cases at 4 and 8 items, then the final', async () => {
    const h = harness({ provisionalEvery: 4 });
    const report = makeReport(codec, '1003', 10);
    const seen: ReturnType<typeof shape>[] = [];
    seen.push(...casesIn(await h.batch(report)).map(shape));
    for (let index = 0; index < 10; index++)
      seen.push(...casesIn(await h.batch(makeItem(codec, report, index))).map(shape));
    expect(seen.map((entry) => `${entry.provisional ? 'p' : 'F'}${entry.itemsSeen}`)).toEqual([
      'p0',
      'p4',
      'p8',
      'F10',
    ]);
  });

  it('given a whole report in one batch, when flushed, then the batch writes one case for it', async () => {
    const h = harness({ provisionalEvery: 2 });
    const report = makeReport(codec, '1004', 6);
    const outputs = await h.batch(
      report,
      ...[0, 1, 2, 3, 4, 5].map((index) => makeItem(codec, report, index)),
    );
    expect(casesIn(outputs).map(shape)).toEqual([
      { version: 1, provisional: false, itemsSeen: 6, itemsExpected: 6 },
    ]);
  });

  it('given a report with no items, when it arrives, then its case is final at once', async () => {
    const h = harness();
    expect(casesIn(await h.batch(makeReport(codec, '1005', 0))).map(shape)).toEqual([
      { version: 1, provisional: false, itemsSeen: 0, itemsExpected: 0 },
    ]);
  });

  it('given a complete report, when one of its items is delivered again, then the final case is written again (a crash may have lost it)', async () => {
    const h = harness();
    const report = makeReport(codec, '1006', 1);
    const item = makeItem(codec, report, 0);
    const [first] = casesIn(await h.batch(report, item));
    const [again] = casesIn(await h.batch(item));
    expect(again && content(again)).toEqual(first && content(first));
  });

  it('given an incomplete report, when an item is delivered again, then no case is written and the count does not move', async () => {
    const h = harness();
    const report = makeReport(codec, '1007', 3);
    await h.batch(report);
    await h.batch(makeItem(codec, report, 0));
    expect(casesIn(await h.batch(makeItem(codec, report, 0)))).toEqual([]);
    h.clock.now += 120_000;
    const [quiet] = casesIn(await Promise.resolve(h.stage.quietCases()));
    expect(quiet?.itemsSeen).toBe(1);
  });
});

describe('scorer stage: revisions', () => {
  it('given a complete version 1, when version 2 arrives, then version 2 supersedes: its items count, late version-1 items are ignored', async () => {
    const h = harness();
    const v1 = makeReport(codec, '2001', 2);
    await h.batch(v1, makeItem(codec, v1, 0), makeItem(codec, v1, 1));
    const v2 = makeReport(codec, '2001', 3, {
      version: 2,
      bundleId: 'bundle-2001-b',
      escalateToHighPriority: 'child in danger',
    });
    expect(casesIn(await h.batch(v2)).map(shape)).toEqual([
      { version: 2, provisional: true, itemsSeen: 0, itemsExpected: 3 },
    ]);
    expect(casesIn(await h.batch(makeItem(codec, v1, 0)))).toEqual([]);
    const cases = casesIn(await h.batch(...[0, 1, 2].map((index) => makeItem(codec, v2, index))));
    expect(cases.map(shape)).toEqual([{ version: 2, provisional: false, itemsSeen: 3, itemsExpected: 3 }]);
    expect(cases[0]!.report.bundleId).toBe('bundle-2001-b');
    expect(cases[0]!.reasons.map((reason) => reason.factor)).toContain('escalation');
  });

  it('given version 2 items before the version 2 report, when they arrive, then no case is written until that report comes', async () => {
    const h = harness();
    const v1 = makeReport(codec, '2002', 1);
    await h.batch(v1, makeItem(codec, v1, 0));
    const v2 = makeReport(codec, '2002', 1, { version: 2 });
    expect(casesIn(await h.batch(makeItem(codec, v2, 0)))).toEqual([]);
    // An old report arriving late changes nothing either.
    expect(casesIn(await h.batch(v1))).toEqual([]);
    expect(casesIn(await h.batch(v2)).map(shape)).toEqual([
      { version: 2, provisional: false, itemsSeen: 1, itemsExpected: 1 },
    ]);
  });
});

describe('scorer stage: quiet reports', () => {
  it('given a report whose last item never comes, when it has been quiet for quietMs, then one provisional case shows what it has', async () => {
    const h = harness({ quietMs: 60_000 });
    const report = makeReport(codec, '3001', 3);
    await h.batch(report);
    await h.batch(makeItem(codec, report, 0), makeItem(codec, report, 1));
    h.clock.now += 59_000;
    expect(h.stage.quietCases()).toEqual([]);
    h.clock.now += 2_000;
    const cases = casesIn(h.stage.quietCases());
    expect(cases.map(shape)).toEqual([{ version: 1, provisional: true, itemsSeen: 2, itemsExpected: 3 }]);
    expect(h.stage.counters.cases.quiet).toBe(1);
    // Shown once; nothing more until something changes.
    h.clock.now += 120_000;
    expect(h.stage.quietCases()).toEqual([]);
    // The missing item turns up after all (redriven from the dead letters): the final case follows.
    expect(casesIn(await h.batch(makeItem(codec, report, 2))).map(shape)).toEqual([
      { version: 1, provisional: false, itemsSeen: 3, itemsExpected: 3 },
    ]);
  });

  it('given a complete report, when the quiet time passes, then no case is written', async () => {
    const h = harness({ quietMs: 1_000 });
    const report = makeReport(codec, '3002', 1);
    await h.batch(report, makeItem(codec, report, 0));
    h.clock.now += 10_000;
    expect(h.stage.quietCases()).toEqual([]);
  });
});

describe('scorer stage: open reports (the heap holds these, the stores the rest)', () => {
  const window = 600_000;

  it('given a final report and an incomplete one shown quiet, when unchanged for the open window, then both leave the heap; a new item brings the incomplete one back to its final case', async () => {
    const h = harness({ quietMs: 60_000, openWindowMs: window });
    const done = makeReport(codec, '3101', 1);
    const open = makeReport(codec, '3102', 2);
    await h.batch(done, makeItem(codec, done, 0), open);
    await h.batch(makeItem(codec, open, 0));
    expect(h.stage.open.size).toBe(2);
    h.clock.now += 60_000;
    expect(casesIn(h.stage.quietCases()).map((value) => value.reportId)).toEqual([open.reportId]);
    h.clock.now += window - 60_000 - 1;
    expect(h.stage.quietCases()).toEqual([]);
    expect(h.stage.open.size).toBe(2);
    h.clock.now += 1;
    expect(h.stage.quietCases()).toEqual([]);
    expect(h.stage.open.size).toBe(0);
    // Off the heap, still in the store: the last item finds the first and completes the case.
    const cases = casesIn(await h.batch(makeItem(codec, open, 1)));
    expect(cases.map(shape)).toEqual([{ version: 1, provisional: false, itemsSeen: 2, itemsExpected: 2 }]);
    expect(h.stage.open.has(open.reportId)).toBe(true);
    expect(h.stage.open.has(done.reportId)).toBe(false);
  });

  it('given an incomplete report never shown (the timer did not run), when the open window has passed, then its quiet case is written before it closes', async () => {
    const h = harness({ quietMs: 60_000, openWindowMs: window });
    const report = makeReport(codec, '3103', 2);
    await h.batch(report);
    await h.batch(makeItem(codec, report, 0));
    h.clock.now += window * 3;
    expect(casesIn(h.stage.quietCases()).map(shape)).toEqual([
      { version: 1, provisional: true, itemsSeen: 1, itemsExpected: 2 },
    ]);
    expect(h.stage.open.size).toBe(1);
    h.clock.now += window;
    h.stage.quietCases();
    expect(h.stage.open.size).toBe(0);
  });

  it('given a closed report, when a report sharing its suspect arrives, then its case is written again with the link and it is open again', async () => {
    const a = harness({ openWindowMs: window });
    const b = harness({ openWindowMs: window });
    const reportA = makeReport(codec, '3111', 0, {
      personsReported: [suspect({ emails: ['late.link@example.org'] })],
    });
    const reportB = makeReport(codec, '3112', 0, {
      personsReported: [suspect({ emails: ['late.link@example.org'] })],
    });
    const outA = await a.batch(reportA);
    a.clock.now += window;
    a.stage.quietCases();
    expect(a.stage.open.size).toBe(0);
    const outB = await b.batch(reportB);
    const changed: string[] = [];
    for (const row of [...outA, ...outB].filter((record) => record.topic === topics.suspectIdentifiers)) {
      const identifier = a.stage.onIdentifierRow(row.key, codec.decode('SuspectIdentifier', row.value!));
      if (identifier) changed.push(identifier);
    }
    const relinked = casesIn(a.stage.relink(changed));
    expect(relinked.map((value) => [value.reportId, value.linkedReports])).toEqual([
      [reportA.reportId, [{ reportId: reportB.reportId, identifierType: 'email' }]],
    ]);
    expect(a.stage.open.has(reportA.reportId)).toBe(true);
    // Open again, it remembers what it showed: the same rows again write nothing.
    expect(a.stage.relink(changed)).toEqual([]);
  });

  it('given a restart with nothing saved, when the partition is first used, then one pass finds its incomplete reports (their quiet time starting then) and leaves the complete ones on disk', async () => {
    const state = memoryState([0]);
    const before = harness({ state });
    const done = makeReport(codec, '3121', 1);
    const open = makeReport(codec, '3122', 2);
    await before.batch(done, makeItem(codec, done, 0), open, makeItem(codec, open, 0));
    const after = harness({ state, now: before.clock.now + 3_600_000 });
    expect(after.stage.quietCases()).toEqual([]);
    expect([...after.stage.open.entries()].map(([reportId]) => reportId)).toEqual([open.reportId]);
    after.clock.now += 60_000;
    expect(casesIn(after.stage.quietCases()).map(shape)).toEqual([
      { version: 1, provisional: true, itemsSeen: 1, itemsExpected: 2 },
    ]);
  });

  it('given open reports saved at a clean stop, when the restarted stage uses the partition, then it takes them from the save (read once) and does not repeat a quiet case already shown', async () => {
    const state = memoryState([0]);
    const saves = new Map<number, SavedOpenReport[]>();
    const book: OpenReportsBook = {
      load(partition) {
        const saved = saves.get(partition) ?? null;
        saves.delete(partition);
        return saved;
      },
      save: (partition, reports) => void saves.set(partition, [...reports]),
    };
    const before = harness({ state, openBook: book });
    const open = makeReport(codec, '3131', 2);
    await before.batch(open);
    await before.batch(makeItem(codec, open, 0));
    before.clock.now += 60_000;
    expect(casesIn(before.stage.quietCases())).toHaveLength(1);
    before.stage.saveOpen();
    expect(saves.get(0)).toEqual([{ reportId: open.reportId, final: false, shown: { seen: 1, links: '' } }]);

    const after = harness({ state, openBook: book, now: before.clock.now + 3_600_000 });
    expect(after.stage.quietCases()).toEqual([]);
    expect(saves.has(0)).toBe(false);
    expect(after.stage.open.has(open.reportId)).toBe(true);
    after.clock.now += 120_000;
    expect(after.stage.quietCases()).toEqual([]);
  });
});

describe('scorer stage: repeat suspects', () => {
  /** Two instances (own state each) and the table every instance reads, fed with the rows both write. */
  function twoInstances() {
    const a = harness();
    const b = harness();
    const feed = (outputs: OutboundRecord[]) => {
      const rows = outputs.filter((record) => record.topic === topics.suspectIdentifiers);
      const changed = { a: [] as string[], b: [] as string[] };
      for (const row of rows) {
        const value = row.value === null ? null : codec.decode('SuspectIdentifier', row.value);
        const onA = a.stage.onIdentifierRow(row.key, value);
        const onB = b.stage.onIdentifierRow(row.key, value);
        if (onA) changed.a.push(onA);
        if (onB) changed.b.push(onB);
      }
      return changed;
    };
    return { a, b, feed };
  }

  const shared = 'Shared.Suspect+tag@Example.com';

  it('given report A on one instance, when report B with the same e-mail is scored on another, then B links A and A is re-emitted with B', async () => {
    const { a, b, feed } = twoInstances();
    const reportA = makeReport(codec, '4001', 0, { personsReported: [suspect({ emails: [shared] })] });
    const reportB = makeReport(codec, '4002', 0, {
      personsReported: [suspect({ emails: ['shared.suspect@example.com'] })],
    });
    const outA = await a.batch(reportA);
    expect(casesIn(outA)[0]!.linkedReports).toEqual([]);
    feed(outA);
    const outB = await b.batch(reportB);
    expect(casesIn(outB)[0]!.linkedReports).toEqual([
      { reportId: reportA.reportId, identifierType: 'email' },
    ]);
    const reasonsB = casesIn(outB)[0]!.reasons.map((reason) => reason.factor);
    expect(reasonsB).toContain('linked_reports');

    const changed = feed(outB);
    const relinked = casesIn(a.stage.relink(changed.a));
    expect(relinked.map((value) => [value.reportId, value.linkedReports])).toEqual([
      [reportA.reportId, [{ reportId: reportB.reportId, identifierType: 'email' }]],
    ]);
    expect(relinked[0]!.score).toBeGreaterThan(casesIn(outA)[0]!.score);
    // B's own instance has nothing new to say: B already listed A.
    expect(b.stage.relink(changed.b)).toEqual([]);
  });

  it('given both reports scored before either instance read the other row, when the rows arrive, then each instance re-emits its own report with the link', async () => {
    const { a, b, feed } = twoInstances();
    const reportA = makeReport(codec, '4011', 0, { personsReported: [suspect({ screenName: '@NightOwl' })] });
    const reportB = makeReport(codec, '4012', 0, { personsReported: [suspect({ screenName: 'nightowl' })] });
    const outA = await a.batch(reportA);
    const outB = await b.batch(reportB);
    const changed = { ...feed(outB) };
    const more = feed(outA);
    const relinkedA = casesIn(a.stage.relink([...changed.a, ...more.a]));
    const relinkedB = casesIn(b.stage.relink([...changed.b, ...more.b]));
    expect(relinkedA.map((value) => value.linkedReports)).toEqual([
      [{ reportId: reportB.reportId, identifierType: 'screenName' }],
    ]);
    expect(relinkedB.map((value) => value.linkedReports)).toEqual([
      [{ reportId: reportA.reportId, identifierType: 'screenName' }],
    ]);
  });

  it('given a report, when its rows are written, then keys and rows carry the keyed hash (HMAC) of the identifier under its key id, never the identifier', async () => {
    const h = harness();
    const report = makeReport(codec, '4021', 0, {
      personsReported: [
        suspect({
          emails: ['private.person@example.org'],
          phones: ['+31 6 12345678'],
          ipCaptureEvents: [{ ipAddress: '192.0.2.77' }],
        }),
      ],
    });
    const rows = (await h.batch(report)).filter((record) => record.topic === topics.suspectIdentifiers);
    expect(rows.map((row) => parseRowKey(row.key)?.identifier.split(':')[0]).sort()).toEqual([
      'email',
      'ip',
      'phone',
    ]);
    for (const row of rows) {
      const text = `${row.key} ${row.value?.toString('latin1')}`;
      expect(text).not.toMatch(/private|example\.org|612345678|192\.0\.2/);
      expect(row.key).toMatch(/^[a-zA-Z]+:dev:[0-9a-f]{64}\|tipline-test:4021$/);
    }
  });

  it('given a revision that drops an identifier, when it arrives, then that pair is removed from the table and the link goes', async () => {
    const { a, b, feed } = twoInstances();
    const v1 = makeReport(codec, '4031', 0, { personsReported: [suspect({ emails: [shared] })] });
    const other = makeReport(codec, '4032', 0, { personsReported: [suspect({ emails: [shared] })] });
    feed(await a.batch(v1));
    const outOther = await b.batch(other);
    expect(casesIn(outOther)[0]!.linkedReports).toHaveLength(1);
    feed(outOther);
    const v2 = makeReport(codec, '4031', 0, {
      version: 2,
      personsReported: [suspect({ emails: ['someone.else@example.com'] })],
    });
    const outV2 = await a.batch(v2);
    const tombstones = outV2.filter(
      (record) => record.topic === topics.suspectIdentifiers && record.value === null,
    );
    expect(tombstones.map((row) => parseRowKey(row.key)?.reportId)).toEqual([v1.reportId]);
    const changed = feed(outV2);
    expect(casesIn(b.stage.relink(changed.b)).map((value) => value.linkedReports)).toEqual([[]]);
  });
});

describe('scorer stage: replay and failures', () => {
  it('given the same records in another order and other batches, when replayed on a fresh instance, then the final cases are identical', async () => {
    const reports = [
      makeReport(codec, '5001', 4),
      makeReport(codec, '5002', 3, { incidentType: 'CHILD_PORNOGRAPHY', victims: [] }),
    ];
    const items = reports.flatMap((report) =>
      Array.from({ length: report.itemCount }, (_, index) => makeItem(codec, report, index)),
    );
    const finals = async (h: Harness, batches: (Report | EnrichedItem)[][]) => {
      const latest = new Map<string, Case>();
      for (const records of batches)
        for (const value of casesIn(await h.batch(...records))) latest.set(value.reportId, value);
      return new Map([...latest].map(([id, value]) => [id, content(value)]));
    };
    const first = await finals(harness({ provisionalEvery: 2 }), [[...reports, ...items]]);
    const shuffled = [...items].reverse();
    const second = await finals(harness({ provisionalEvery: 2 }), [
      shuffled.slice(0, 3),
      [reports[1]!],
      shuffled.slice(3, 5),
      [reports[0]!],
      shuffled.slice(5),
    ]);
    expect([...first.values()].every((value) => value.provisional === false)).toBe(true);
    expect(second).toEqual(first);
  });

  it('given a record that does not decode, when handled, then it throws a non-retryable error for the runner to dead-letter', async () => {
    const h = harness();
    await expect(
      h.stage.handle(inbound(topics.reports, 0, 1, 'k', Buffer.from('not avro')), {
        attempt: 1,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ retryable: false });
  });

  it('given a case that cannot be built, when flushed, then the record that made it due goes to its dead-letter topic with the code', async () => {
    const h = harness({
      enricher: {
        enrichReport: () => {
          throw new Error('broken lookup');
        },
      },
    });
    const report = makeReport(codec, '5101', 0);
    const outputs = await h.batch(report);
    expect(casesIn(outputs)).toEqual([]);
    const letters = outputs.filter((record) => record.topic === `${topics.reports}.dlq`);
    expect(letters).toHaveLength(1);
    const letter = codec.decode('DeadLetter', letters[0]!.value!);
    expect(letter).toMatchObject({
      stage: 'scorer',
      errorCode: 'TRIAGE_INTERNAL',
      originalTopic: topics.reports,
    });
    expect(codec.decode('Report', letter.value!)).toEqual(report);
    expect(h.stage.counters.failed).toBe(1);
  });

  it('given a second rules file with another weight, when the same report is scored, then the score and the rule version change', async () => {
    const changedRules = {
      ...rules,
      ruleVersion: `${rules.version}+0000abcd`,
      weights: { ...rules.weights, victimPresent: 60 },
    };
    const report = makeReport(codec, '5201', 0);
    const [before] = casesIn(await harness().batch(report));
    const [after] = casesIn(await harness({ rules: changedRules }).batch(report));
    expect(after!.score - before!.score).toBe(35);
    expect(after!.ruleVersion).toBe(`${rules.version}+0000abcd`);
  });
});

describe('scorer stage: erasure (ADR 0020)', () => {
  it('given a complete report held, when it is erased, then its report and items leave the state and its records are dropped after', async () => {
    const erased = new Set<string>();
    const state = memoryState([0]);
    const { stage, batch } = harness({ state, erased });
    const report = makeReport(codec, '801', 2);
    const other = makeReport(codec, '802', 1);
    await batch(
      report,
      makeItem(codec, report, 0),
      makeItem(codec, report, 1),
      other,
      makeItem(codec, other, 0),
    );
    expect(state.itemCount(0, report.reportId)).toBe(2);

    erased.add(report.reportId);
    expect(stage.erase(report.reportId)).toBe(3);
    expect(state.report(0, report.reportId)).toBeUndefined();
    expect(state.itemCount(0, report.reportId)).toBe(0);
    expect(stage.open.has(report.reportId)).toBe(false);
    expect(state.report(0, other.reportId)).toBeDefined();

    // A replay or a late record: nothing comes back, no case is written.
    const outputs = await batch(report, makeItem(codec, report, 0), makeItem(codec, report, 1));
    expect(outputs).toEqual([]);
    expect(state.report(0, report.reportId)).toBeUndefined();
    expect(stage.erase(report.reportId)).toBe(0);
  });
});

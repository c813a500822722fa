import { KnownHashIndex, knownHashKey, noMediaFacts } from '@triage/hash-lists';
import { createLogger } from '@triage/logging';
import { type Case, createCodec, type KnownHash } from '@triage/schemas';
import { loadRules } from '@triage/scoring';
import { describe, expect, it } from 'vitest';
import { rematchedItem } from './list-rematch.ts';
import { createScorerStage } from './scorer-stage.ts';
import { testIdentifierKeys } from './testing/index.ts';
import { inbound, makeItem, makeReport, memoryState } from './testing/scorer-fixtures.ts';

const codec = createCodec();
const lists = new Set(['police-confirmed']);
const topics = {
  reports: 't.reports.v1',
  itemsEnriched: 't.items.enriched.v1',
  cases: 't.cases.v1',
  suspectIdentifiers: 't.scorer.suspect-identifiers.v1',
};

const entry = (hashType: KnownHash['hashType'], value: string, listName = 'police-confirmed'): KnownHash => ({
  listName,
  listVersion: '1',
  hashType,
  value,
  category: 1,
  categoryLabel: 'child abuse material',
  source: 'triage-confirmed',
  mediaId: null,
  ...noMediaFacts,
  tags: [],
  importedAt: 0,
});

function indexOf(...entries: KnownHash[]): KnownHashIndex {
  const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
  for (const known of entries) index.apply(knownHashKey(known.listName, known.hashType, known.value), known);
  index.optimize();
  return index;
}

describe('rematchedItem', () => {
  const report = makeReport(codec, '7001', 1);
  const item = makeItem(codec, report, 0);
  const otherMatch = { ...entry('MD5', 'x'), listName: 'police-nl-vics', distance: 0, variant: null };

  it('given an entry of the list for the item, then its match is added and other lists\u2019 matches kept', () => {
    const withOther = { ...item, matches: [otherMatch] };
    const updated = rematchedItem(withOther, indexOf(entry('MD5', item.hashes!.md5)), lists);
    expect(updated?.matches.map((match) => match.listName).sort()).toEqual([
      'police-confirmed',
      'police-nl-vics',
    ]);
  });

  it('given nothing new for the item, then null (nothing to write); given its entry gone, then its match is dropped', () => {
    expect(rematchedItem(item, indexOf(), lists)).toBeNull();
    const matched = rematchedItem(item, indexOf(entry('SHA256', item.hashes!.sha256)), lists)!;
    expect(rematchedItem(matched, indexOf(entry('SHA256', item.hashes!.sha256)), lists)).toBeNull();
    expect(rematchedItem(matched, indexOf(), lists)?.matches).toEqual([]);
  });
});

describe('ScorerStage.rematch', () => {
  it('given a scored case whose file is confirmed later, then the case is written again with the list and a known item', async () => {
    const stage = createScorerStage({
      codec,
      state: memoryState([0]),
      rules: loadRules(),
      enricher: { enrichReport: () => [] },
      logger: createLogger({ name: 'rematch-unit', level: 'silent' }),
      topics,
      provisionalEvery: 100,
      quietMs: 60_000,
      identifiers: { phoneRegion: 'NL', ...testIdentifierKeys },
      clock: () => 0,
    });
    const report = makeReport(codec, '7002', 1);
    const item = makeItem(codec, report, 0);
    await stage.handle(inbound(topics.reports, 0, 0, report.reportId, codec.encode('Report', report)), {
      attempt: 1,
      signal: new AbortController().signal,
    });
    await stage.handle(
      inbound(topics.itemsEnriched, 0, 1, report.reportId, codec.encode('EnrichedItem', item)),
      {
        attempt: 1,
        signal: new AbortController().signal,
      },
    );
    const [first] = stage.flush().outputs;
    const before = codec.decode('Case', first!.value!);

    expect(stage.rematch(indexOf(), lists)).toEqual([]);
    const [again, ...more] = stage.rematch(indexOf(entry('MD5', item.hashes!.md5)), lists);
    expect(more).toEqual([]);
    const after: Case = codec.decode('Case', again!.value!);
    expect(after.items[0]).toMatchObject({ novelty: 'known', matchedLists: ['police-confirmed'] });
    // Known content scores differently from new content (the rules weigh novelty): re-scored, not copied.
    expect(after.score).not.toBe(before.score);
    expect(before.items[0]).toMatchObject({ matchedLists: [] });
    expect(stage.counters.cases.listMatch).toBe(1);
    // Applied once: the same list again changes nothing.
    expect(stage.rematch(indexOf(entry('MD5', item.hashes!.md5)), lists)).toEqual([]);
  });
});

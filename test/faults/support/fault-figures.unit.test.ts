import type { GroundTruth } from '@triage/feed';
import { describe, expect, it } from 'vitest';
import { faultFigures, type IndexedState } from './fault-figures.ts';

// Two reports sharing file `aa`: r1 carries f1 (aa) and one URL, r2 carries f2 (aa) and f3 (bb).
const truth = {
  reports: [
    { reportId: 'r1', tier: 'P1', fileCount: 1, urlCount: 1 },
    { reportId: 'r2', tier: 'P3', fileCount: 2, urlCount: 0 },
  ],
  items: [
    { itemId: 'r1/f1', sha256: 'aa' },
    { itemId: 'r2/f2', sha256: 'aa' },
    { itemId: 'r2/f3', sha256: 'bb' },
  ],
} as unknown as GroundTruth;

function settled(): IndexedState {
  return {
    items: [
      { id: 'r1/f1', itemId: 'r1/f1', reportId: 'r1', sha256: 'aa', ordinal: 1 },
      { id: 'r1/url:0', itemId: 'r1/url:0', reportId: 'r1', sha256: null, ordinal: null },
      { id: 'r2/f2', itemId: 'r2/f2', reportId: 'r2', sha256: 'aa', ordinal: 2 },
      { id: 'r2/f3', itemId: 'r2/f3', reportId: 'r2', sha256: 'bb', ordinal: 1 },
    ],
    cases: [
      { reportId: 'r1', tier: 'P1', provisional: false, itemsSeen: 2, itemsExpected: 2 },
      { reportId: 'r2', tier: 'P3', provisional: false, itemsSeen: 2, itemsExpected: 2 },
    ],
    media: [
      { sha256: 'aa', sightings: 2 },
      { sha256: 'bb', sightings: 1 },
    ],
  };
}

describe('faultFigures', () => {
  it('given indices holding exactly the truth, then nothing is lost, duplicated or different', () => {
    expect(faultFigures(settled(), truth)).toEqual({
      lost: 0,
      duplicated: 0,
      mismatches: [],
      items: 4,
      reports: 2,
    });
  });

  it('given an item without a document and a report without a case, then both count as lost', () => {
    const state = settled();
    const figures = faultFigures(
      {
        ...state,
        items: state.items.filter((item) => item.itemId !== 'r1/url:0'),
        cases: state.cases.slice(1),
      },
      truth,
    );
    expect(figures).toMatchObject({ lost: 2, duplicated: 0 });
  });

  it('given an item in two documents and a document the truth lacks, then each extra counts as duplicated', () => {
    const state = settled();
    const figures = faultFigures(
      {
        ...state,
        items: [
          ...state.items,
          { id: 'r2/f3', itemId: 'r2/f3', reportId: 'r2', sha256: 'bb', ordinal: 1 },
          { id: 'r9/f9', itemId: 'r9/f9', reportId: 'r9', sha256: 'cc', ordinal: 1 },
        ],
      },
      truth,
    );
    expect(figures).toMatchObject({ lost: 0, duplicated: 2 });
  });

  it('given a redelivery counted again (itemsSeen, sightings and an ordinal), then each count above the truth is duplicated', () => {
    const state = settled();
    const figures = faultFigures(
      {
        items: state.items.map((item) => (item.itemId === 'r2/f2' ? { ...item, ordinal: 1 } : item)),
        cases: state.cases.map((found) => (found.reportId === 'r2' ? { ...found, itemsSeen: 3 } : found)),
        media: [
          { sha256: 'aa', sightings: 3 },
          { sha256: 'bb', sightings: 1 },
        ],
      },
      truth,
    );
    expect(figures).toMatchObject({ lost: 0, duplicated: 3 });
  });

  it('given a wrong tier, a provisional case, a short count and a gap in ordinals, then each is a mismatch', () => {
    const state = settled();
    const figures = faultFigures(
      {
        items: state.items.map((item) => (item.itemId === 'r2/f2' ? { ...item, ordinal: 3 } : item)),
        cases: [
          { reportId: 'r1', tier: 'P2', provisional: true, itemsSeen: 1, itemsExpected: 2 },
          state.cases[1]!,
        ],
        media: state.media,
      },
      truth,
    );
    expect(figures.mismatches).toEqual([
      'r1: tier P2, truth P1',
      'r1: case still provisional',
      'r1: itemsSeen 1 of 2',
      'file aa: ordinals 1,3',
    ]);
    expect(figures).toMatchObject({ lost: 0, duplicated: 0 });
  });
});

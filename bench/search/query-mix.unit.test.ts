import { describe, expect, it } from 'vitest';
import { queryKinds, queryPlan, queryString } from './query-mix.ts';

describe('the query mix', () => {
  it('given a seed, when planned twice, then the same questions come in the same order, every kind interleaved', () => {
    const plan = queryPlan(5, 3);
    expect(plan).toEqual(queryPlan(5, 3));
    expect(plan.map((entry) => entry.kind)).toEqual([...queryKinds, ...queryKinds, ...queryKinds]);
  });

  it('given list filters, when written as a query string, then names repeat and values are encoded', () => {
    expect(
      queryString([
        ['tier', 'P1'],
        ['tier', 'P3'],
        ['q', 'a b'],
      ]),
    ).toBe('tier=P1&tier=P3&q=a%20b');
  });

  it('given full-text samples, when planned, then each asks two words', () => {
    const texts = queryPlan(5, 20).filter((entry) => entry.kind === 'full text');
    for (const { params } of texts) expect(params[0]![1].split(' ')).toHaveLength(2);
  });
});

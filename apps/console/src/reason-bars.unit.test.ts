import { describe, expect, it } from 'vitest';
import { reasonBars, signed } from './reason-bars.ts';

describe('reasons to bars', () => {
  it('given factors and a floor, then the floor comes first with no length and the factors scale to the largest', () => {
    const bars = reasonBars([
      { factor: 'content_novelty', value: 'new: 4 of 4', contribution: 20 },
      { factor: 'floor:known_content', value: null, contribution: 0 },
      { factor: 'home_jurisdiction', value: 'NL', contribution: 40 },
      { factor: 'possible_proxy', contribution: -10 },
    ]);
    expect(bars.map((bar) => [bar.label, bar.kind, bar.percent])).toEqual([
      ['floor: known content', 'floor', 0],
      ['home jurisdiction', 'raises', 100],
      ['content novelty', 'raises', 50],
      ['possible proxy', 'lowers', 25],
    ]);
    expect(bars[1]!.detail).toBe('NL');
    expect(bars[3]!.detail).toBeNull();
  });

  it('given no reasons or only zero contributions, then no bar has a length', () => {
    expect(reasonBars([])).toEqual([]);
    expect(reasonBars([{ factor: 'x', contribution: 0 }])[0]!.percent).toBe(0);
  });

  it('given contributions, then their text carries the sign', () => {
    expect([signed(25), signed(-5), signed(0)]).toEqual(['+25', '-5', '0']);
  });
});

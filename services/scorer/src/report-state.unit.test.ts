import type { KeyedStore } from '@triage/messaging';
import type { EnrichedItem, Report } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { storeState } from './report-state.ts';

/** An item store whose group iterators say whether they were closed (a store on disk frees its cursor then). */
function itemStore(itemIds: readonly string[]) {
  const iterators = { opened: 0, closed: 0 };
  const item = (itemId: string) => ({ item: { itemId, reportId: 'r1', reportVersion: 2 } }) as EnrichedItem;
  const store = {
    groupKeys: () => {
      iterators.opened += 1;
      return (function* () {
        try {
          yield* itemIds;
        } finally {
          iterators.closed += 1;
        }
      })();
    },
    get: (_partition: number, itemId: string) => (itemIds.includes(itemId) ? item(itemId) : undefined),
  } as unknown as KeyedStore<EnrichedItem>;
  return { store, iterators };
}

describe('storeState', () => {
  it('given a report with items, when its first item is read, then the group iteration is closed behind it', () => {
    const { store, iterators } = itemStore(['r1/0', 'r1/1', 'r1/2']);
    const state = storeState({} as KeyedStore<Report>, store);
    for (let read = 0; read < 3; read++) expect(state.firstItem(0, 'r1')?.item.itemId).toBe('r1/0');
    expect(iterators).toEqual({ opened: 3, closed: 3 });
  });

  it('given a report without items, when its first item is read, then undefined and the iteration closed', () => {
    const { store, iterators } = itemStore([]);
    expect(storeState({} as KeyedStore<Report>, store).firstItem(0, 'r1')).toBeUndefined();
    expect(iterators).toEqual({ opened: 1, closed: 1 });
  });
});

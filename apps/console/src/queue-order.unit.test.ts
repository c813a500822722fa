import { describe, expect, it } from 'vitest';
import { lastOpened, nextCase, rememberOpened, rememberOrder } from './queue-order.ts';

/** The Storage calls queue-order makes, over a Map (no browser in the unit tier). */
function memoryStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (key) => void values.delete(key),
    setItem: (key, value) => void values.set(key, value),
  };
}

describe('queue order for n', () => {
  it('given the queue page last shown, then n goes to the case after the current one, none after the last', () => {
    const storage = memoryStorage();
    rememberOrder(storage, ['a:1', 'b:2', 'c:3']);
    expect(nextCase(storage, 'a:1')).toBe('b:2');
    expect(nextCase(storage, 'c:3')).toBeNull();
  });

  it('given nothing remembered or something unreadable, then there is no next case', () => {
    const storage = memoryStorage();
    expect(nextCase(storage, 'a:1')).toBeNull();
    storage.setItem('triage.console.queue-order', '{not json');
    expect(nextCase(storage, 'a:1')).toBeNull();
    storage.setItem('triage.console.queue-order', '{"a":1}');
    expect(nextCase(storage, 'a:1')).toBeNull();
  });

  it('given a case opened, then the queue knows which row to select again', () => {
    const storage = memoryStorage();
    expect(lastOpened(storage)).toBeNull();
    rememberOpened(storage, 'b:2');
    expect(lastOpened(storage)).toBe('b:2');
  });
});

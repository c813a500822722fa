import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.ts';

const keysOf = (cache: LruCache<number>, keys: string[]) =>
  keys.filter((key) => cache.get(key) !== undefined);

describe('LruCache', () => {
  it('given more keys than its limit, then it drops the least recently used, reads counting as use', () => {
    const cache = new LruCache<number>(3);
    for (const [index, key] of ['a', 'b', 'c'].entries()) cache.set(key, index);
    expect(cache.get('a')).toBe(0);
    cache.set('d', 3);
    cache.set('e', 4);
    // b and c were the oldest after a was read.
    expect(keysOf(cache, ['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'd', 'e']);
  });

  it('given many evictions after deletes and re-inserts, then it keeps exactly the last limit keys used', () => {
    const cache = new LruCache<number>(100);
    const used: string[] = [];
    for (let n = 0; n < 10_000; n++) {
      const key = `k${(n * 7919) % 1_000}`;
      if (n % 13 === 0) cache.delete(key);
      else cache.set(key, n);
      const at = used.indexOf(key);
      if (at !== -1) used.splice(at, 1);
      if (n % 13 !== 0) used.push(key);
    }
    const expected = used.slice(-100);
    expect(keysOf(cache, [...expected].reverse()).sort()).toEqual([...expected].sort());
  });

  it('given a limit of 0, then it keeps nothing; deletePrefix drops one partition only', () => {
    const none = new LruCache<number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
    const cache = new LruCache<number>(10);
    for (const key of ['1\u0000a', '1\u0000b', '2\u0000a']) cache.set(key, 1);
    cache.deletePrefix('1\u0000');
    expect(keysOf(cache, ['1\u0000a', '1\u0000b', '2\u0000a'])).toEqual(['2\u0000a']);
  });
});

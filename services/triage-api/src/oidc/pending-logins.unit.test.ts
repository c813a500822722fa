import { describe, expect, it } from 'vitest';
import { pendingLogins } from './pending-logins.ts';

const clock = () => {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('pending sign-ins', () => {
  it('given a state taken once, then its verifier, and nothing the second time', () => {
    const logins = pendingLogins({ ttlMs: 60_000, maxEntries: 10 });
    logins.put('state-1', 'verifier-1');
    expect(logins.take('state-1')).toBe('verifier-1');
    expect(logins.take('state-1')).toBeUndefined();
    expect(logins.take('never-issued')).toBeUndefined();
  });

  it('given a state older than the TTL, then refused and dropped', () => {
    const time = clock();
    const logins = pendingLogins({ ttlMs: 60_000, maxEntries: 10, now: time.now });
    logins.put('state-1', 'verifier-1');
    time.advance(60_000);
    expect(logins.take('state-1')).toBeUndefined();
    expect(logins.size()).toBe(0);
  });

  it('given expired sign-ins, then the next put drops them', () => {
    const time = clock();
    const logins = pendingLogins({ ttlMs: 60_000, maxEntries: 10, now: time.now });
    logins.put('old-1', 'v');
    logins.put('old-2', 'v');
    time.advance(30_000);
    logins.put('young', 'v');
    time.advance(30_000);
    logins.put('new', 'v');
    expect(logins.size()).toBe(2);
    expect(logins.take('young')).toBe('v');
  });

  it('given more sign-ins than the bound, then the oldest is dropped and the size stays at the bound', () => {
    const logins = pendingLogins({ ttlMs: 60_000, maxEntries: 3 });
    for (const state of ['a', 'b', 'c', 'd', 'e']) logins.put(state, `verifier-${state}`);
    expect(logins.size()).toBe(3);
    expect(logins.take('a')).toBeUndefined();
    expect(logins.take('b')).toBeUndefined();
    expect(logins.take('e')).toBe('verifier-e');
  });
});

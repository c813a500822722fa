import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { maxTokenTtlSeconds, parseTtl, tokenRequest } from './token-request.ts';

describe('parseTtl', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['8h', 28_800],
    ['12h', maxTokenTtlSeconds],
    [' 1m ', 60],
  ])('given %j, then %d seconds', (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it.each(['', '0m', '15', '1.5h', '-1h', '1d', '15 m', 'h'])(
    'given %j, then TRIAGE_TOKEN_OPTION_INVALID',
    (text) => {
      expect(() => parseTtl(text)).toThrow(TriageError);
    },
  );

  it('given more than the maximum, then refused and the maximum is named', () => {
    expect(() => parseTtl('13h')).toThrow(/maximum of 12 h/);
    expect(() => parseTtl('43201s')).toThrow(/maximum/);
  });
});

describe('tokenRequest', () => {
  it('given a known role, a subject and a TTL, then the request', () => {
    expect(tokenRequest({ role: 'supervisor', sub: 'sup-1', ttl: '8h' })).toEqual({
      role: 'supervisor',
      sub: 'sup-1',
      ttlSeconds: 28_800,
    });
  });

  it.each(['admin', 'unknown', 'Analyst', ''])('given role %j, then refused naming the roles', (role) => {
    expect(() => tokenRequest({ role, sub: 's', ttl: '1h' })).toThrow(
      /analyst, supervisor, auditor, operator/,
    );
  });

  it.each(['', 'a b', 'x'.repeat(65), 'someone@example.org'])('given subject %j, then refused', (sub) => {
    expect(() => tokenRequest({ role: 'analyst', sub, ttl: '1h' })).toThrow(/--sub/);
  });
});

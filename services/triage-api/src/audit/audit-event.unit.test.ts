import { describe, expect, it } from 'vitest';
import { auditEventFor, describeQuery, redactQueryText } from './audit-event.ts';

describe('redactQueryText', () => {
  it.each([
    ['contact someone@example.test now', 'contact [email] now'],
    ['see https://files.example.test/a?b=1 there', 'see [url] there'],
    ['from 192.0.2.17 at night', 'from [ip] at night'],
    ['from 2001:db8::1 at night', 'from [ip] at night'],
    ['user @some_handle said', 'user [handle] said'],
    ['call +31 20 555 0100 today', 'call [number] today'],
    ['hosted on example.com/page', 'hosted on [url]'],
  ])('given %j, then %j', (text, expected) => {
    expect(redactQueryText(text)).toBe(expected);
  });

  it('given plain words, then they are kept', () => {
    expect(redactQueryText('  blue   bicycle 2024 ')).toBe('blue bicycle 2024');
  });
});

describe('describeQuery', () => {
  it('given filters, q and a cursor, then sorted parameters, q redacted, no cursor', () => {
    expect(
      describeQuery({
        tier: ['P2', 'P1'],
        q: 'mail someone@example.test',
        cursor: 'abc',
        limit: 20,
        sort: 'score',
      }),
    ).toBe('limit=20&q=mail [email]&sort=score&tier=P2,P1');
  });

  it('given nothing set, then null', () => {
    expect(describeQuery({ cursor: 'abc', q: '' })).toBeNull();
  });
});

describe('auditEventFor', () => {
  it('given a principal and facts, then the event names the token subject and role, never the request', () => {
    const event = auditEventFor(
      { sub: 'analyst-1', role: 'analyst', tokenId: 't-1', issuedAt: null, expiresAt: null },
      'req-1',
      {
        action: 'view_case',
        target: { type: 'report', id: 'partner-a:1' },
        resultCount: 1,
        outcome: 'allowed',
      },
    );
    expect(event).toEqual({
      actor: 'analyst-1',
      role: 'analyst',
      action: 'view_case',
      target: { type: 'report', id: 'partner-a:1' },
      query: null,
      resultCount: 1,
      reason: null,
      requestId: 'req-1',
      outcome: 'allowed',
    });
  });
});

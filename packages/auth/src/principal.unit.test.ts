import { describe, expect, it } from 'vitest';
import { authorise, bearerToken, principalFromClaims } from './principal.ts';

describe('bearerToken', () => {
  it('given a bearer header (any case of the scheme), then the token', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def-_.g~h+/i==')).toBe('abc.def-_.g~h+/i==');
  });

  it.each([[undefined], [''], ['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer two tokens']])(
    'given %j, then TRIAGE_TOKEN_MISSING pointing at the header',
    (header) => {
      expect(() => bearerToken(header)).toThrow(
        expect.objectContaining({
          code: 'TRIAGE_TOKEN_MISSING',
          status: 401,
          pointer: '/headers/authorization',
        }),
      );
    },
  );
});

describe('principalFromClaims', () => {
  it('given sub, a known role and jti, then the principal', () => {
    expect(
      principalFromClaims({ sub: 'analyst-7', role: 'analyst', jti: 't-1', iat: 1_000, exp: 2_000 }, 'role'),
    ).toEqual({
      sub: 'analyst-7',
      role: 'analyst',
      tokenId: 't-1',
      issuedAt: 1_000,
      expiresAt: 2_000,
    });
  });

  it('given no jti and no iat, then tokenId and issuedAt are null', () => {
    const principal = principalFromClaims({ sub: 's', role: 'auditor' }, 'role');
    expect(principal.tokenId).toBeNull();
    expect(principal.issuedAt).toBeNull();
  });

  it('given a configured role claim, then the role is read from it', () => {
    expect(
      principalFromClaims({ sub: 's', triage_role: 'operator', role: 'analyst' }, 'triage_role').role,
    ).toBe('operator');
  });

  it.each([
    [{ role: 'analyst' }, 'no subject'],
    [{ sub: '', role: 'analyst' }, 'no subject'],
    [{ sub: 's' }, 'not a known role'],
    [{ sub: 's', role: 'unknown' }, 'not a known role'],
    [{ sub: 's', role: 'admin' }, 'not a known role'],
    [{ sub: 's', role: ['analyst'] }, 'not a known role'],
    [{ sub: 's', role: 'toString' }, 'not a known role'],
  ])('given claims %j, then TRIAGE_TOKEN_INVALID (%s) with an invalid_token challenge', (claims, message) => {
    expect(() => principalFromClaims(claims, 'role')).toThrow(
      expect.objectContaining({
        code: 'TRIAGE_TOKEN_INVALID',
        message: expect.stringContaining(message),
        details: { bearerError: 'invalid_token' },
      }),
    );
  });
});

describe('authorise', () => {
  const supervisor = {
    sub: 's',
    role: 'supervisor' as const,
    tokenId: null,
    issuedAt: null,
    expiresAt: null,
  };

  it('given an allowed role, then nothing is thrown', () => {
    expect(authorise(supervisor, ['analyst', 'supervisor'])).toBeUndefined();
  });

  it('given a role that is not allowed, then TRIAGE_ROLE_FORBIDDEN (403)', () => {
    expect(() => authorise(supervisor, ['auditor'])).toThrow(
      expect.objectContaining({ code: 'TRIAGE_ROLE_FORBIDDEN', status: 403 }),
    );
  });
});

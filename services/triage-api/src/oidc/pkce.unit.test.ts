import { describe, expect, it } from 'vitest';
import { createPkce, pkceChallenge, randomToken } from './pkce.ts';

describe('PKCE', () => {
  it('given the verifier of RFC 7636 appendix B, then its S256 challenge', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('given two new pairs, then 43-character verifiers of the unreserved set, each with its own challenge', () => {
    const first = createPkce();
    const second = createPkce();
    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.challenge).toBe(pkceChallenge(first.verifier));
    expect(second.verifier).not.toBe(first.verifier);
    expect(randomToken()).not.toBe(randomToken());
  });
});

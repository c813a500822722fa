import { describe, expect, it } from 'vitest';
import { casePath, homePath, matchRoute, pagesFor } from './routes.ts';
import { sessionOf } from './session.ts';

describe('client routes', () => {
  it('given the contract paths, then each opens its page', () => {
    expect(
      ['/', '/login', '/hashes', '/audit', '/hosters', '/nope', '/cases/a/b'].map((p) => matchRoute(p).page),
    ).toEqual(['queue', 'login', 'hashes', 'audit', 'hosters', 'not-found', 'not-found']);
  });

  it('given a hoster path, then its ASN; a name, a sign or a number beyond 32 bits is not found', () => {
    expect(matchRoute('/hosters/60781')).toEqual({ page: 'hoster', asn: 60781 });
    expect(matchRoute('/hosters/4294967295')).toEqual({ page: 'hoster', asn: 4_294_967_295 });
    expect(
      ['/hosters/4294967296', '/hosters/AS60781', '/hosters/-1', '/hosters/1/2'].map(
        (p) => matchRoute(p).page,
      ),
    ).toEqual(['not-found', 'not-found', 'not-found', 'not-found']);
  });

  it('given a report id with a colon and a slash, then its case path round-trips', () => {
    const reportId = 'tipline-nl:1/2';
    expect(casePath(reportId)).toBe('/cases/tipline-nl%3A1%2F2');
    expect(matchRoute(casePath(reportId))).toEqual({ page: 'case', reportId });
    expect(matchRoute('/cases/%E0%A4%A')).toEqual({ page: 'not-found' });
  });

  it('given each role, then the navigation offers the pages its API routes allow', () => {
    expect(pagesFor('analyst')).toEqual(['queue', 'hashes']);
    expect(pagesFor('supervisor')).toEqual(['queue', 'hashes', 'hosters']);
    expect(pagesFor('auditor')).toEqual(['audit', 'hosters']);
    expect(pagesFor('operator')).toEqual([]);
    expect(homePath('auditor')).toBe('/audit');
    expect(homePath('analyst')).toBe('/');
  });
});

describe('session of a token', () => {
  const jwt = (claims: object) =>
    `e30.${btoa(JSON.stringify(claims)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')}.sig`;

  it('given a token with sub, role, iat and exp, then its session names them', () => {
    const token = jwt({ sub: 'analyst-1', role: 'analyst', iat: 1, exp: 2 });
    expect(sessionOf(token)).toEqual({ token, sub: 'analyst-1', role: 'analyst', iat: 1, exp: 2 });
  });

  it('given an unknown role, a missing claim or no JWT, then there is no session', () => {
    expect(sessionOf(jwt({ sub: 'x', role: 'admin', iat: 1, exp: 2 }))).toBeNull();
    expect(sessionOf(jwt({ role: 'analyst', iat: 1, exp: 2 }))).toBeNull();
    expect(sessionOf('not-a-token')).toBeNull();
  });
});

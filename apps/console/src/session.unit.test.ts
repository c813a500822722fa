import { describe, expect, it } from 'vitest';
import { adoptFragmentToken, loadSession, tokenFromFragment } from './session.ts';

const base64Url = (value: object) =>
  btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
/** An unsigned token the console can read (it never checks signatures; the API does). */
const tokenFor = (claims: object) => `${base64Url({ alg: 'ES256' })}.${base64Url(claims)}.sig`;
const analyst = tokenFor({ sub: 'analyst-1', role: 'analyst', iat: 1_000, exp: 9_999_999_999 });

const memoryStorage = () => {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => values.set(key, value),
    removeItem: (key: string) => values.delete(key),
  } as unknown as Storage;
};

/** The address bar: where the page is, and what replaceState made of it. */
const addressBar = (hash: string) => {
  const replaced: string[] = [];
  return {
    place: { pathname: '/login', search: '', hash } as Location,
    history: {
      replaceState: (_state: unknown, _title: string, url: string) => {
        replaced.push(url);
      },
    } as unknown as History,
    replaced,
  };
};

describe('the token from the identity provider sign-in', () => {
  it.each([
    ['#token=abc.def.ghi', 'abc.def.ghi'],
    ['token=abc.def.ghi', 'abc.def.ghi'],
    ['#token=a%2Bb.c.d&other=1', 'a+b.c.d'],
    ['', null],
    ['#', null],
    ['#token=', null],
    ['#error=access_denied', null],
  ])('given the fragment %j, then %j', (hash, token) => {
    expect(tokenFromFragment(hash)).toBe(token);
  });

  it('given /login#token=<a readable token>, then it is kept in sessionStorage and the fragment is cleared', () => {
    const { place, history, replaced } = addressBar(`#token=${analyst}`);
    const storage = memoryStorage();
    expect(adoptFragmentToken(place, history, storage)).toBe(true);
    expect(replaced).toEqual(['/login']);
    expect(loadSession(storage, Date.now())).toMatchObject({ sub: 'analyst-1', role: 'analyst' });
  });

  it('given a token the console cannot read (no known role), then nothing is kept, and the fragment is still cleared', () => {
    const { place, history, replaced } = addressBar(
      `#token=${tokenFor({ sub: 'x', role: 'admin', iat: 1, exp: 2 })}`,
    );
    const storage = memoryStorage();
    expect(adoptFragmentToken(place, history, storage)).toBe(false);
    expect(replaced).toEqual(['/login']);
    expect(loadSession(storage, Date.now())).toBeNull();
  });

  it('given no fragment, then the address bar is left alone', () => {
    const { place, history, replaced } = addressBar('');
    expect(adoptFragmentToken(place, history, memoryStorage())).toBe(false);
    expect(replaced).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { isFirstParty } from './request-policy.ts';

describe('isFirstParty', () => {
  const origin = 'http://127.0.0.1:4100';

  it('given the tested origin, any path or query of it is first party', () => {
    expect(isFirstParty('http://127.0.0.1:4100/v1/cases?tier=P1', origin)).toBe(true);
    expect(isFirstParty('http://127.0.0.1:4100/', `${origin}/login`)).toBe(true);
  });

  it('given in-memory URLs (a revealed image as a blob, an inline data image), they are first party', () => {
    expect(isFirstParty('blob:http://127.0.0.1:4100/6f1c', origin)).toBe(true);
    expect(isFirstParty('data:image/png;base64,AAAA', origin)).toBe(true);
  });

  it('given another port, scheme or host, the request is third party', () => {
    expect(isFirstParty('http://127.0.0.1:4101/x.js', origin)).toBe(false);
    expect(isFirstParty('https://127.0.0.1:4100/x.js', origin)).toBe(false);
    expect(isFirstParty('http://localhost:4100/x.js', origin)).toBe(false);
    expect(isFirstParty('https://fonts.example.net/font.woff2', origin)).toBe(false);
  });

  it('given something that is not a URL, it is not first party', () => {
    expect(isFirstParty('not a url', origin)).toBe(false);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiClient, errorText } from './api.ts';

const problem = (status: number, body: object) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('API client', () => {
  it('given a token, then each request carries it as a bearer header, same origin, never cached', async () => {
    const fetch = vi.fn(async () => Response.json({ items: [] }));
    vi.stubGlobal('fetch', fetch);
    const api = createApiClient({ token: () => 'tok', onUnauthorized: () => {} });
    expect(await api.json('/v1/cases', { method: 'POST', body: { type: 'claim' } })).toEqual({ items: [] });
    expect(fetch).toHaveBeenCalledWith('/v1/cases', {
      method: 'POST',
      headers: {
        accept: 'application/json',
        authorization: 'Bearer tok',
        'content-type': 'application/json',
      },
      body: '{"type":"claim"}',
      credentials: 'omit',
      cache: 'no-store',
    });
  });

  it("given a refused reveal, then the error carries the API's code and reason for the page to show", async () => {
    vi.stubGlobal('fetch', async () =>
      problem(403, {
        title: 'Reveal not permitted',
        code: 'TRIAGE_REVEAL_NOT_PERMITTED',
        detail: 'the reporting company did not view this file',
      }),
    );
    const api = createApiClient({ token: () => 'tok', onUnauthorized: () => {} });
    const failure = await api
      .blob('/v1/media/x/reveal', { method: 'POST', body: {} })
      .catch((error) => error);
    expect(failure.status).toBe(403);
    expect(errorText(failure)).toBe(
      'the reporting company did not view this file (TRIAGE_REVEAL_NOT_PERMITTED)',
    );
  });

  it('given a 401 on a signed-in request, then the session ends; without a token it does not', async () => {
    vi.stubGlobal('fetch', async () => problem(401, { title: 'Unauthorized', code: 'TRIAGE_TOKEN_INVALID' }));
    const onUnauthorized = vi.fn();
    await createApiClient({ token: () => 'old', onUnauthorized })
      .json('/v1/cases')
      .catch(() => {});
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await createApiClient({ token: () => null, onUnauthorized })
      .json('/v1/dev/token')
      .catch(() => {});
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('given an answer that is not a problem document, then the status names the error', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>', { status: 502, statusText: 'Bad Gateway' }));
    const failure = await createApiClient({ token: () => null, onUnauthorized: () => {} })
      .json('/v1/cases')
      .catch((error) => error);
    expect(errorText(failure)).toBe('502 Bad Gateway');
  });
});

// The browser harness proves itself on pages served here (the console is built elsewhere): each
// guard must catch what it exists for, so each check is also shown failing on a page that breaks it.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertAccessible, checkAccessibility } from './accessibility.ts';
import { launchChromium } from './chromium.ts';
import { openGuardedPage } from './guarded-page.ts';

/** The console's policy (PREAMBLE of issue 17), so the fixtures run under what the console runs under. */
const csp =
  "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const page = (title: string, body: string, lang = ' lang="en"') =>
  `<!doctype html><html${lang}><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

interface Fixture {
  type: string;
  body: string | Buffer;
  status?: number;
  /** Served without the CSP: shows the request guard holding where a policy is missing. */
  noCsp?: true;
}

function fixturePages(thirdParty: string): Record<string, Fixture> {
  const html = (body: string) => ({ type: 'text/html; charset=utf-8', body });
  const js = (body: string) => ({ type: 'text/javascript', body });
  return {
    '/clean': html(
      page(
        'Queue',
        '<header><nav aria-label="Main"><a href="/clean">Queue</a></nav></header><main><h1>Queue</h1><label for="q">Search</label><input id="q" type="search"><button type="button">Claim</button></main><script src="/clean.js"></script>',
      ),
    ),
    '/clean.js': js(
      "fetch('/api/ok').then((r) => r.json()).then((v) => { document.title = 'ok ' + v.ok; });",
    ),
    '/api/ok': { type: 'application/json', body: '{"ok":true}' },
    '/api/forbidden': { type: 'application/problem+json', body: '{"status":403}', status: 403 },
    '/pixel.png': { type: 'image/png', body: pixel },
    '/console-error': html(
      page('Error', '<main><h1>Error</h1></main><script src="/console-error.js"></script>'),
    ),
    '/console-error.js': js("console.error('the console failed on purpose');"),
    '/throws': html(page('Throws', '<main><h1>Throws</h1></main><script src="/throws.js"></script>')),
    '/throws.js': js("throw new Error('uncaught on purpose');"),
    '/third-party': {
      ...html(
        page(
          'Third party',
          `<main><h1>Third party</h1><img src="${thirdParty}/pixel.png" alt="a tracking pixel"></main><script src="/third-party.js"></script>`,
        ),
      ),
      noCsp: true,
    },
    '/third-party-csp': html(
      page(
        'Third party',
        `<main><h1>Third party</h1><img src="${thirdParty}/pixel.png" alt="a tracking pixel"></main><script src="/third-party.js"></script>`,
      ),
    ),
    '/third-party.js': js(`fetch('${thirdParty}/beacon').catch(() => undefined);`),
    '/forbidden': html(
      page('Forbidden', '<main><h1>Forbidden</h1></main><script src="/forbidden.js"></script>'),
    ),
    '/forbidden.js': js("fetch('/api/forbidden').then((r) => { document.title = 'status ' + r.status; });"),
    '/inline': html(
      page('Inline', "<main><h1>Inline</h1></main><script>document.title = 'inline ran';</script>"),
    ),
    '/inaccessible': html(
      page(
        'Inaccessible',
        '<main><img src="/pixel.png"><input type="text"><button type="button"></button></main>',
        '',
      ),
    ),
  };
}

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let browser: Browser;
let origin: string;
let thirdPartyHits: string[];
const servers: Server[] = [];

beforeAll(async () => {
  thirdPartyHits = [];
  const other = await serve((request, response) => {
    thirdPartyHits.push(request.url ?? '');
    response.end();
  });
  const pages = fixturePages(other.origin);
  const site = await serve((request, response) => {
    const found = pages[new URL(request.url ?? '/', 'http://fixture').pathname];
    if (!found?.noCsp) response.setHeader('content-security-policy', csp);
    if (!found) {
      response.statusCode = 404;
      response.end();
      return;
    }
    response.statusCode = found.status ?? 200;
    response.setHeader('content-type', found.type);
    response.end(found.body);
  });
  servers.push(other.server, site.server);
  origin = site.origin;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
});

async function visit(path: string) {
  const guarded = await openGuardedPage({ browser, origin });
  await guarded.page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  return guarded;
}

describe('guarded page', () => {
  it('given a page that only talks to its origin and logs nothing, then it is clean at 1280x800', async () => {
    const guarded = await visit('/clean');
    try {
      await expect.poll(() => guarded.page.title()).toBe('ok true');
      expect(guarded.page.viewportSize()).toEqual({ width: 1280, height: 800 });
      expect(guarded.problems).toEqual([]);
      expect(() => guarded.assertClean()).not.toThrow();
    } finally {
      await guarded.close();
    }
  });

  it('given console.error, then it is a problem and assertClean throws naming it', async () => {
    const guarded = await visit('/console-error');
    try {
      expect(guarded.problems).toEqual([expect.stringContaining('the console failed on purpose')]);
      expect(() => guarded.assertClean()).toThrow(/console error: the console failed on purpose/);
    } finally {
      await guarded.close();
    }
  });

  it('given an uncaught exception, then it is a page error', async () => {
    const guarded = await visit('/throws');
    try {
      expect(guarded.problems).toEqual(['page error: uncaught on purpose']);
    } finally {
      await guarded.close();
    }
  });

  it('given an image and a fetch from another origin on a page without a CSP, then both are refused before leaving the browser and reported', async () => {
    const guarded = await visit('/third-party');
    try {
      expect(guarded.refused.map((url) => new URL(url).pathname).sort()).toEqual(['/beacon', '/pixel.png']);
      expect(thirdPartyHits).toEqual([]);
      expect(() => guarded.assertClean()).toThrow(
        /third-party request refused: GET http:\/\/127\.0\.0\.1:\d+\/pixel\.png/,
      );
    } finally {
      await guarded.close();
    }
  });

  it('given the same requests under the console CSP, then the policy blocks them first and its refusals are console errors', async () => {
    const guarded = await visit('/third-party-csp');
    try {
      expect(guarded.refused).toEqual([]);
      expect(thirdPartyHits).toEqual([]);
      expect(guarded.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/console error: Loading the image .*violates .*img-src/),
          expect.stringMatching(/console error: Connecting to .*beacon' violates .*connect-src/),
        ]),
      );
    } finally {
      await guarded.close();
    }
  });

  it('given a 403 the page handles, then Chromium logs it as a console error unless the test expected it', async () => {
    const unexpected = await visit('/forbidden');
    try {
      await expect.poll(() => unexpected.page.title()).toBe('status 403');
      expect(unexpected.problems).toEqual([
        expect.stringMatching(/console error: Failed to load resource: .*403/),
      ]);
    } finally {
      await unexpected.close();
    }
    const expected = await openGuardedPage({ browser, origin });
    try {
      expected.expectConsoleError(/status of 403/);
      await expected.page.goto(`${origin}/forbidden`, { waitUntil: 'networkidle' });
      await expect.poll(() => expected.page.title()).toBe('status 403');
      expect(expected.problems).toEqual([]);
    } finally {
      await expected.close();
    }
  });

  it('given an inline script, then the CSP refuses it and the refusal is a console error', async () => {
    const guarded = await visit('/inline');
    try {
      expect(await guarded.page.title()).toBe('Inline');
      expect(guarded.problems).toEqual([expect.stringContaining('Content Security Policy')]);
    } finally {
      await guarded.close();
    }
  });
});

describe('axe-core under the console CSP', () => {
  it('given an accessible page, then axe runs (injected past script-src self) and finds nothing serious', async () => {
    const guarded = await visit('/clean');
    try {
      const report = await assertAccessible(guarded.page, 'clean fixture');
      expect(report.passes).toBeGreaterThan(5);
      expect(report.counts).toMatchObject({ critical: 0, serious: 0 });
      // The debugger's evaluation left the page's own policy alone: no CSP report, nothing logged.
      expect(guarded.problems).toEqual([]);
    } finally {
      await guarded.close();
    }
  });

  it('given an image without alt text, an unlabelled input and an empty button, then assertAccessible fails listing them', async () => {
    const guarded = await visit('/inaccessible');
    try {
      const report = await checkAccessibility(guarded.page, 'inaccessible fixture');
      expect(report.violations.map((violation) => violation.id)).toEqual(
        expect.arrayContaining(['image-alt', 'label', 'button-name', 'html-has-lang']),
      );
      const failure = await assertAccessible(guarded.page, 'inaccessible fixture').catch(
        (error: Error) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(
        /serious or critical violation\(s\) on inaccessible fixture/,
      );
      expect((failure as Error).message).toMatch(/- \[critical\] image-alt: .*\(1 element: img\)/);
      expect((failure as Error).message).toMatch(/- \[critical\] button-name/);
    } finally {
      await guarded.close();
    }
  });
});

// The console suite's clock, proved on a stand-in console (the real one is built on another
// branch): a page with the contract's testids whose API answers are held for known times, so each
// measurement must at least cover its hold, and the baseline must stay below the queue.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, defaultViewport, launchChromium, type Page } from '@triage/testkit/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeBaseline, timeCase, timeQueue } from './render-timing.ts';

const queueHoldMs = 120;
const caseHoldMs = 80;

/** A queue of ten rows (j/k move `aria-selected`, Enter opens through the history API) and a case page. */
const app = `
const main = document.querySelector('main');
const rows = [];
let selected = -1;
function select(index) {
  selected = Math.max(0, Math.min(rows.length - 1, index));
  rows.forEach((row, n) => row.setAttribute('aria-selected', String(n === selected)));
}
async function showCase(id) {
  const answer = await (await fetch('/v1/cases/' + encodeURIComponent(id))).json();
  main.replaceChildren();
  const tier = document.createElement('p');
  tier.dataset.testid = 'case-tier';
  tier.textContent = answer.tier;
  main.append(tier);
}
async function showQueue() {
  const answer = await (await fetch('/v1/cases?limit=50')).json();
  for (const item of answer.items) {
    const row = document.createElement('div');
    row.dataset.testid = 'queue-row';
    row.dataset.reportId = item.reportId;
    row.textContent = item.reportId;
    rows.push(row);
    main.append(row);
  }
}
document.addEventListener('keydown', (event) => {
  if (event.key === 'j') select(selected + 1);
  if (event.key === 'k') select(selected - 1);
  if (event.key === 'Enter' && selected >= 0) {
    const id = rows[selected].dataset.reportId;
    history.pushState(null, '', '/cases/' + encodeURIComponent(id));
    showCase(id);
  }
});
showQueue();
`;

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture');
    if (url.pathname === '/app.js') {
      response.setHeader('content-type', 'text/javascript');
      return void response.end(app);
    }
    if (url.pathname === '/openapi.json') {
      response.setHeader('content-type', 'application/json');
      return void response.end('{"openapi":"3.1.0"}');
    }
    if (url.pathname === '/v1/cases') {
      await sleep(queueHoldMs);
      response.setHeader('content-type', 'application/json');
      const items = Array.from({ length: 10 }, (_, n) => ({ reportId: `p:${n}` }));
      return void response.end(JSON.stringify({ items }));
    }
    if (url.pathname.startsWith('/v1/cases/')) {
      await sleep(caseHoldMs);
      response.setHeader('content-type', 'application/json');
      return void response.end('{"tier":"P2"}');
    }
    response.setHeader('content-type', 'text/html');
    response.end(
      '<!doctype html><html lang="en"><title>stand-in</title><main></main><script src="/app.js"></script></html>',
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function freshPage(): Promise<Page> {
  return (await browser.newContext({ viewport: defaultViewport })).newPage();
}

describe('render timing', () => {
  it('given a queue whose API answer is held, then the time to the first row covers the hold and names the request', async () => {
    const page = await freshPage();
    const timing = await timeQueue(page, origin);
    expect(timing.api).toBeGreaterThanOrEqual(queueHoldMs - 5);
    expect(timing.render).toBeGreaterThanOrEqual(timing.api);
    expect(timing.render).toBeLessThan(10_000);
  });

  it('given rows on screen, then the row asked for is opened with the keyboard and the case time covers its hold', async () => {
    const page = await freshPage();
    await timeQueue(page, origin);
    const timing = await timeCase(page, 3);
    expect(new URL(page.url()).pathname).toBe('/cases/p%3A3');
    expect(timing.api).toBeGreaterThanOrEqual(caseHoldMs - 5);
    expect(timing.render).toBeGreaterThanOrEqual(timing.api);
    // Back on the queue, a row before the selection is reached with k.
    await timeQueue(page, origin);
    await timeCase(page, 1);
    expect(new URL(page.url()).pathname).toBe('/cases/p%3A1');
  });

  it('given the baseline document, then it loads and takes less than the held queue', async () => {
    const page = await freshPage();
    const baseline = await timeBaseline(page, origin);
    expect(baseline).toBeGreaterThan(0);
    expect(baseline).toBeLessThan(queueHoldMs);
  });
});

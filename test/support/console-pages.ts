// The console's pages as the browser tests drive them: only THE SHARED CONTRACT of issue 17
// (routes, data-testid names, keyboard keys), so the tests follow the contract, not one layout.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Locator, type Page, type Response, settle } from '@triage/testkit/browser';
import { expect } from 'vitest';
import { type AuditRowFact, numberIn } from './console-journey.ts';

const byTestId = (page: Page | Locator, id: string) => page.locator(`[data-testid="${id}"]`);

/** Where the test run writes the console's pictures (the README shows them). */
export const screenshotDir = path.resolve(import.meta.dirname, '..', '..', 'docs', 'console');

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Waits until `locator` is visible (playwright-core has no test runner's web-first assertions). */
export const visible = (locator: Locator, timeout = 30_000) =>
  locator.first().waitFor({ state: 'visible', timeout });

/** Development login: role and sub on `/login`, then the queue. */
export async function logIn(page: Page, origin: string, user: { role: string; sub: string }): Promise<void> {
  await page.goto(`${origin}/login`);
  await byTestId(page, 'login-role').selectOption(user.role);
  await byTestId(page, 'login-sub').fill(user.sub);
  await byTestId(page, 'login-submit').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

export async function logOut(page: Page): Promise<void> {
  await byTestId(page, 'logout').click();
  await page.waitForURL((url) => url.pathname === '/login');
}

/** JWT-looking values the page keeps in a storage (`sessionStorage` or `localStorage`). */
export function storedTokens(page: Page, storage: 'sessionStorage' | 'localStorage'): Promise<string[]> {
  return page.evaluate(
    (name) =>
      Object.values((globalThis as unknown as Record<string, Record<string, unknown>>)[name] ?? {}).filter(
        (value): value is string => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(String(value)),
      ),
    storage,
  );
}

export const exposureCount = async (page: Page) =>
  numberIn(await byTestId(page, 'exposure-count').textContent());

/** The queue rows' report ids, in page order. */
export const queueRowIds = (page: Page) =>
  byTestId(page, 'queue-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-report-id')));

/** Ticks the tier box and searches the words, then waits for the URL to hold both (the queue's state is its URL). */
export async function filterQueue(page: Page, filter: { tier: string; q: string }): Promise<void> {
  await byTestId(page, `filter-tier-${filter.tier}`).check();
  await page.waitForURL((url) => url.searchParams.getAll('tier').join(',') === filter.tier);
  const search = byTestId(page, 'queue-search');
  await search.fill(filter.q);
  await search.press('Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === filter.q);
}

/** Waits until the queue's first row is `reportId` (the page re-renders after a filter). */
export async function untilTopRow(page: Page, reportId: string): Promise<void> {
  await expect.poll(async () => (await queueRowIds(page))[0], { timeout: 30_000 }).toBe(reportId);
}

/**
 * Selects the first row with the keyboard (j/k), wherever the selection starts, and opens it
 * with Enter. Focus leaves the search box first: keys typed there are words, not commands.
 */
export async function openTopRowWithKeyboard(page: Page): Promise<void> {
  await byTestId(page, 'queue-search').blur();
  const selected = () =>
    byTestId(page, 'queue-row').evaluateAll((rows) =>
      rows.findIndex((row) => row.getAttribute('aria-selected') === 'true'),
    );
  const press = async (key: string) => {
    await page.keyboard.press(key);
    await settle(page);
  };
  if ((await selected()) < 0) await press('j');
  for (let moves = 0; (await selected()) > 0 && moves < 200; moves++) await press('k');
  expect(await selected()).toBe(0);
  await page.keyboard.press('Enter');
}

export const caseItem = (page: Page, sha256: string) =>
  page.locator(`[data-testid="case-item"][data-sha256="${sha256}"]`);

/** Asks to reveal one file with a reason; resolves with the API's answer to the reveal. */
export async function reveal(page: Page, sha256: string, reason: string): Promise<Response> {
  await byTestId(caseItem(page, sha256), 'reveal-button').click();
  await byTestId(page, 'reveal-reason').filter({ visible: true }).fill(reason);
  const answer = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' &&
      new URL(response.url()).pathname === `/v1/media/${sha256}/reveal`,
  );
  await byTestId(page, 'reveal-confirm').filter({ visible: true }).click();
  return answer;
}

/**
 * Puts the pointer on a revealed file: a reveal shows the picture only around the pointer and blurs
 * it again when the pointer leaves (issue 17), so the sharp image may exist hidden until then. The
 * pointer goes to the element holding it, the region that follows the pointer.
 */
export async function pointAtRevealed(page: Page, sha256: string): Promise<void> {
  const holder = byTestId(caseItem(page, sha256), 'revealed-image').first().locator('xpath=..');
  await holder.waitFor({ state: 'visible' });
  const box = await holder.boundingBox();
  if (box === null) throw new Error(`the revealed ${sha256} has no box on screen`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + 4, box.y + box.height / 2 + 4);
}

/** Claims the open case, then sets its status, with the case page's controls. */
export async function claimAndSetStatus(page: Page, status: string): Promise<void> {
  const entries = byTestId(byTestId(page, 'action-history'), 'action-entry');
  const before = await entries.count();
  await byTestId(page, 'action-claim').click();
  await expect.poll(() => entries.count(), { timeout: 30_000 }).toBeGreaterThan(before);
  await byTestId(page, 'action-status').selectOption(status);
  await byTestId(page, 'action-status-submit').click();
  await expect.poll(() => entries.count(), { timeout: 30_000 }).toBeGreaterThan(before + 1);
}

/** The audit page's rows as data. */
export const auditRows = (page: Page): Promise<AuditRowFact[]> =>
  byTestId(page, 'audit-row').evaluateAll((rows) =>
    rows.map((row) => ({
      action: row.getAttribute('data-action'),
      actor: row.getAttribute('data-actor'),
      outcome: row.getAttribute('data-outcome'),
    })),
  );

/** Filters the audit page by actor (submitting again re-reads the trail, which the indexer fills behind). */
export async function filterAuditByActor(page: Page, actor: string): Promise<void> {
  const input = byTestId(page, 'audit-actor');
  await input.fill(actor);
  await input.press('Enter');
}

export { byTestId };

/** How many CSS pixels the page is wider than its window (0: no horizontal scrolling). */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string: this file is compiled without the DOM's types; the expression runs in the page.
  return Number(await page.evaluate('Math.max(0, document.documentElement.scrollWidth - window.innerWidth)'));
}

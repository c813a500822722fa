// What the console suite measures in the browser, on the shared contract's testids. The clock is
// the page's own (`performance`): navigation start is the document's time origin, so the queue's
// time includes the request for the shell, the bundle, the API call and the first paint of a row.
import { type Page, settle } from '@triage/testkit/browser';

/** The page's globals this file reads (the project's TypeScript has no DOM library). */
interface PageGlobals {
  document: { querySelector(selector: string): { checkVisibility(): boolean } | null };
}

/**
 * Resolves, polled every animation frame, when an element with `testId` is visible: with the
 * page's clock then, as epoch ms (`timeOrigin + now`), which spans a client-side route change and a
 * full navigation alike.
 */
async function whenVisible(page: Page, testId: string, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(
    (id) => {
      const element = (globalThis as unknown as PageGlobals).document.querySelector(`[data-testid="${id}"]`);
      return element?.checkVisibility() ? performance.timeOrigin + performance.now() : false;
    },
    testId,
    { polling: 'raf', timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as number;
}

/** The longest API request (resource timing) whose path starts with `pathPrefix`, in this document; 0 when none. */
function apiRequestMs(page: Page, pathPrefix: string): Promise<number> {
  return page.evaluate(
    (prefix) =>
      Math.max(
        0,
        ...performance
          .getEntriesByType('resource')
          .filter((entry) => new URL(entry.name).pathname.startsWith(prefix))
          .map((entry) => entry.duration),
      ),
    pathPrefix,
  );
}

export interface RenderTiming {
  /** ms the analyst waited. */
  render: number;
  /** ms of the API request inside it. */
  api: number;
}

const timeoutMs = 60_000;

/** Navigation start of `/` -> the first `queue-row` visible. */
export async function timeQueue(page: Page, origin: string): Promise<RenderTiming> {
  await page.goto(`${origin}/`, { waitUntil: 'commit' });
  const visibleAt = await whenVisible(page, 'queue-row', timeoutMs);
  const origin0 = await page.evaluate(() => performance.timeOrigin);
  return { render: visibleAt - origin0, api: await apiRequestMs(page, '/v1/cases') };
}

/**
 * On a rendered queue: selects row `row` with the keyboard (j/k), then Enter -> `case-tier`
 * visible. The clock starts in the page just before the key is sent.
 */
export async function timeCase(page: Page, row: number): Promise<RenderTiming> {
  await page.evaluate(() => performance.clearResourceTimings());
  const selected = () =>
    page
      .locator('[data-testid="queue-row"]')
      .evaluateAll((rows) => rows.findIndex((element) => element.getAttribute('aria-selected') === 'true'));
  const press = async (key: string) => {
    await page.keyboard.press(key);
    await settle(page);
  };
  if ((await selected()) < 0) await press('j');
  for (let moves = 0; (await selected()) !== row && moves < 100; moves++)
    await press((await selected()) < row ? 'j' : 'k');
  if ((await selected()) !== row) throw new Error(`could not select row ${row} with j/k`);
  const pressedAt = await page.evaluate(() => performance.timeOrigin + performance.now());
  await page.keyboard.press('Enter');
  const visibleAt = await whenVisible(page, 'case-tier', timeoutMs);
  return { render: visibleAt - pressedAt, api: await apiRequestMs(page, '/v1/cases/') };
}

/** Navigation start -> `load` of `/openapi.json`: one same-origin document, no script, no API call. */
export async function timeBaseline(page: Page, origin: string): Promise<number> {
  await page.goto(`${origin}/openapi.json`, { waitUntil: 'load' });
  return page.evaluate(() => {
    const timing = performance as unknown as { getEntriesByType(type: string): { loadEventEnd: number }[] };
    return timing.getEntriesByType('navigation')[0]?.loadEventEnd ?? Number.NaN;
  });
}

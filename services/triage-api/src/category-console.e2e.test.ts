// The case page's category controls in Chromium (playwright-core, the console's guarded page and
// axe-core): an analyst sets an item's VICS category with the keyboard, sees it proposed and no
// way to confirm it; a second analyst confirms it, and the page says so. The built console is
// served by the API on real Kafka (the actions, the category book) and Elasticsearch.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLogger } from '@triage/logging';
import { createRecordProducer, deployedTopic, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { recordExamples } from '@triage/schemas';
import { type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
import {
  assertAccessible,
  type Browser,
  type GuardedPage,
  launchChromium,
  openGuardedPage,
  type Page,
} from '@triage/testkit/browser';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ActionLog } from './actions/action-log.ts';
import { followedCategoryBook } from './actions/category-book.ts';
import { readConsoleBundle } from './console/console-bundle.ts';
import { localApp } from './testing/local-app.ts';
import { memoryRecorder, seedCases } from './testing/read-fixtures.ts';

const logger = createLogger({ name: 'category-console-test', level: 'silent' });
const consoleRoot = fileURLToPath(new URL('../../../apps/console/', import.meta.url));
const exampleCase = recordExamples.Case;
const item = recordExamples.EnrichedItem;

let browser: Browser;
beforeAll(async () => {
  // The console as `pnpm console:build` writes it (apps/console/dist), then the browser.
  await promisify(execFile)(process.execPath, [path.join(consoleRoot, 'scripts', 'build.ts')]);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

const test = kafkaTest.extend<{ search: SearchFixture }>({
  search: async ({ kafka }, use) => {
    await kafka.createTopics([pipelineTopics.audit, pipelineTopics.triageActions]);
    await useSearchFixture(kafka.connection.topicPrefix ?? '', async (fixture) => {
      await seedCases(fixture.client, fixture.prefix, [
        { reportId: exampleCase.reportId, case: exampleCase, items: [item] },
      ]);
      await use(fixture);
    });
  },
});

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function openCaseAs(origin: string, sub: string): Promise<GuardedPage> {
  const guarded = await openGuardedPage({ browser, origin });
  const { page } = guarded;
  await page.goto(`${origin}/login`);
  await byTestId(page, 'login-role').selectOption('analyst');
  await byTestId(page, 'login-sub').fill(sub);
  await byTestId(page, 'login-submit').click();
  await page.waitForURL((url) => url.pathname !== '/login');
  await page.goto(`${origin}/cases/${encodeURIComponent(exampleCase.reportId)}`);
  await byTestId(page, 'item-category').first().waitFor({ state: 'visible', timeout: 30_000 });
  return guarded;
}

const stateText = (page: Page) => byTestId(page, 'item-category-state').first().textContent();

describe('the case page\u2019s category controls', () => {
  test('given two analysts, then one sets a category with the keyboard and the other confirms it; the page stays accessible', async ({
    kafka,
    search,
  }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'category-console-'));
    const producer = createRecordProducer(kafka.connection, 'test-triage-api');
    const categories = followedCategoryBook({
      connection: kafka.connection,
      logger,
      dir: path.join(dir, 'state'),
    });
    await categories.start();
    const app = await localApp({
      dir,
      logger,
      trail: memoryRecorder(),
      search: { client: search.client, prefix: search.prefix },
      actions: new ActionLog({
        producer,
        topic: deployedTopic(kafka.connection, pipelineTopics.triageActions.name),
      }),
      categories,
      devLogin: { dir },
      console: await readConsoleBundle(path.join(consoleRoot, 'dist')),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const pages: GuardedPage[] = [];
    try {
      const first = await openCaseAs(origin, 'analyst-1');
      pages.push(first);
      expect(await stateText(first.page)).toContain('not categorised');
      await assertAccessible(first.page, 'case page with category controls');
      // Keyboard only: focus the category, choose 2 with the arrow key, Tab to "Set category", Enter.
      const value = byTestId(first.page, 'item-category-value').first();
      await value.focus();
      await value.selectOption('2');
      await first.page.keyboard.press('Tab');
      expect(await first.page.locator(':focus').getAttribute('data-testid')).toBe('item-category-set');
      await first.page.keyboard.press('Enter');
      await expect.poll(() => stateText(first.page), { timeout: 15_000 }).toContain('proposed 2');
      expect(await byTestId(first.page, 'item-category-confirm').count()).toBe(0);
      first.assertClean();

      const second = await openCaseAs(origin, 'analyst-2');
      pages.push(second);
      await expect.poll(() => stateText(second.page), { timeout: 15_000 }).toContain('proposed 2 (');
      const confirm = byTestId(second.page, 'item-category-confirm').first();
      expect(await confirm.getAttribute('type')).toBe('button');
      await confirm.focus();
      await second.page.keyboard.press('Enter');
      await expect.poll(() => stateText(second.page), { timeout: 15_000 }).toContain('confirmed 2');
      expect(await stateText(second.page)).toContain('by analyst-2');
      await assertAccessible(second.page, 'case page with a confirmed category');
      second.assertClean();
    } finally {
      for (const page of pages) await page.close();
      await app.close();
      await categories.close();
      await producer.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

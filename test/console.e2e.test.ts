// Issue 17's browser journey, against the real stack: a generated feed through the whole pipeline,
// the triage API in its own process serving the console, and Debian's chromium. An analyst logs
// in, filters the queue, opens the top case with the keyboard, reveals a file the API allows and
// is refused one it denies (the page says why), claims and closes the case and sees their exposure
// count rise; an auditor then finds those reads in the audit page. Every page is checked with
// axe-core (no serious or critical violation), every page stays free of console errors and
// third-party requests, and the run writes docs/console/queue.png, docs/console/case.png and
// docs/console/accessibility.md.
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import {
  type CaseDocument,
  type ItemDocument,
  indexNames,
  type SearchClient,
  searchIndices,
} from '@triage/search';
import {
  type AccessibilityReport,
  assertAccessible,
  type Browser,
  defaultViewport,
  type GuardedPage,
  launchChromium,
  openGuardedPage,
} from '@triage/testkit/browser';
import type { TriageApiProcess } from '@triage/triage-api/testing';
import { expect } from 'vitest';
import {
  type FileItemFact,
  missingAuditRows,
  type RevealCase,
  revealCases,
  searchWords,
} from './support/console-journey.ts';
import {
  auditRows,
  byTestId,
  caseItem,
  claimAndSetStatus,
  exposureCount,
  filterAuditByActor,
  filterQueue,
  horizontalOverflow,
  logIn,
  logOut,
  openTopRowWithKeyboard,
  pointAtRevealed,
  queueRowIds,
  reveal,
  screenshot,
  screenshotDir,
  storedTokens,
  untilTopRow,
  visible,
} from './support/console-pages.ts';
import { withFedQueue } from './support/fed-queue.ts';

// Seed 228 (feed-to-queue's): 32 reports in every scenario; files are viewed by their reporting
// company with probability 0.85 (packages/feed), so several cases carry both a viewed and an
// unviewed image of their own. The test picks one from the indexed items and checks that it did.
const feedOptions = { seed: 228, reports: 32, maxFiles: 30, format: 'json' } as const;
const analyst = { role: 'analyst', sub: 'analyst-e2e' } as const;
const auditor = { role: 'auditor', sub: 'auditor-e2e' } as const;
/** The test's own look-ups go through the API under another sub, so the audit page's filter separates them. */
const oracleSub = 'e2e-oracle';

interface QueueAnswer {
  items: { reportId: string }[];
  total: number;
}

/** The API as the test asks it (not the page): for choosing the case and checking what the page shows. */
function oracle(api: TriageApiProcess) {
  return async <T>(url: string, init: { token?: string } = {}): Promise<T> => {
    const response = await fetch(`${api.url}${url}`, {
      headers: {
        authorization: init.token ? `Bearer ${init.token}` : await api.bearer('analyst', oracleSub),
      },
    });
    expect(response.status, url).toBe(200);
    return (await response.json()) as T;
  };
}

/** Every file item of the deployment, as the reveal gate sees it. */
async function fileItems(client: SearchClient, prefix: string): Promise<FileItemFact[]> {
  const alias = indexNames(prefix, searchIndices.items).alias;
  await client.indices.refresh({ index: alias });
  const found = await client.search<ItemDocument>({
    index: alias,
    size: 10_000,
    query: { exists: { field: 'sha256' } },
    _source: ['reportId', 'sha256', 'mediaType', 'fileViewedByEsp', 'matches'],
  });
  return found.hits.hits.map(({ _source: item }) => ({
    reportId: item!.reportId,
    sha256: item!.sha256 ?? null,
    mediaType: item!.mediaType ?? null,
    fileViewedByEsp: item!.fileViewedByEsp ?? null,
    matchCount: item!.matches?.length ?? 0,
  }));
}

/**
 * The case to walk through and the filter that makes it the queue's top row: among the cases with
 * both reveals (fewest files first, so the audit page's newest rows hold the whole journey), the
 * first whose tier box and one word of its own text put it first; of its words, the one that
 * leaves the most rows (a filter that shows more than the one case).
 */
async function chooseCase(
  client: SearchClient,
  prefix: string,
  ask: ReturnType<typeof oracle>,
): Promise<RevealCase & { tier: string; q: string; queue: QueueAnswer }> {
  const items = await fileItems(client, prefix);
  const files = Map.groupBy(items, (item) => item.reportId);
  const candidates = revealCases(items).sort(
    (a, b) => (files.get(a.reportId)?.length ?? 0) - (files.get(b.reportId)?.length ?? 0),
  );
  expect(candidates.length, 'seed 228 gives cases with an allowed and a denied reveal').toBeGreaterThan(0);
  const casesAlias = indexNames(prefix, searchIndices.cases).alias;
  for (const candidate of candidates) {
    const found = await client
      .get<CaseDocument>({ index: casesAlias, id: candidate.reportId })
      .catch(() => null);
    const tier = found?._source?.queueTier;
    const text = found?._source?.reportText?.text;
    if (!tier || !['P1', 'P2', 'P3'].includes(tier) || !text) continue;
    let best: { q: string; queue: QueueAnswer } | undefined;
    for (const q of searchWords(text).slice(0, 8)) {
      const queue = await ask<QueueAnswer>(`/v1/cases?tier=${tier}&q=${encodeURIComponent(q)}`);
      if (queue.items[0]?.reportId === candidate.reportId && queue.total > (best?.queue.total ?? 0))
        best = { q, queue };
    }
    if (best) return { ...candidate, tier, ...best };
  }
  throw new Error(`no filter puts any of ${candidates.length} reveal cases on top of the queue`);
}

/** Besides the guarded page's 1280x800: a common laptop screen. */
const laptopScreen = { width: 1366, height: 768 };

kafkaTest(
  'given a generated feed through the whole pipeline and the console in Chromium, when an analyst filters, opens, reveals, claims and closes a case and an auditor reads the trail, then every step shows in the page, the API and the audit page, with no console error, no third-party request and no serious axe violation',
  ({ kafka }) =>
    withFedQueue(kafka, feedOptions, async ({ client, prefix, api }) => {
      const accessibility: AccessibilityReport[] = [];
      const pages: GuardedPage[] = [];
      let browser: Browser | undefined;
      try {
        const shell = await fetch(`${api.url}/login`);
        expect(shell.status, 'the console is served (pnpm console:build writes it)').toBe(200);
        expect(shell.headers.get('content-type')).toMatch(/^text\/html/);
        expect(shell.headers.get('content-security-policy')).toContain("script-src 'self'");
        await shell.arrayBuffer();
        const ask = oracle(api);
        const target = await chooseCase(client, prefix, ask);

        browser = await launchChromium();
        const guarded = await openGuardedPage({ browser, origin: api.url });
        pages.push(guarded);
        const { page } = guarded;
        const checkA11y = async (label: string) => accessibility.push(await assertAccessible(page, label));

        // Log in as an analyst: the token lives in sessionStorage, never in localStorage.
        await page.goto(`${api.url}/login`);
        await visible(byTestId(page, 'login-submit'));
        await checkA11y('login');
        await logIn(page, api.url, analyst);
        await visible(byTestId(page, 'queue-row'));
        expect(await storedTokens(page, 'sessionStorage')).toHaveLength(1);
        expect(await storedTokens(page, 'localStorage')).toEqual([]);
        await screenshot(page, 'queue');
        await checkA11y('queue');
        const exposureBefore = await exposureCount(page);
        guarded.assertClean();

        // Filter: the tier box and a word of the case's text; the page shows what the API answers.
        await filterQueue(page, { tier: target.tier, q: target.q });
        await untilTopRow(page, target.reportId);
        const shown = await queueRowIds(page);
        expect(shown).toEqual(target.queue.items.map((entry) => entry.reportId).slice(0, shown.length));
        await expect
          .poll(async () => (await byTestId(page, 'queue-total').textContent()) ?? '')
          .toContain(String(target.queue.total));
        guarded.assertClean();

        // Open the top case with the keyboard.
        await openTopRowWithKeyboard(page);
        await page.waitForURL((url) => url.pathname === `/cases/${encodeURIComponent(target.reportId)}`);
        await visible(byTestId(page, 'case-tier'));
        expect(await byTestId(page, 'case-tier').first().textContent()).toContain(target.tier);
        await visible(byTestId(page, 'reasons-chart'));
        await visible(caseItem(page, target.allowed));
        await visible(caseItem(page, target.denied));
        await visible(byTestId(caseItem(page, target.allowed), 'item-preview'));
        await screenshot(page, 'case');
        await checkA11y('case');
        guarded.assertClean();

        // An allowed reveal: the API answers 200 and the page shows the file where the pointer is.
        const allowed = await reveal(
          page,
          target.allowed,
          'e2e: the reporting company viewed this invented file',
        );
        expect(allowed.status()).toBe(200);
        await pointAtRevealed(page, target.allowed);
        await visible(byTestId(caseItem(page, target.allowed), 'revealed-image'));
        guarded.assertClean();

        // A denied reveal: 403 with the gate's reason, which the page shows (Chromium logs the 403).
        guarded.expectConsoleError(/status of 403/);
        const denied = await reveal(page, target.denied, 'e2e: nobody viewed this invented file');
        expect(denied.status()).toBe(403);
        const problem = (await denied.json()) as { code?: string; detail?: string };
        expect(problem.code).toBe('TRIAGE_REVEAL_NOT_PERMITTED');
        await visible(byTestId(page, 'reveal-denied'));
        expect(await byTestId(page, 'reveal-denied').first().textContent()).toContain(problem.detail);
        expect(await byTestId(caseItem(page, target.denied), 'revealed-image').count()).toBe(0);
        guarded.assertClean();

        // Claim and close; the queue (through the API) files the case as closed and the analyst's.
        await claimAndSetStatus(page, 'closed');
        const deadline = Date.now() + 30_000;
        for (;;) {
          const mine = await ask<QueueAnswer>(`/v1/cases?status=closed&assignee=${analyst.sub}`);
          if (mine.items.some((entry) => entry.reportId === target.reportId)) break;
          if (Date.now() > deadline)
            throw new Error(`${target.reportId} never showed as closed by ${analyst.sub}`);
          await sleep(500);
        }
        guarded.assertClean();

        // The exposure count went up (previews and the allowed reveal), in the header and in the API.
        const [token] = await storedTokens(page, 'sessionStorage');
        const exposure = await ask<{ sub: string; previews: number; reveals: number }>('/v1/exposure/me', {
          token,
        });
        expect(exposure.sub).toBe(analyst.sub);
        expect(exposure.reveals).toBeGreaterThanOrEqual(1);
        expect(exposure.previews).toBeGreaterThanOrEqual(1);
        await byTestId(page, 'nav-queue').click();
        await visible(byTestId(page, 'queue-row'));
        await expect
          .poll(
            async () => {
              await page.reload();
              await visible(byTestId(page, 'exposure-count'));
              return exposureCount(page);
            },
            { timeout: 60_000, interval: 1_000 },
          )
          .toBeGreaterThan(exposureBefore);
        guarded.assertClean();

        // A laptop screen (1366x768): the queue and the case fit its width, their controls in view.
        await page.setViewportSize(laptopScreen);
        await page.goto(`${api.url}/`);
        await visible(byTestId(page, 'queue-row'));
        expect(await horizontalOverflow(page), 'queue wider than a laptop screen').toBe(0);
        await visible(byTestId(page, 'queue-search'));
        await page.goto(`${api.url}/cases/${encodeURIComponent(target.reportId)}`);
        await visible(byTestId(page, 'case-tier'));
        expect(await horizontalOverflow(page), 'case wider than a laptop screen').toBe(0);
        await page.setViewportSize(defaultViewport);
        guarded.assertClean();

        // The auditor finds the analyst's reads and actions, both reveal outcomes included.
        await logOut(page);
        expect(await storedTokens(page, 'sessionStorage')).toEqual([]);
        await logIn(page, api.url, auditor);
        await byTestId(page, 'nav-audit').click();
        await page.waitForURL((url) => url.pathname === '/audit');
        await filterAuditByActor(page, analyst.sub);
        await expect
          .poll(
            async () => {
              await filterAuditByActor(page, analyst.sub);
              await sleep(1_000);
              return missingAuditRows(await auditRows(page), analyst.sub);
            },
            { timeout: 90_000, interval: 1_000 },
          )
          .toEqual([]);
        const rows = await auditRows(page);
        expect(rows.filter((row) => row.actor !== analyst.sub)).toEqual([]);
        await visible(byTestId(page, 'chain-status'));
        await checkA11y('audit');
        guarded.assertClean();
      } finally {
        if (accessibility.length > 0) await writeAccessibilityNote(accessibility).catch(() => undefined);
        for (const guarded of pages) await guarded.close().catch(() => undefined);
        await browser?.close();
      }
    }),
  600_000,
);

/** docs/console/accessibility.md: what axe-core found on each page of the last run. */
async function writeAccessibilityNote(reports: readonly AccessibilityReport[]): Promise<void> {
  const { version } = createRequire(import.meta.url)('axe-core/package.json') as { version: string };
  const lines = [
    '# Console accessibility (generated)',
    '',
    `Written by \`test/console.e2e.test.ts\` on each run: axe-core ${version}, its default rule set, in Debian's`,
    'chromium at 1280x800. A `serious` or `critical` violation fails the test; the lesser ones are listed here.',
    '',
    '| Page | Critical | Serious | Moderate | Minor | Rules passed | Needs review |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...reports.map(
      (report) =>
        `| ${report.label} | ${report.counts.critical} | ${report.counts.serious} | ${report.counts.moderate} | ${report.counts.minor} | ${report.passes} | ${report.incomplete} |`,
    ),
    '',
    ...reports.flatMap((report) =>
      report.violations.map(
        (violation) => `- ${report.label}: [${violation.impact}] \`${violation.id}\`: ${violation.help}`,
      ),
    ),
  ];
  await writeFile(path.join(screenshotDir, 'accessibility.md'), `${lines.join('\n').trimEnd()}\n`);
}

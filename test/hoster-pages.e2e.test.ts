// Issue 12's console pages in Chromium, against the real Kafka and Elasticsearch: takedown events
// on the test's own takedowns.v1, folded by the hoster monitor stage, read by the triage API in its
// own process serving the console. A supervisor opens the ranking and a hoster page: the figures
// shown are the API's, the charts are drawn (SVG, the 12 h and 24 h lines), the CSV and the
// evidence download, the overdue list and its re-notice list work; an analyst sees neither page.
// Every page is checked with axe-core and stays free of console errors (a CSP refusal is one) and
// third-party requests. Screenshots go to $TMPDIR/hoster-pages/.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sendTakedowns, startHosterMonitor, takedownEvent } from '@triage/hoster-monitor/testing';
import { allTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, type TakedownEvent } from '@triage/schemas';
import { createSearchClient, ensureSearchIndices, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import {
  assertAccessible,
  type Browser,
  type GuardedPage,
  launchChromium,
  openGuardedPage,
  type Page,
} from '@triage/testkit/browser';
import { startTriageApiProcess, type TriageApiProcess } from '@triage/triage-api/testing';
import { expect } from 'vitest';
import { byTestId, logIn, logOut, visible } from './support/console-pages.ts';

const codec = createCodec();
const hour = 3_600_000;
const day = 24 * hour;
const t0 = Date.UTC(2026, 2, 1);
const asOf = t0 + 5 * day;
const sha = (n: number) => String(n).padStart(64, '0');
const u = (n: number) => `https://files${n}.example.invalid/item`;
// Addresses in the feed's hosting ranges, which the bundled databases attribute.
const leaseweb = 60781;

const notice = (id: string, n: number, ip: string, at: number, sha256: string | null = sha(n)) =>
  takedownEvent({ eventId: `${id}-notice`, type: 'notice_sent', noticeId: id, url: u(n), ip, at, sha256 });
const on = (id: string, n: number, type: TakedownEvent['type'], at: number) =>
  takedownEvent({ eventId: `${id}-${type}-${at}`, type, noticeId: id, url: u(n), at });

/**
 * LeaseWeb (NL): removed after 3 h, after 11 h and after 30 h (re-noticed), two online since the
 * first day (overdue, one re-noticed), one noticed 12 h before asOf; a hash back after removal.
 * Hetzner (DE): one moved, one removed after 2 h. OVH (FR): one removed after 50 h.
 */
const events: TakedownEvent[] = [
  notice('n1', 1, '95.211.0.10', t0),
  on('n1', 1, 'removed_confirmed', t0 + 3 * hour),
  notice('n2', 2, '95.211.0.11', t0),
  on('n2', 2, 'renotice_sent', t0 + 25 * hour),
  on('n2', 2, 'removed_confirmed', t0 + 30 * hour),
  notice('n3', 3, '85.17.0.5', t0 + hour),
  on('n3', 3, 'renotice_sent', t0 + 26 * hour),
  notice('n4', 4, '85.17.0.6', t0 + 2 * hour),
  notice('n5', 5, '95.211.0.12', t0 + 4 * hour),
  on('n5', 5, 'removed_confirmed', t0 + 15 * hour),
  notice('n6', 6, '95.211.0.13', asOf - 12 * hour),
  takedownEvent({
    eventId: 'back-1',
    type: 'reappeared',
    url: u(9),
    ip: '95.211.0.14',
    sha256: sha(1),
    at: t0 + 2 * day,
  }),
  notice('h1', 11, '88.198.0.1', t0),
  takedownEvent({
    eventId: 'h1-moved',
    type: 'content_moved',
    noticeId: 'h1',
    url: u(11),
    at: t0 + 2 * hour,
    newUrl: u(12),
    newHost: 'files12.example.invalid',
    newIp: '88.198.0.2',
  }),
  notice('h2', 13, '136.243.0.9', t0 + day),
  on('h2', 13, 'removed_confirmed', t0 + day + 2 * hour),
  notice('o1', 21, '91.121.0.3', t0),
  on('o1', 21, 'removed_confirmed', t0 + 50 * hour),
];

/** The page's URL query and the API's for the same period (the page's `to` is the last day, included). */
const pageWindow = 'from=2026-02-01&to=2026-03-31&asOf=2026-03-06T00:00';
const apiWindow = `from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00.000Z&asOf=${new Date(asOf).toISOString().replace('.000', '')}`;

const supervisor = { role: 'supervisor', sub: 'supervisor-e2e' } as const;
const analyst = { role: 'analyst', sub: 'analyst-e2e' } as const;
const shots = path.join(tmpdir(), 'hoster-pages');

interface Figures {
  asn: number;
  [figure: string]: unknown;
}

function oracle(api: TriageApiProcess) {
  return async (url: string) => {
    const response = await fetch(`${api.url}${url}`, {
      headers: { authorization: await api.bearer('auditor', 'e2e-oracle') },
    });
    expect(response.status, url).toBe(200);
    return response;
  };
}

const attribute = (page: Page, testId: string, name: string) =>
  byTestId(page, testId).evaluateAll(
    (nodes, key) =>
      nodes.map((node) => (node as unknown as { getAttribute(k: string): string | null }).getAttribute(key)),
    name,
  );

async function savedDownload(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

kafkaTest(
  'given takedown events folded by the hoster monitor, when a supervisor opens the ranking and a hoster page, then the figures are the API’s, the charts are drawn with the 12 h and 24 h lines, the downloads and the re-notice list work, and an analyst sees neither page',
  async ({ kafka }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'e2e-hoster-pages-'));
    const client = createSearchClient({ url: elasticsearchUrl });
    const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
    let api: TriageApiProcess | undefined;
    let browser: Browser | undefined;
    const pages: GuardedPage[] = [];
    try {
      await kafka.createTopics(allTopics);
      // Every index (the API is ready once the cases alias exists; the stage writes the hoster ones).
      await ensureSearchIndices({ client, prefix, replicas: 0 });
      await sendTakedowns(kafka.connection, codec, events);
      const stage = await startHosterMonitor({
        connection: kafka.connection,
        codec,
        client,
        groupId: 'hoster-monitor',
      });
      try {
        // A loaded 2-core machine can take a while to join the group: up to 120 s.
        await stage.consumed(events.length, 120_000);
      } finally {
        await stage.stop();
      }
      api = await startTriageApiProcess({
        connection: kafka.connection,
        elasticsearchUrl,
        authDir: path.join(root, 'auth'),
        env: { TRIAGE_API_HOSTER_REFRESH_MS: '0' },
      });
      const ask = oracle(api);
      const ranking = (await (await ask(`/v1/hosters?${apiWindow}&sort=overdueNow&order=desc`)).json()) as {
        hosters: Figures[];
      };
      expect(ranking.hosters[0]?.asn, 'LeaseWeb has the longest re-notice queue').toBe(leaseweb);

      browser = await launchChromium();
      const guarded = await openGuardedPage({ browser, origin: api.url });
      pages.push(guarded);
      const { page } = guarded;
      await guarded.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });

      // An analyst: no link, and the pages say they are not for this role.
      await logIn(page, api.url, analyst);
      await visible(byTestId(page, 'logout'));
      expect(await byTestId(page, 'nav-hosters').count()).toBe(0);
      for (const url of ['/hosters', `/hosters/${leaseweb}`]) {
        await page.goto(`${api.url}${url}`);
        await visible(page.getByRole('heading', { name: 'Not for this role' }));
        expect(await byTestId(page, 'hoster-row').count()).toBe(0);
      }
      await shoot(page, 'analyst-not-for-role');
      await logOut(page);
      guarded.assertClean();

      // A supervisor: the header links the ranking.
      await logIn(page, api.url, supervisor);
      await byTestId(page, 'nav-hosters').click();
      await page.waitForURL((url) => url.pathname === '/hosters');
      await page.goto(`${api.url}/hosters?${pageWindow}`);
      await visible(byTestId(page, 'hoster-row'));
      expect((await attribute(page, 'hoster-row', 'data-asn')).map(Number)).toEqual(
        ranking.hosters.map((row) => row.asn),
      );
      expect(await attribute(page, 'hoster-row', 'data-value')).toEqual(
        ranking.hosters.map((row) => JSON.stringify(row.overdueNow)),
      );
      await assertAccessible(page, 'hosters');
      expect(await page.locator('img, video, picture, canvas').count(), 'no media on the hoster pages').toBe(
        0,
      );
      await shoot(page, 'ranking');
      guarded.assertClean();

      // Another figure to rank and draw by, chosen in the form with the keyboard.
      await byTestId(page, 'filter-sort').focus();
      await byTestId(page, 'filter-sort').selectOption('removedWithin24hShare');
      await byTestId(page, 'filter-submit').press('Enter');
      await page.waitForURL((url) => url.searchParams.get('sort') === 'removedWithin24hShare');
      const bySpeed = (await (
        await ask(`/v1/hosters?${apiWindow}&sort=removedWithin24hShare&order=desc`)
      ).json()) as { hosters: Figures[] };
      await expect
        .poll(() => attribute(page, 'hoster-row', 'data-value'))
        .toEqual(bySpeed.hosters.map((row) => JSON.stringify(row.removedWithin24hShare)));
      expect((await attribute(page, 'hoster-row', 'data-asn')).map(Number)).toEqual(
        bySpeed.hosters.map((row) => row.asn),
      );
      expect(await byTestId(page, 'bar-value').first().textContent()).toMatch(/^\d+(\.\d)? %$/);
      expect(await byTestId(page, 'filter-sort').inputValue(), 'the form shows the figure chosen').toBe(
        'removedWithin24hShare',
      );
      await shoot(page, 'ranking-by-24h');

      // A country and a minimum: the rows are the hosters within it, as the API ranks them.
      await byTestId(page, 'filter-country').fill('NL');
      await byTestId(page, 'filter-min-notices').fill('2');
      await byTestId(page, 'filter-submit').press('Enter');
      await page.waitForURL((url) => url.searchParams.get('country') === 'NL');
      const inNl = (await (
        await ask(`/v1/hosters?${apiWindow}&country=NL&minNotices=2&sort=removedWithin24hShare&order=desc`)
      ).json()) as { hosters: Figures[] };
      expect(inNl.hosters.map((row) => row.asn)).toEqual([leaseweb]);
      await expect.poll(() => attribute(page, 'hoster-row', 'data-asn')).toEqual([String(leaseweb)]);
      await page.goBack();
      await page.waitForURL((url) => !url.searchParams.has('country'));
      await expect.poll(() => attribute(page, 'hoster-row', 'data-asn')).toHaveLength(3);

      // The CSV: fetched with the token and saved, the API's own text.
      const csv = await savedDownload(page, () => byTestId(page, 'hosters-csv').click());
      expect(csv.name).toBe('hosters-2026-02-01-2026-03-31.csv');
      expect(csv.text).toBe(
        await (await ask(`/v1/hosters?${apiWindow}&sort=removedWithin24hShare&order=desc&format=csv`)).text(),
      );
      guarded.assertClean();

      // The hoster page, from its row, with the keyboard: Tab from the CSV button walks the row links.
      const rowOrder = (await attribute(page, 'hoster-row', 'data-asn')).map(Number);
      await byTestId(page, 'hosters-csv').focus();
      for (let step = 0; step <= rowOrder.indexOf(leaseweb); step++) await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.getAttribute("href")')).toMatch(
        new RegExp(`^/hosters/${leaseweb}\\?`),
      );
      await shoot(page, 'ranking-keyboard-focus');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === `/hosters/${leaseweb}`);
      await visible(byTestId(page, 'headline'));
      expect(await page.locator('img, video, picture, canvas').count(), 'no media on the hoster pages').toBe(
        0,
      );
      const hosterPage = (await (await ask(`/v1/hosters/${leaseweb}?${apiWindow}`)).json()) as {
        hoster: Figures;
        overdue: { noticeId: string; onlineForMs: number; sha256: string }[];
        trend: { month: string; notices: number }[];
      };
      for (const figure of [
        'notices',
        'renotices',
        'removed',
        'moved',
        'stillOnline',
        'medianTimeToRemovalMs',
        'p90TimeToRemovalMs',
        'removedWithin12hShare',
        'removedWithin24hShare',
        'onlineNow',
        'countryOnlineShare',
        'recidivism',
        'overdueNow',
      ]) {
        expect(await attribute(page, `figure-${figure}`, 'data-value'), figure).toEqual([
          JSON.stringify(hosterPage.hoster[figure]),
        ]);
      }
      expect(await byTestId(page, 'figure-notices').locator('dd').textContent()).toBe(
        String(hosterPage.hoster.notices),
      );
      expect(await byTestId(page, 'network-note').textContent()).toMatch(/per network, not per brand/i);

      // The charts: SVG drawn in the page, the survival curve with its 12 h and 24 h lines.
      for (const chart of ['survival-chart', 'histogram-chart', 'trend-chart'])
        await visible(byTestId(page, chart).locator('svg'));
      const survival = byTestId(page, 'survival-chart').locator('svg');
      expect(await survival.locator('.mark-12h text').textContent()).toBe('12 h (law)');
      expect(await survival.locator('.mark-24h text').textContent()).toBe('24 h (norm)');
      expect(await survival.locator('.rule-12h line').count(), 'the 12 h line').toBe(1);
      expect(await survival.locator('.rule-24h line').count(), 'the 24 h line').toBe(1);
      expect(await attribute(page, 'trend-row', 'data-notices')).toEqual(
        hosterPage.trend.map((month) => String(month.notices)),
      );

      // The overdue list: the API's, with the re-notice list copied for the hotline.
      expect(await attribute(page, 'overdue-row', 'data-notice-id')).toEqual(
        hosterPage.overdue.map((item) => item.noticeId),
      );
      expect(await attribute(page, 'online-for', 'data-value')).toEqual(
        hosterPage.overdue.map((item) => String(item.onlineForMs)),
      );
      await byTestId(page, 'overdue-select-all').check();
      await byTestId(page, 'renotice-copy').click();
      await expect
        .poll(async () => (await byTestId(page, 'overdue-status').textContent()) ?? '')
        .toContain(`${hosterPage.overdue.length} cases`);
      const copied = String(await page.evaluate('navigator.clipboard.readText()'));
      expect(
        copied
          .trimEnd()
          .split('\n')
          .map((line) => line.split('\t')[0]),
      ).toEqual(['noticeId', ...hosterPage.overdue.map((item) => item.noticeId)]);
      await byTestId(page, 'copy-sha256').first().click();
      await expect
        .poll(() => page.evaluate('navigator.clipboard.readText()'))
        .toBe(hosterPage.overdue[0]?.sha256);

      // The evidence export: the API's answer saved as a file (the API audits it as an export).
      const evidence = await savedDownload(page, () => byTestId(page, 'evidence-export').click());
      expect(evidence.name).toMatch(/^evidence-AS60781-2026-03-06T0000\.json$/);
      expect(
        (JSON.parse(evidence.text) as { items: { noticeId: string }[] }).items.map((item) => item.noticeId),
      ).toEqual(hosterPage.overdue.map((item) => item.noticeId));
      await expect
        .poll(async () => (await byTestId(page, 'overdue-status').textContent()) ?? '')
        .toContain(`Evidence saved: ${hosterPage.overdue.length} overdue cases`);

      // The hoster's CSV: the API's text.
      const hosterCsv = await savedDownload(page, () => byTestId(page, 'hoster-csv').click());
      expect(hosterCsv.name).toBe(`hoster-AS${leaseweb}.csv`);
      expect(hosterCsv.text).toBe(
        await (await ask(`/v1/hosters/${leaseweb}?${apiWindow}&format=csv`)).text(),
      );

      await assertAccessible(page, 'hoster');
      await shoot(page, 'hoster');
      guarded.assertClean();
    } finally {
      for (const guarded of pages) await guarded.close().catch(() => undefined);
      await browser?.close();
      await api?.stop();
      await deletePrefixedIndices(client, prefix).catch(() => undefined);
      await client.close();
      await rm(root, { recursive: true, force: true });
    }
  },
  240_000,
);

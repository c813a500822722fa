// `pnpm bench console`: the console's render times in Debian's chromium on the search suite's
// corpus (100k cases, 1M items under `bench-search.`): navigation start -> the first queue row,
// and Enter on a row -> the case's tier, against a same-origin document as the baseline.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Admin } from '@platformatic/kafka';
import { baseClientOptions, bootstrapTopics, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { createSearchClient, indexNames, type SearchClient, searchIndices } from '@triage/search';
import { defaultViewport, launchChromium, type Page } from '@triage/testkit/browser';
import { startTriageApiProcess, type TriageApiProcess } from '@triage/triage-api/testing';
import { formatInt } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import { renderTable, runsFor } from './render-table.ts';
import { type RenderTiming, timeBaseline, timeCase, timeQueue } from './render-timing.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
/** The search suite's deployment: its corpus is read here, never written (`pnpm bench search --keep` makes it). */
const corpusPrefix = 'bench-search.';
const warmUpRuns = 3;
/** Queue rows the case runs open in turn (a different case each time, all on the first page). */
const rowsOpened = 10;

/** The search suite's marker of a complete corpus (bench/search/load-corpus.ts). */
interface CorpusMarker {
  cases: number;
  itemsPerCase: number;
  seed: number;
  version: number;
}

async function corpusMarker(client: SearchClient): Promise<CorpusMarker> {
  const marker = await client
    .get<CorpusMarker>({ index: `${corpusPrefix}bench-corpus`, id: 'corpus' })
    .then((hit) => hit._source)
    .catch(() => undefined);
  if (!marker)
    throw new Error(
      `no corpus under ${corpusPrefix}: run \`pnpm bench search --keep\` (or \`--reuse\`) first, then \`pnpm bench console\``,
    );
  const cases = (await client.count({ index: indexNames(corpusPrefix, searchIndices.cases).alias })).count;
  if (cases !== marker.cases)
    throw new Error(`the corpus under ${corpusPrefix} is incomplete: ${cases} of ${marker.cases} cases`);
  return marker;
}

/**
 * The API writes its audit trail and actions under the corpus's prefix (the index prefix follows
 * the topic prefix): the topics it needs are made if missing and those made here deleted after.
 */
async function withApiTopics<T>(connection: KafkaConnection, run: () => Promise<T>): Promise<T> {
  const { created } = await bootstrapTopics({
    connection,
    topics: [pipelineTopics.audit, pipelineTopics.triageActions],
    replicationFactor: 1,
  });
  try {
    return await run();
  } finally {
    if (created.length > 0) {
      const admin = new Admin(baseClientOptions(connection, 'bench-console-cleanup'));
      await admin.deleteTopics({ topics: created }).finally(() => admin.close());
    }
  }
}

async function logIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.locator('[data-testid="login-role"]').selectOption('analyst');
  await page.locator('[data-testid="login-sub"]').fill('bench-analyst');
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

interface Measured {
  queue: RenderTiming[];
  case: RenderTiming[];
  baseline: number[];
}

/** Rounds of baseline, queue and case, interleaved so that a disturbance of the shared machine hits all three. */
async function measure(
  page: Page,
  origin: string,
  runs: number,
  log: (message: string) => void,
): Promise<Measured> {
  const measured: Measured = { queue: [], case: [], baseline: [] };
  for (let round = 0; round < warmUpRuns + runs; round++) {
    const baseline = await timeBaseline(page, origin);
    const queue = await timeQueue(page, origin);
    const opened = await timeCase(page, round % rowsOpened);
    if (round < warmUpRuns) continue;
    measured.baseline.push(baseline);
    measured.queue.push(queue);
    measured.case.push(opened);
    if ((round - warmUpRuns + 1) % 10 === 0) log(`${round - warmUpRuns + 1} / ${runs} rounds`);
  }
  return measured;
}

export const consoleSuite: Suite = {
  name: 'console',
  title: 'Console: first queue page and an opened case in Chromium, on 100k cases',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const client = createSearchClient({ url: elasticsearchUrl });
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-console-'));
    const connection: KafkaConnection = { brokers, clientId: 'bench-console', topicPrefix: corpusPrefix };
    let api: TriageApiProcess | undefined;
    try {
      const corpus = await corpusMarker(client);
      const runs = runsFor(ctx.scale);
      const measured = await withApiTopics(connection, async () => {
        api = await startTriageApiProcess({
          connection,
          elasticsearchUrl,
          authDir: path.join(dir, 'auth'),
          env: { CONTENT_STORE_ROOT: path.join(dir, 'content'), LOG_LEVEL: 'error' },
        });
        const shell = await fetch(`${api.url}/login`);
        await shell.arrayBuffer();
        if (shell.status !== 200)
          throw new Error('the API does not serve the console: run `pnpm console:build` first');
        const browser = await launchChromium();
        try {
          // A plain page, not the tests' guarded one: its request interception would be timed too.
          const page = await (await browser.newContext({ viewport: defaultViewport })).newPage();
          await logIn(page, api.url);
          ctx.log(`measuring ${warmUpRuns} warm-up + ${runs} rounds against ${api.url}`);
          const result = await measure(page, api.url, runs, ctx.log);
          return { ...result, version: browser.version() };
        } finally {
          await browser.close();
        }
      });
      const table = renderTable(
        [
          {
            name: 'first queue page: navigation start -> `queue-row` visible',
            render: measured.queue.map((timing) => timing.render),
            api: measured.queue.map((timing) => timing.api),
          },
          {
            name: 'opened case: Enter on a row -> `case-tier` visible',
            render: measured.case.map((timing) => timing.render),
            api: measured.case.map((timing) => timing.api),
          },
        ],
        measured.baseline,
      );
      const markdown = [
        `**Corpus**: the search suite's (\`pnpm bench search --keep\`): ${formatInt(corpus.cases)} cases, ${formatInt(corpus.cases * corpus.itemsPerCase)} items`,
        `(seed ${corpus.seed}, corpus version ${corpus.version}) under \`${corpusPrefix}\`, read by the triage API as an operator runs it`,
        '(`main.ts` in its own process, the local issuer, its audit trail on the real Kafka), which serves the console it built.',
        '',
        table,
        '',
        `**Method.** Debian's chromium ${measured.version}, headless, 1280x800, driven by playwright-core, logged in once as an`,
        `analyst through the login page. ${warmUpRuns} warm-up rounds, then ${runs} rounds of three, interleaved: the baseline, the queue,`,
        'a case. *Queue*: a navigation to `/` (the browser cache warm, as for an analyst coming back to the tab); the time runs',
        'from the document\u2019s navigation start (its `performance.timeOrigin`) to the animation frame at which the first',
        '`queue-row` is visible (`checkVisibility`, polled each frame): the shell, the bundle, `GET /v1/cases` and the render.',
        `*Case*: on that queue, row ${'`round mod 10`'} selected with j/k, then Enter; from the page\u2019s clock just before the key`,
        'to the frame at which `case-tier` is visible (a client-side route or a full navigation alike). *Its API request*: the',
        'longest resource timing of `/v1/cases` (queue) or `/v1/cases/{id}` (case) in those runs. *Baseline*: a navigation to',
        '`/openapi.json` until its `load` event: one same-origin document from the same server, no script and no search.',
        'Ratios are p50 against the baseline\u2019s p50 and p95 against its p95. The machine (2 cores) is shared.',
      ].join('\n');
      return {
        markdown,
        facts: [
          { name: 'Browser', value: `Debian chromium ${measured.version} (headless), playwright-core` },
          { name: 'Elasticsearch', value: `${elasticsearchUrl}, corpus under \`${corpusPrefix}\`` },
        ],
      };
    } finally {
      await api?.stop();
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

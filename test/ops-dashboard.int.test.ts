// deploy/ against the real services: every metric the Grafana dashboard's PromQL names is served
// by a real /metrics (a stage's ops server over a runner, store and table at work, and intake's
// main.ts), and
// the Prometheus scrape file scrapes each service at the ops port its config defaults to.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { opsPortDefaults } from '@triage/config';
import { enricherEnv } from '@triage/enricher/config';
import { TriageError } from '@triage/errors';
import { hashCheckEnv } from '@triage/hash-check/config';
import { hasherEnv } from '@triage/hasher/config';
import { hosterMonitorEnv } from '@triage/hoster-monitor/config';
import { indexerEnv } from '@triage/indexer/config';
import { intakeEnv } from '@triage/intake/config';
import { startIntakeProcess } from '@triage/intake/testing';
import { createLogger } from '@triage/logging';
import {
  ConsumerRunner,
  createRecordProducer,
  deployedTopic,
  GlobalTable,
  KeyedStateStore,
  pipelineTopics,
  stateTopics,
} from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { startStageOps } from '@triage/metrics';
import { parsePrometheusText, sampleValue, servedMetricNames } from '@triage/metrics/testing';
import { createCodec } from '@triage/schemas';
import { scorerEnv } from '@triage/scorer/config';
import { splitterEnv } from '@triage/splitter/config';
import { triageApiEnv } from '@triage/triage-api/config';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const deployDir = fileURLToPath(new URL('../deploy/', import.meta.url));

interface DashboardPanel {
  title: string;
  targets?: { expr: string }[];
  panels?: DashboardPanel[];
}

/** Every PromQL expression of the dashboard's panels. */
async function dashboardExpressions(): Promise<{ panel: string; expr: string }[]> {
  const dashboard = JSON.parse(
    await readFile(path.join(deployDir, 'grafana/triage-pipeline.json'), 'utf8'),
  ) as {
    panels: DashboardPanel[];
  };
  const all = (panels: DashboardPanel[]): DashboardPanel[] =>
    panels.flatMap((panel) => [panel, ...all(panel.panels ?? [])]);
  return all(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
  );
}

const promqlWords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
]);
const promqlOperators = new Set(['and', 'or', 'unless']);

/**
 * The metric names a PromQL expression selects: identifiers that are not functions (followed by
 * `(`), not keywords, not label names (inside `{}` or a `by (...)` list) and not in a range or string.
 */
function metricNamesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = [...stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\(?)/g)]
    .filter(([, word, call]) => call === '' && !promqlWords.has(word!) && !promqlOperators.has(word!))
    .map(([, word]) => word!);
  return [...new Set(names)];
}

describe('deploy/grafana dashboard expressions', () => {
  it('given a PromQL expression, then its metric names are read without functions, labels or keywords', () => {
    expect(
      metricNamesOf(
        'sum by (service, route) (rate(triage_http_request_duration_seconds_count{status=~"5.."}[5m])) / sum by (service) (rate(process_cpu_seconds_total[$__rate_interval]))',
      ),
    ).toEqual(['triage_http_request_duration_seconds_count', 'process_cpu_seconds_total']);
    expect(
      metricNamesOf(
        'histogram_quantile(0.95, sum by (stage, le) (rate(triage_stage_handling_seconds_bucket[5m])))',
      ),
    ).toEqual(['triage_stage_handling_seconds_bucket']);
  });
});

/** Strings as they are: the test stage's store and table hold plain text. */
const textCodec = {
  encode: (value: string) => Buffer.from(value),
  decode: (bytes: Buffer) => bytes.toString(),
};

kafkaTest(
  'given a runner with a store and a table at work, and intake as main.ts, then every metric the dashboard names is served by their /metrics',
  async ({ kafka }) => {
    const { connection } = kafka;
    await kafka.createTopics([
      pipelineTopics.mediaObserved,
      stateTopics.dedupeMedia,
      pipelineTopics.hashsets,
      pipelineTopics.bundles,
      pipelineTopics.bundleStatus,
    ]);
    const logger = createLogger({ name: 'ops-dashboard-test', level: 'silent' });
    const producer = createRecordProducer(connection, 'ops-dashboard-test');
    // A stage as the real ones are built: a runner, a keyed store, a global table.
    const store = new KeyedStateStore<string>({
      name: 'test.seen',
      connection,
      changelogTopic: deployedTopic(connection, stateTopics.dedupeMedia.name),
      codec: textCodec,
      logger,
    });
    const table = new GlobalTable<string>({
      name: 'test-lists',
      connection,
      topic: deployedTopic(connection, pipelineTopics.hashsets.name),
      codec: textCodec,
      logger,
    });
    const groupId = `${connection.topicPrefix}test-stage`;
    const runner = new ConsumerRunner({
      stage: 'test-stage',
      connection,
      groupId,
      input: pipelineTopics.mediaObserved,
      producer,
      logger,
      codec: createCodec(),
      stores: [store],
      lagPollMs: 200,
      handle: (record) => {
        if (record.value?.toString() === 'bad') throw new TriageError('TRIAGE_RECORD_INVALID', 'bad record');
        store.put(record.partition, record.key!, 'seen');
        return [];
      },
    });
    const ops = await startStageOps({
      service: 'test-stage',
      snapshot: () => ({ runners: [runner.metrics()], tables: { 'test-lists': table.size } }),
      host: '127.0.0.1',
      port: 0,
      logger,
    });
    const root = await mkdtemp(path.join(tmpdir(), 'ops-dashboard-'));
    let intake: Awaited<ReturnType<typeof startIntakeProcess>> | undefined;
    try {
      expect((await fetch(`${ops.url}/readyz`)).status).toBe(503);
      await producer.send([
        { topic: deployedTopic(connection, pipelineTopics.hashsets.name), key: 'h', value: Buffer.from('1') },
      ]);
      await table.start();
      await runner.start();
      const input = deployedTopic(connection, pipelineTopics.mediaObserved.name);
      await producer.send([
        { topic: input, key: 'sha-1', value: Buffer.from('good') },
        { topic: input, key: 'sha-2', value: Buffer.from('good') },
        { topic: input, key: 'sha-3', value: Buffer.from('bad') },
      ]);
      const labels = { service: 'test-stage', stage: 'test-stage', group: groupId };
      let stageText = '';
      for (let tries = 0; tries < 100; tries++) {
        stageText = await (await fetch(`${ops.url}/metrics`)).text();
        const lagSeries = parsePrometheusText(stageText).filter(
          (sample) => sample.name === 'triage_stage_consumer_lag_records',
        );
        if (lagSeries.length > 0 && sampleValue(stageText, 'triage_stage_records_in_total', labels) === 3)
          break;
        await sleep(200);
      }
      expect(sampleValue(stageText, 'triage_stage_records_in_total', labels)).toBe(3);
      expect(
        sampleValue(stageText, 'triage_stage_dead_letters_total', {
          ...labels,
          code: 'TRIAGE_RECORD_INVALID',
        }),
      ).toBe(1);
      // The dead letter and the two changelog writes.
      expect(sampleValue(stageText, 'triage_stage_records_out_total', labels)).toBe(3);
      expect(sampleValue(stageText, 'triage_stage_handling_seconds_count', labels)).toBe(3);
      expect(sampleValue(stageText, 'triage_state_store_keys', { ...labels, store: 'test.seen' })).toBe(2);
      expect(
        sampleValue(stageText, 'triage_global_table_rows', { service: 'test-stage', table: 'test-lists' }),
      ).toBe(1);
      expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);

      intake = await startIntakeProcess({ connection, root, env: { LOG_LEVEL: 'info' } });
      await fetch(`${intake.url}/v1/bundles/none`, { headers: { authorization: 'Bearer nope' } });
      const intakeText = await (await fetch(`${intake.opsUrl}/metrics`)).text();

      const served = new Set([...servedMetricNames(stageText), ...servedMetricNames(intakeText)]);
      const expressions = await dashboardExpressions();
      expect(expressions.length).toBeGreaterThanOrEqual(15);
      const missing = expressions.flatMap(({ panel, expr }) =>
        metricNamesOf(expr)
          .filter((name) => !served.has(name))
          .map((name) => `${panel}: ${name}`),
      );
      expect(missing).toEqual([]);
    } finally {
      await intake?.stop();
      await runner.stop();
      await Promise.all([table.close(), store.close()]);
      await ops.close();
      await producer.close();
      await rm(root, { recursive: true, force: true });
    }
  },
);

describe('deploy/prometheus scrape file', () => {
  it('given the scrape jobs, then each service is scraped once, at the ops port its config defaults to', async () => {
    const config = parseYaml(await readFile(path.join(deployDir, 'prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const scraped = Object.fromEntries(
      config.scrape_configs.map((job) => [
        job.job_name,
        job.static_configs
          .flatMap((group) => group.targets)
          .map((target) => Number(target.split(':').at(-1))),
      ]),
    );
    const configDefaults = {
      intake: intakeEnv.INTAKE_OPS_PORT.parse(undefined),
      'triage-api': triageApiEnv.TRIAGE_API_OPS_PORT.parse(undefined),
      splitter: splitterEnv.SPLITTER_OPS_PORT.parse(undefined),
      hasher: hasherEnv.HASHER_OPS_PORT.parse(undefined),
      enricher: enricherEnv.ENRICHER_OPS_PORT.parse(undefined),
      scorer: scorerEnv.SCORER_OPS_PORT.parse(undefined),
      indexer: indexerEnv.INDEXER_OPS_PORT.parse(undefined),
      'hash-check': hashCheckEnv.HASH_CHECK_OPS_PORT.parse(undefined),
      'hoster-monitor': hosterMonitorEnv.HOSTER_MONITOR_OPS_PORT.parse(undefined),
    };
    expect(configDefaults).toEqual(opsPortDefaults);
    expect(scraped).toEqual(
      Object.fromEntries(Object.entries(configDefaults).map(([job, port]) => [job, [port]])),
    );
    expect(new Set(Object.values(configDefaults)).size).toBe(Object.keys(configDefaults).length);
    expect(config.scrape_configs.every((job) => (job.metrics_path ?? '/metrics') === '/metrics')).toBe(true);
  });
});

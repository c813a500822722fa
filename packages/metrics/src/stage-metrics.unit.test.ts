import type { RunnerMetricsSnapshot, StageSnapshot } from '@triage/messaging';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './metrics-registry.ts';
import { stageReadiness } from './readiness.ts';
import { registerStageMetrics } from './stage-metrics.ts';

function runner(overrides: Partial<RunnerMetricsSnapshot> = {}): RunnerMetricsSnapshot {
  return {
    stage: 'indexer',
    groupId: 'indexer.cases',
    consumed: 120,
    produced: 7,
    deadLettered: 3,
    deadLettersByCode: { TRIAGE_RECORD_INVALID: 2, TRIAGE_ELASTICSEARCH_REJECTED: 1 },
    retries: 4,
    batches: 9,
    commitFailures: 1,
    redrivesSkipped: 3,
    reconnects: 0,
    paused: true,
    recordsPerSecond: 0,
    lag: { '0': '15', '1': '-1', '2': '0' },
    undecodableState: { 'scorer.reports': 1 },
    stateKeys: { 'scorer.reports': 42 },
    stateHeapValues: { 'scorer.reports': 7 },
    handlingSeconds: { bounds: [0.01, 0.1, 1], counts: [5, 3, 1, 1], sum: 2.75, count: 10 },
    lifecycle: { started: true, joined: true, stopping: false, partitions: [0, 2] },
    ...overrides,
  };
}

async function scrape(snapshot: StageSnapshot): Promise<string> {
  const registry = createMetricsRegistry({ service: 'indexer', processMetrics: false });
  registerStageMetrics(registry, { snapshot: () => snapshot });
  return registry.metrics();
}

describe('stage metrics', () => {
  it('given a runner snapshot, when scraped, then counters carry its totals by stage and group', async () => {
    const text = await scrape({ runners: [runner()], tables: {} });
    const labels = 'stage="indexer",group="indexer.cases",service="indexer"';
    expect(text).toContain(`triage_stage_records_in_total{${labels}} 120`);
    expect(text).toContain(`triage_stage_records_out_total{${labels}} 7`);
    expect(text).toContain(`triage_stage_retries_total{${labels}} 4`);
    expect(text).toContain(`triage_stage_commit_failures_total{${labels}} 1`);
    expect(text).toContain(`triage_stage_redrives_skipped_total{${labels}} 3`);
    expect(text).toContain('# TYPE triage_stage_records_in_total counter');
    expect(text).toContain(
      'triage_stage_dead_letters_total{stage="indexer",group="indexer.cases",code="TRIAGE_RECORD_INVALID",service="indexer"} 2',
    );
    expect(text).toContain(
      'triage_stage_dead_letters_total{stage="indexer",group="indexer.cases",code="TRIAGE_ELASTICSEARCH_REJECTED",service="indexer"} 1',
    );
    expect(text).toContain(`triage_stage_paused{${labels}} 1`);
    expect(text).toContain(`triage_stage_ready{${labels}} 1`);
    expect(text).toContain(`triage_stage_assigned_partitions{${labels}} 2`);
  });

  it('given lag per partition, then partitions not assigned here (-1) are left to their owner', async () => {
    const text = await scrape({ runners: [runner()], tables: {} });
    expect(text).toContain(
      'triage_stage_consumer_lag_records{stage="indexer",group="indexer.cases",partition="0",service="indexer"} 15',
    );
    expect(text).toContain('partition="2",service="indexer"} 0');
    expect(text).not.toContain('partition="1"');
  });

  it('given bucket counts, then the handling histogram is cumulative with +Inf, sum and count', async () => {
    const text = await scrape({ runners: [runner()], tables: {} });
    const labels = 'stage="indexer",group="indexer.cases"';
    expect(text).toContain('# TYPE triage_stage_handling_seconds histogram');
    expect(text).toContain(`triage_stage_handling_seconds_bucket{${labels},le="0.01",service="indexer"} 5`);
    expect(text).toContain(`triage_stage_handling_seconds_bucket{${labels},le="0.1",service="indexer"} 8`);
    expect(text).toContain(`triage_stage_handling_seconds_bucket{${labels},le="1",service="indexer"} 9`);
    expect(text).toContain(`triage_stage_handling_seconds_bucket{${labels},le="+Inf",service="indexer"} 10`);
    expect(text).toContain(`triage_stage_handling_seconds_sum{${labels},service="indexer"} 2.75`);
    expect(text).toContain(`triage_stage_handling_seconds_count{${labels},service="indexer"} 10`);
  });

  it('given stores and tables, then their sizes are gauges', async () => {
    const text = await scrape({ runners: [runner()], tables: { 'dedupe-media': 31 } });
    expect(text).toContain(
      'triage_state_store_keys{stage="indexer",group="indexer.cases",store="scorer.reports",service="indexer"} 42',
    );
    expect(text).toContain(
      'triage_state_store_heap_values{stage="indexer",group="indexer.cases",store="scorer.reports",service="indexer"} 7',
    );
    expect(text).toContain(
      'triage_state_store_undecodable_records_total{stage="indexer",group="indexer.cases",store="scorer.reports",service="indexer"} 1',
    );
    expect(text).toContain('triage_global_table_rows{table="dedupe-media",service="indexer"} 31');
  });

  it('given the counts grow between scrapes, then each scrape shows the totals (never added twice)', async () => {
    let consumed = 10;
    const registry = createMetricsRegistry({ service: 'splitter', processMetrics: false });
    registerStageMetrics(registry, {
      snapshot: () => ({
        runners: [runner({ stage: 'splitter', groupId: 'splitter', consumed })],
        tables: {},
      }),
    });
    await registry.metrics();
    consumed = 25;
    expect(await registry.metrics()).toContain(
      'triage_stage_records_in_total{stage="splitter",group="splitter",service="splitter"} 25',
    );
  });
});

describe('stageReadiness', () => {
  const ready = runner();
  it('given every runner started and joined, then ready', () => {
    expect(stageReadiness({ runners: [ready, { ...ready, groupId: 'b' }], tables: {} }).ready).toBe(true);
  });
  it.each([
    ['not started', { started: false, joined: false, stopping: false, partitions: [] }],
    ['not joined', { started: true, joined: false, stopping: false, partitions: [] }],
    ['draining', { started: true, joined: true, stopping: true, partitions: [0] }],
  ])('given one runner %s, then not ready and the check names it', (_, lifecycle) => {
    const report = stageReadiness({ runners: [ready, runner({ groupId: 'dedupe', lifecycle })], tables: {} });
    expect(report.ready).toBe(false);
    expect(report.checks.dedupe).toMatchObject({ ready: false, ...lifecycle });
    expect(report.checks['indexer.cases']).toMatchObject({ ready: true });
  });
  it('given no runners, then not ready', () => {
    expect(stageReadiness({ runners: [], tables: {} }).ready).toBe(false);
  });
  it('given a member with no partitions (more members than partitions), then it is still ready', () => {
    const standby = runner({ lifecycle: { started: true, joined: true, stopping: false, partitions: [] } });
    expect(stageReadiness({ runners: [standby], tables: {} }).ready).toBe(true);
  });
});

import type { RunnerMetricsSnapshot, StageSnapshot } from '@triage/messaging';
import { Counter, Gauge, type LabelValues, type Registry } from 'prom-client';
import { SnapshotHistogram } from './snapshot-histogram.ts';

type RunnerLabel = 'stage' | 'group';
type Series<L extends string> = Array<[LabelValues<L>, number]>;

/** Labels of a runner's series: the stage name and its consumer group (the indexer runs four groups of one stage). */
function runnerLabels(runner: RunnerMetricsSnapshot): Record<RunnerLabel, string> {
  return { stage: runner.stage, group: runner.groupId };
}

/** A runner that has started, joined its group and is not draining: it is doing its work. */
export function runnerReady(runner: RunnerMetricsSnapshot): boolean {
  const { started, joined, stopping } = runner.lifecycle;
  return started && joined && !stopping;
}

interface SnapshotMetric<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  series: (snapshot: StageSnapshot) => Series<L>;
}

/** One series per runner: `value(runner)` labelled by stage and group. */
function perRunner(name: string, help: string, value: (runner: RunnerMetricsSnapshot) => number) {
  return {
    name,
    help,
    labelNames: ['stage', 'group'],
    series: (snapshot: StageSnapshot): Series<string> =>
      snapshot.runners.map((runner) => [runnerLabels(runner), value(runner)]),
  };
}

/** One series per runner and entry of `entries(runner)` (a code, a store, a partition), the entry's key under `label`. */
function perRunnerEntry(
  name: string,
  help: string,
  label: string,
  entries: (runner: RunnerMetricsSnapshot) => Record<string, number>,
) {
  return {
    name,
    help,
    labelNames: ['stage', 'group', label],
    series: (snapshot: StageSnapshot): Series<string> =>
      snapshot.runners.flatMap((runner) =>
        Object.entries(entries(runner)).map(([key, value]): [LabelValues<string>, number] => [
          { ...runnerLabels(runner), [label]: key },
          value,
        ]),
      ),
  };
}

/** Lag per partition assigned here; -1 (not assigned here) is left to the partition's owner. */
function assignedLag(runner: RunnerMetricsSnapshot): Record<string, number> {
  return Object.fromEntries(
    Object.entries(runner.lag)
      .filter(([, lag]) => !lag.startsWith('-'))
      .map(([partition, lag]) => [partition, Number(lag)]),
  );
}

const counters: SnapshotMetric<string>[] = [
  perRunner(
    'triage_stage_records_in_total',
    'Input records handled (each once, after its batch completed)',
    (runner) => runner.consumed,
  ),
  perRunner(
    'triage_stage_records_out_total',
    'Records the broker acknowledged: outputs, dead letters and state changelog writes',
    (runner) => runner.produced,
  ),
  perRunnerEntry(
    'triage_stage_dead_letters_total',
    'Input records dead-lettered, by error code',
    'code',
    (runner) => runner.deadLettersByCode,
  ),
  perRunner(
    'triage_stage_retries_total',
    'Failed attempts that were retried (a record, a restore or a produce call)',
    (runner) => runner.retries,
  ),
  perRunner('triage_stage_batches_total', 'Batches handled and committed', (runner) => runner.batches),
  perRunner(
    'triage_stage_commit_failures_total',
    'Offset commits that failed (the records are re-delivered, harmlessly)',
    (runner) => runner.commitFailures,
  ),
  perRunner(
    'triage_stage_redrives_skipped_total',
    'Redriven dead letters meant for another stage of the same topic, committed past (ADR 0013)',
    (runner) => runner.redrivesSkipped,
  ),
  perRunner(
    'triage_stage_reconnects_total',
    'Consumer streams that failed and were reopened',
    (runner) => runner.reconnects,
  ),
  perRunnerEntry(
    'triage_state_store_undecodable_records_total',
    'State changelog records set aside on restore because they could not be decoded',
    'store',
    (runner) => runner.undecodableState,
  ),
];

const gauges: SnapshotMetric<string>[] = [
  perRunnerEntry(
    'triage_stage_consumer_lag_records',
    'Records of the input left to read, per partition assigned here (summed over co-partitioned inputs)',
    'partition',
    assignedLag,
  ),
  perRunner(
    'triage_stage_assigned_partitions',
    'Input partitions the group assigned to this instance',
    (runner) => runner.lifecycle.partitions.length,
  ),
  perRunner(
    'triage_stage_paused',
    '1 while a record is being retried and the runner takes no new records',
    (runner) => Number(runner.paused),
  ),
  perRunner(
    'triage_stage_ready',
    '1 once the runner has started and joined its group, 0 before and while draining',
    (runner) => Number(runnerReady(runner)),
  ),
  perRunnerEntry(
    'triage_state_store_keys',
    'Keys a state store holds here (over the partitions this instance holds)',
    'store',
    (runner) => runner.stateKeys,
  ),
  perRunnerEntry(
    'triage_state_store_heap_values',
    'Values a state store keeps decoded on the heap (on disk: its bounded cache and the writes not yet acknowledged)',
    'store',
    (runner) => runner.stateHeapValues,
  ),
  {
    name: 'triage_global_table_rows',
    help: 'Rows (or index entries) a global table holds: every partition, read in full',
    labelNames: ['table'],
    series: (snapshot) => Object.entries(snapshot.tables).map(([table, rows]) => [{ table }, rows]),
  },
];

export interface StageMetricsOptions {
  /** Read at every scrape (a stage service's `snapshot()`); nothing is counted twice. */
  snapshot: () => StageSnapshot;
}

/**
 * Registers the stage metrics on `registry`: each one reads the runners' snapshots when it is
 * scraped, so the runners keep counting in plain numbers and nothing here runs between scrapes.
 */
export function registerStageMetrics(registry: Registry, options: StageMetricsOptions): void {
  for (const metric of counters) {
    new Counter({
      name: metric.name,
      help: metric.help,
      labelNames: metric.labelNames,
      registers: [registry],
      collect() {
        // The runner holds the totals: the counter is set to them, not added to.
        this.reset();
        for (const [labels, value] of metric.series(options.snapshot())) this.inc(labels, value);
      },
    });
  }
  for (const metric of gauges) {
    new Gauge({
      name: metric.name,
      help: metric.help,
      labelNames: metric.labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [labels, value] of metric.series(options.snapshot())) this.set(labels, value);
      },
    });
  }
  registry.registerMetric(
    new SnapshotHistogram<RunnerLabel>({
      name: 'triage_stage_handling_seconds',
      help: "Time from a record's first attempt until its outputs or dead letter are handed on (retries included)",
      labelNames: ['stage', 'group'],
      read: () =>
        options
          .snapshot()
          .runners.map((runner) => ({ labels: runnerLabels(runner), histogram: runner.handlingSeconds })),
    }),
  );
}

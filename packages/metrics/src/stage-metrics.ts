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

/** Per runner, one value. */
function perRunner(value: (runner: RunnerMetricsSnapshot) => number) {
  return (snapshot: StageSnapshot): Series<RunnerLabel> =>
    snapshot.runners.map((runner) => [runnerLabels(runner), value(runner)]);
}

interface SnapshotMetric<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  series: (snapshot: StageSnapshot) => Series<L>;
}

const counters: SnapshotMetric<string>[] = [
  {
    name: 'triage_stage_records_in_total',
    help: 'Input records handled (each once, after its batch completed)',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => runner.consumed),
  },
  {
    name: 'triage_stage_records_out_total',
    help: 'Records the broker acknowledged: outputs, dead letters and state changelog writes',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => runner.produced),
  },
  {
    name: 'triage_stage_dead_letters_total',
    help: 'Input records dead-lettered, by error code',
    labelNames: ['stage', 'group', 'code'],
    series: (snapshot) =>
      snapshot.runners.flatMap((runner) =>
        Object.entries(runner.deadLettersByCode).map(([code, count]): [LabelValues<string>, number] => [
          { ...runnerLabels(runner), code },
          count,
        ]),
      ),
  },
  {
    name: 'triage_stage_retries_total',
    help: 'Failed attempts that were retried (a record, a restore or a produce call)',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => runner.retries),
  },
  {
    name: 'triage_stage_batches_total',
    help: 'Batches handled and committed',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => runner.batches),
  },
  {
    name: 'triage_stage_commit_failures_total',
    help: 'Offset commits that failed (the records are re-delivered, harmlessly)',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => runner.commitFailures),
  },
  {
    name: 'triage_stage_reconnects_total',
    help: 'Consumer streams that failed and were reopened',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => runner.reconnects),
  },
  {
    name: 'triage_state_store_undecodable_records_total',
    help: 'State changelog records set aside on restore because they could not be decoded',
    labelNames: ['stage', 'group', 'store'],
    series: (snapshot) =>
      snapshot.runners.flatMap((runner) =>
        Object.entries(runner.undecodableState).map(([store, count]): [LabelValues<string>, number] => [
          { ...runnerLabels(runner), store },
          count,
        ]),
      ),
  },
];

const gauges: SnapshotMetric<string>[] = [
  {
    name: 'triage_stage_consumer_lag_records',
    help: 'Records of the input left to read, per partition assigned here (summed over co-partitioned inputs)',
    labelNames: ['stage', 'group', 'partition'],
    series: (snapshot) =>
      snapshot.runners.flatMap((runner) =>
        Object.entries(runner.lag)
          // -1: the partition is not assigned to this instance; its owner reports it.
          .filter(([, lag]) => !lag.startsWith('-'))
          .map(([partition, lag]): [LabelValues<string>, number] => [
            { ...runnerLabels(runner), partition },
            Number(lag),
          ]),
      ),
  },
  {
    name: 'triage_stage_assigned_partitions',
    help: 'Input partitions the group assigned to this instance',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => runner.lifecycle.partitions.length),
  },
  {
    name: 'triage_stage_paused',
    help: '1 while a record is being retried and the runner takes no new records',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => Number(runner.paused)),
  },
  {
    name: 'triage_stage_ready',
    help: '1 once the runner has started and joined its group, 0 before and while draining',
    labelNames: ['stage', 'group'],
    series: perRunner((runner) => Number(runnerReady(runner))),
  },
  {
    name: 'triage_state_store_keys',
    help: 'Keys a state store holds here (over the partitions this instance holds)',
    labelNames: ['stage', 'group', 'store'],
    series: (snapshot) =>
      snapshot.runners.flatMap((runner) =>
        Object.entries(runner.stateKeys).map(([store, keys]): [LabelValues<string>, number] => [
          { ...runnerLabels(runner), store },
          keys,
        ]),
      ),
  },
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

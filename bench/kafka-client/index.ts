import { packageVersion } from '../lib/package-version.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import { type BrokerUnderTest, externalBroker } from './broker.ts';
import { type ClientName, clientNames } from './jobs.ts';
import { localStackBroker } from './local-stack-broker.ts';
import { type BakeOffPlan, bakeOffPlan } from './plan.ts';
import { checkRecovery, type RecoveryResult } from './recovery.ts';
import {
  type RecoveryRow,
  recoveryTable,
  resourceTable,
  runsTable,
  type Sample,
  summarize,
  throughputTable,
} from './table.ts';
import { measureThroughput } from './throughput.ts';
import { runJob } from './worker-pool.ts';

const versions: Record<ClientName, string> = {
  kafkajs: packageVersion('kafkajs'),
  platformatic: packageVersion('@platformatic/kafka'),
};
const label = (client: ClientName) => (client === 'kafkajs' ? 'kafkajs' : 'platformatic');
const names = { baseline: 'kafkajs' as ClientName, candidate: 'platformatic' as ClientName, label };

function methodText(
  plan: BakeOffPlan,
  broker: BrokerUnderTest,
  failover: BrokerUnderTest | undefined,
): string {
  const sizes = plan.sizes
    .map((s) => `${s.records.toLocaleString('en')} records of ${s.label} in send calls of ${s.batchRecords}`)
    .join('; ');
  const consumed = plan.sizes
    .map((s) => `${s.consumeRecords.toLocaleString('en')} records of ${s.label}`)
    .join(' or ');
  const r = plan.recovery;
  return [
    `**Method.** One broker set-up (${broker.description}), both clients in the same run, interleaved`,
    `(kafkajs, platformatic, kafkajs, ...) for ${plan.repetitions} repetitions; the tables show the median of the`,
    `${plan.repetitions} runs. Every run is a fresh Node process (so CPU time and peak RSS belong to one client).`,
    `Topics have ${plan.partitions} partitions and replication factor ${broker.nodes}; records have a distinct key`,
    'and seeded random (incompressible) values, no compression.',
    '',
    `- **Produce**: ${sizes}; ${plan.inFlight} send calls in flight; idempotent producer, acks=all (-1), each`,
    '  client into a fresh topic created with its own admin API. Timed from the first send to the last',
    '  acknowledgement; the record count in the topic is checked afterwards.',
    `- **Consume**: a new consumer group reads the same pre-filled topic (${consumed}) from the earliest`,
    '  offset until it has every record, committing after processing (kafkajs: `eachBatch` + `resolveOffset`, auto-commit after each',
    '  batch; platformatic: `autocommit: false` + `message.commit()` per record, which the client coalesces).',
    `  Same fetch limits for both: maxBytes ${plan.fetch.maxBytes / 2 ** 20} MiB, ${plan.fetch.maxBytesPerPartition / 2 ** 20} MiB per`,
    `  partition, max wait ${plan.fetch.maxWaitMs} ms. Timed from the first to the last record; "first record ms" is`,
    '  the time from creating the consumer (connect, group join) to the first record.',
    "- MB = 10^6 bytes of record values. CPU is the client process's user + system time in the timed window",
    "  (the broker runs on the same cores). Peak RSS is the client process's maximum, payload pool included.",
    '',
    `**Recovery check**, per client: a paced idempotent producer (${r.records.toLocaleString('en')} keyed records of`,
    `${r.recordBytes / 1024} KB, ${r.ratePerSecond} records/s, send calls of ${r.batchRecords}; a failed send is retried by the`,
    'application with the same records) and a consumer group that commits after processing run together.',
    `Once ${r.stopAfterAcked * 100}% of the records are acknowledged and ${r.stopAfterProcessed * 100}% processed, Kafka is hit (SIGKILL),`,
    `left down ${r.downMs / 1000} s and started again, on ${failover ? `two clusters: the one above (${broker.outage}: an outage) and one of ${failover.nodes} nodes (${failover.description}; ${failover.outage}: a failover to the other leaders)` : `the cluster above (${broker.outage})`}.`,
    'Afterwards a fresh consumer group reads the whole topic.',
    '"Lost" = acknowledged but not in the log; "log duplicates" = extra copies of a record in the log;',
    '"lost committed" = below the group\'s committed offset but never processed; "redelivered" = deliveries',
    'beyond one per copy in the log (at-least-once redelivery of uncommitted records: expected, not a failure).',
    '"Stalled" = the longest time without an acknowledged send / a processed record (pacing alone gives',
    `${(r.batchRecords / r.ratePerSecond).toFixed(1)} s between sends); "resumed after restart" = time from the start of the restart to the first acknowledged`,
    'send / processed record after it (the bullets below say when the broker served again). Both clients get',
    'about a minute of retries (kafkajs: 15 retries, 300 ms doubling to 5 s; platformatic: 60 retries 1 s apart;',
    'both idempotent producers retry forever); a platformatic stream that gives up is reopened by the application.',
  ].join('\n');
}

function outageText(results: readonly RecoveryResult[]): string {
  return results
    .map((r) => {
      const o = r.outage;
      if (!o) return `- ${r.scenario}, ${label(r.client)}: no outage was triggered.`;
      return `- ${r.scenario}, ${label(r.client)}: Kafka killed at ${o.ackedAtStop.toLocaleString('en')} acked / ${o.processedAtStop.toLocaleString('en')} processed records, down ${((o.restartAt - o.stoppedAt) / 1000).toFixed(1)} s, serving again ${((o.readyAt - o.restartAt) / 1000).toFixed(1)} s after the restart began.`;
    })
    .join('\n');
}

function errorsText(rows: readonly RecoveryRow[]): string {
  return rows
    .map((row) => {
      const entries = Object.entries(row.errors ?? {}).sort((a, b) => b[1] - a[1]);
      const list =
        entries.length === 0
          ? '  - none'
          : entries.map(([name, count]) => `  - ${count}× \`${name.replaceAll('`', "'")}\``).join('\n');
      return `- ${row.scenario}, ${label(row.client)}:\n${list}`;
    })
    .join('\n');
}

function render(
  plan: BakeOffPlan,
  broker: BrokerUnderTest,
  failover: BrokerUnderTest | undefined,
  samples: readonly Sample[],
  recovery: readonly RecoveryResult[],
): string {
  const rows = summarize(samples);
  return [
    `Baseline: **kafkajs ${versions.kafkajs}**; candidate: **@platformatic/kafka ${versions.platformatic}**. Ratios are`,
    'platformatic / kafkajs (above 1: platformatic is faster). Decision and context: [ADR 0001](adr/0001-kafka-client.md).',
    '',
    '### Throughput (median of 3)',
    '',
    throughputTable(rows, names),
    '',
    '### Client cost (median of 3)',
    '',
    resourceTable(rows, names),
    '',
    '<details><summary>Every run, in order</summary>',
    '',
    runsTable(samples, label),
    '',
    '</details>',
    '',
    '### Recovery from a broker restart',
    '',
    recoveryTable(recovery, label),
    '',
    outageText(recovery),
    '',
    '<details><summary>Errors each client surfaced or logged during the recovery check</summary>',
    '',
    errorsText(recovery),
    '',
    '</details>',
    '',
    '### Method',
    '',
    methodText(plan, broker, failover),
  ].join('\n');
}

async function onCluster(
  ctx: SuiteContext,
  broker: BrokerUnderTest & { release?: () => Promise<void> },
  plan: BakeOffPlan,
  runId: string,
  throughput: boolean,
): Promise<{ samples: Sample[]; recovery: RecoveryResult[] }> {
  const topics: string[] = [];
  const shared = { broker, plan, runId, log: ctx.log, topics };
  try {
    ctx.log(`Kafka ${broker.kafkaVersion}, ${broker.nodes} node(s) at ${broker.brokers.join(',')}`);
    const samples = throughput ? await measureThroughput(shared) : [];
    const recovery: RecoveryResult[] = [];
    for (const client of clientNames) recovery.push(await checkRecovery(shared, client));
    return { samples, recovery };
  } finally {
    if (topics.length > 0) {
      await runJob(
        { kind: 'delete-topics', client: 'platformatic', brokers: broker.brokers, topics },
        { timeoutMs: 120_000 },
      ).catch((error: unknown) => ctx.log(`could not delete the bench topics: ${String(error)}`));
    }
    await broker.release?.();
  }
}

export const kafkaClientSuite: Suite = {
  name: 'kafka-client',
  title: 'Kafka client bake-off: kafkajs vs @platformatic/kafka',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const plan = bakeOffPlan(ctx.scale);
    const runId = Date.now().toString(36);
    const external = externalBroker(process.env);

    // Throughput and the outage check on one cluster (1 node unless BENCH_KAFKA_BROKERS names one).
    const broker = external ?? (await localStackBroker(ctx, 1));
    const { samples, recovery } = await onCluster(ctx, broker, plan, runId, true);
    // The failover check on a 3-node cluster of the local stack.
    const failover = external ? undefined : await localStackBroker(ctx, 3);
    if (failover) recovery.push(...(await onCluster(ctx, failover, plan, runId, false)).recovery);

    const clusters = [broker, ...(failover ? [failover] : [])];
    return {
      markdown: render(plan, broker, failover, samples, recovery),
      facts: [
        { name: 'Kafka', value: `${broker.kafkaVersion}; ${clusters.map((c) => c.description).join('; ')}` },
        {
          name: 'Clients',
          value: `kafkajs ${versions.kafkajs}, @platformatic/kafka ${versions.platformatic}`,
        },
      ],
    };
  },
};

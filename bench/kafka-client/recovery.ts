import type { BrokerUnderTest } from './broker.ts';
import type { ClientName, PartitionOffsets, ReadAllResult, RecoveryRun } from './jobs.ts';
import type { BakeOffPlan } from './plan.ts';
import { judgeRecovery, type Outage } from './recovery-verdict.ts';
import type { RecoveryRow } from './table.ts';
import { runJob } from './worker-pool.ts';

export interface RecoveryContext {
  readonly broker: BrokerUnderTest;
  readonly plan: BakeOffPlan;
  readonly runId: string;
  readonly log: (message: string) => void;
  readonly topics: string[];
}

export interface RecoveryResult extends RecoveryRow {
  readonly outage: Outage | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One client's broker-restart check: a paced idempotent producer and a committing consumer group
 * run in one worker; once part of the records are acknowledged and processed, every Kafka node is
 * killed, left down for a while and started again. Afterwards a fresh consumer group reads the
 * whole topic, and the log, the acks, the deliveries and the committed offsets are compared.
 */
export async function checkRecovery(ctx: RecoveryContext, client: ClientName): Promise<RecoveryResult> {
  const { broker, plan } = ctx;
  const spec = plan.recovery;
  const topic = `bench-kc-${ctx.runId}-recovery-${broker.nodes}n-${client}`;
  const groupId = `${topic}-group`;
  const scenario = `${broker.nodes} node${broker.nodes === 1 ? '' : 's'}, ${broker.outage}`;
  let outage: Outage | undefined;
  let outageDone: Promise<void> | undefined;

  const triggerOutage = (acked: number, processed: number) => {
    outageDone = (async () => {
      const stoppedAt = Date.now();
      ctx.log(`${client} (${scenario}): killing Kafka at ${acked} acked / ${processed} processed records`);
      await broker.crash();
      await sleep(spec.downMs);
      const restartAt = Date.now();
      ctx.log(`${client}: restarting Kafka after ${spec.downMs / 1000} s down`);
      await broker.restart();
      const readyAt = Date.now();
      ctx.log(`${client}: Kafka ready again after ${((readyAt - restartAt) / 1000).toFixed(1)} s`);
      outage = { stoppedAt, restartAt, readyAt, ackedAtStop: acked, processedAtStop: processed };
    })();
  };

  try {
    ctx.topics.push(topic);
    await runJob(
      {
        kind: 'create-topic',
        client,
        brokers: broker.brokers,
        topic,
        partitions: plan.partitions,
        replicationFactor: broker.nodes,
      },
      { timeoutMs: 120_000 },
    );
    const run = await runJob<RecoveryRun>(
      {
        kind: 'recovery',
        client,
        brokers: broker.brokers,
        topic,
        groupId,
        records: spec.records,
        recordBytes: spec.recordBytes,
        batchRecords: spec.batchRecords,
        ratePerSecond: spec.ratePerSecond,
        deadlineMs: spec.deadlineMs,
        fetch: plan.fetch,
        seed: plan.seed,
      },
      {
        timeoutMs: spec.deadlineMs + 120_000,
        onProgress: ({ acked, processed }) => {
          const due =
            acked >= spec.stopAfterAcked * spec.records &&
            processed >= spec.stopAfterProcessed * spec.records;
          if (due && !outageDone) triggerOutage(acked, processed);
        },
      },
    );
    await outageDone;
    ctx.log(`${client}: run over (completed: ${run.completed}); reading the topic back`);
    const offsets = await runJob<PartitionOffsets[]>(
      { kind: 'offsets', client, brokers: broker.brokers, topic, groupId },
      { timeoutMs: 120_000 },
    );
    const expected = offsets.reduce((sum, p) => sum + (p.end - p.start), 0);
    const log = await runJob<ReadAllResult>(
      {
        kind: 'read-all',
        client,
        brokers: broker.brokers,
        topic,
        groupId: `${topic}-verify`,
        expected,
        fetch: plan.fetch,
      },
      { timeoutMs: 300_000 },
    );
    const verdict = judgeRecovery({ records: spec.records, run, log, offsets, outage });
    return {
      scenario,
      client,
      verdict,
      outage,
      sendFailures: run.sendFailures,
      errors: run.errors,
    };
  } catch (error) {
    // Whatever happened to the client, the broker must be back for the next check.
    await outageDone?.catch(() => {});
    const failure = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    ctx.log(`${client}: recovery check failed: ${failure}`);
    return { scenario, client, verdict: undefined, failure, outage };
  }
}

import type { BrokerUnderTest } from './broker.ts';
import { type ClientName, clientNames, type Measurement, type PartitionOffsets } from './jobs.ts';
import type { BakeOffPlan } from './plan.ts';
import type { Direction, Sample } from './table.ts';
import { runJob } from './worker-pool.ts';

export interface ThroughputContext {
  readonly broker: BrokerUnderTest;
  readonly plan: BakeOffPlan;
  readonly runId: string;
  readonly log: (message: string) => void;
  /** Every topic created, for clean-up. */
  readonly topics: string[];
}

const jobTimeoutMs = 10 * 60_000;

const total = (offsets: readonly PartitionOffsets[]) =>
  offsets.reduce((sum, p) => sum + (p.end - p.start), 0);

async function createTopic(ctx: ThroughputContext, client: ClientName, topic: string): Promise<void> {
  ctx.topics.push(topic);
  await runJob(
    {
      kind: 'create-topic',
      client,
      brokers: ctx.broker.brokers,
      topic,
      partitions: ctx.plan.partitions,
      replicationFactor: ctx.broker.nodes,
    },
    { timeoutMs: 120_000 },
  );
}

async function countRecords(ctx: ThroughputContext, client: ClientName, topic: string): Promise<number> {
  const offsets = await runJob<PartitionOffsets[]>(
    { kind: 'offsets', client, brokers: ctx.broker.brokers, topic },
    { timeoutMs: 120_000 },
  );
  return total(offsets);
}

/**
 * Produce and consume throughput, clients interleaved (A B A B A B) so machine noise lands on
 * both. Each repetition, for each record size: every client produces into a fresh topic created
 * with its own admin API, then every client consumes the same pre-filled input topic with a new
 * consumer group from the earliest offset.
 */
export async function measureThroughput(ctx: ThroughputContext): Promise<Sample[]> {
  const { plan, broker } = ctx;
  const inputs = new Map<string, string>();
  for (const size of plan.sizes) {
    const topic = `bench-kc-${ctx.runId}-input-${size.recordBytes}`;
    ctx.log(`filling ${topic} with ${size.consumeRecords} records of ${size.label} (untimed)`);
    await createTopic(ctx, 'platformatic', topic);
    await runJob(
      {
        kind: 'produce',
        client: 'platformatic',
        brokers: broker.brokers,
        topic,
        records: size.consumeRecords,
        recordBytes: size.recordBytes,
        batchRecords: size.batchRecords,
        inFlight: plan.inFlight,
        seed: plan.seed,
      },
      { timeoutMs: jobTimeoutMs },
    );
    const count = await countRecords(ctx, 'platformatic', topic);
    if (count !== size.consumeRecords) {
      throw new Error(`input topic ${topic} holds ${count} records, expected ${size.consumeRecords}`);
    }
    inputs.set(size.label, topic);
  }

  const samples: Sample[] = [];
  const record = (
    repetition: number,
    size: string,
    direction: Direction,
    client: ClientName,
    m: Measurement,
  ) => {
    samples.push({ order: samples.length + 1, repetition, size, direction, client, measurement: m });
    const rate = Math.round(m.records / (m.elapsedMs / 1000));
    ctx.log(
      `rep ${repetition} ${size} ${direction} ${client}: ${rate} records/s, ${Math.round(m.cpuMs)} ms CPU`,
    );
  };

  for (let repetition = 1; repetition <= plan.repetitions; repetition++) {
    for (const size of plan.sizes) {
      for (const client of clientNames) {
        const topic = `bench-kc-${ctx.runId}-out-${client}-${size.recordBytes}-r${repetition}`;
        await createTopic(ctx, client, topic);
        const m = await runJob<Measurement>(
          {
            kind: 'produce',
            client,
            brokers: broker.brokers,
            topic,
            records: size.records,
            recordBytes: size.recordBytes,
            batchRecords: size.batchRecords,
            inFlight: plan.inFlight,
            seed: plan.seed + repetition,
          },
          { timeoutMs: jobTimeoutMs },
        );
        const written = await countRecords(ctx, client, topic);
        if (written !== size.records) {
          throw new Error(`${client} produced ${written} records into ${topic}, expected ${size.records}`);
        }
        record(repetition, size.label, 'produce', client, m);
      }
      for (const client of clientNames) {
        const m = await runJob<Measurement>(
          {
            kind: 'consume',
            client,
            brokers: broker.brokers,
            topic: inputs.get(size.label)!,
            groupId: `bench-kc-${ctx.runId}-group-${client}-${size.recordBytes}-r${repetition}`,
            records: size.consumeRecords,
            fetch: plan.fetch,
          },
          { timeoutMs: jobTimeoutMs },
        );
        record(repetition, size.label, 'consume', client, m);
      }
    }
  }
  return samples;
}

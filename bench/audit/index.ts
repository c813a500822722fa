import {
  type AuditEntry,
  type AuditRecordInput,
  AuditTrail,
  auditEntryOf,
  verifyAuditTrail,
} from '@triage/audit';
import { createLogger } from '@triage/logging';
import {
  bootstrapTopics,
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  PartitionReader,
  pipelineTopics,
  type RecordProducer,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { createCodec } from '@triage/schemas';
import { formatInt, formatRatio, median } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const codec = createCodec();
const logger = createLogger({ name: 'bench-audit', level: 'warn' });
const repetitions = 3;

/** A synthetic audited case view (no personal data). */
const viewCase = (n: number): AuditRecordInput => ({
  actor: `analyst-${n % 40}`,
  role: 'analyst',
  action: 'view_case',
  target: { type: 'report', id: `partner-a:CT-${n}` },
  requestId: `req-${n}`,
  outcome: 'allowed',
});

/** Runs `count` calls of `call`, at most `inFlight` at a time; returns calls per second. */
async function rate(count: number, inFlight: number, call: (n: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await call(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

interface WriteRun {
  trail: number;
  bare: number;
}

/** Events/s through an AuditTrail against the bare producer sending the same encoded events. */
async function measureWrites(
  connection: KafkaConnection,
  producer: RecordProducer,
  count: number,
  inFlight: number,
  run: string,
): Promise<WriteRun> {
  const topic = deployedTopic(connection, pipelineTopics.audit.name);
  const trail = new AuditTrail({ producer, topic, writerId: `bench-${run}`, logger });
  const trailRate = await rate(count, inFlight, (n) => trail.record(viewCase(n)));
  const encoded = Array.from({ length: count }, (_, n) =>
    codec.encode('AuditEvent', { ...viewCase(n), eventId: `bare-${run}-${n}`, at: Date.now() }),
  );
  const bareRate = await rate(count, inFlight, (n) =>
    producer.send([{ topic, key: `bare-${run}`, value: encoded[n]! }]),
  );
  return { trail: trailRate, bare: bareRate };
}

/**
 * The audit trail's cost (docs/adr/0010-audit-hash-chain.md): events/s one writer records with
 * acks=all, one request at a time and with many in flight (group commit), against the bare
 * producer; and how fast `triage audit verify`'s reading and checking go.
 */
export const auditSuite: Suite = {
  name: 'audit',
  title: 'Audit trail: hash-chained writes with acks=all vs the bare producer; verify throughput',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const sequential = Math.max(200, Math.round(2_000 * ctx.scale));
    const concurrent = Math.max(1_000, Math.round(20_000 * ctx.scale));
    const inFlight = 64;
    const connection: KafkaConnection = {
      brokers,
      clientId: 'bench-audit',
      topicPrefix: `bench-audit-${process.pid}-${Date.now().toString(36)}.`,
    };
    try {
      await bootstrapTopics({ connection, topics: [pipelineTopics.audit], replicationFactor: 1 });
      const producer = createRecordProducer(connection, 'bench-audit');
      const one: WriteRun[] = [];
      const many: WriteRun[] = [];
      try {
        for (let repetition = 0; repetition < repetitions; repetition++) {
          ctx.log(`repetition ${repetition + 1}: ${sequential} events one at a time`);
          one.push(await measureWrites(connection, producer, sequential, 1, `one-${repetition}`));
          ctx.log(`repetition ${repetition + 1}: ${concurrent} events, ${inFlight} in flight`);
          many.push(await measureWrites(connection, producer, concurrent, inFlight, `many-${repetition}`));
        }
      } finally {
        await producer.close();
      }

      ctx.log('verify: read the topic and check every chain');
      const readRates: number[] = [];
      const checkRates: number[] = [];
      let records = 0;
      let chains = 0;
      for (let repetition = 0; repetition < repetitions; repetition++) {
        const reader = new PartitionReader({
          connection,
          topic: deployedTopic(connection, pipelineTopics.audit.name),
          name: 'bench-audit',
        });
        const raw: Parameters<typeof auditEntryOf>[1][] = [];
        const started = performance.now();
        try {
          await reader.readToEnd((record) => raw.push(record));
        } finally {
          await reader.close();
        }
        const readSeconds = (performance.now() - started) / 1000;
        const checkStarted = performance.now();
        const entries: AuditEntry[] = raw.map((record) => auditEntryOf(codec, record));
        const result = verifyAuditTrail(entries.filter((entry) => entry.kind === 'chained'));
        const checkSeconds = (performance.now() - checkStarted) / 1000;
        if (result.findings.length > 0)
          throw new Error(`the benchmark's own trail has ${result.findings.length} findings`);
        records = raw.length;
        chains = result.chains.length;
        readRates.push(records / readSeconds);
        checkRates.push(records / checkSeconds);
      }

      const row = (label: string, runs: WriteRun[]) => {
        const trail = median(runs.map((r) => r.trail));
        const bare = median(runs.map((r) => r.bare));
        return `| ${label} | ${formatInt(trail)} | ${formatInt(bare)} | ${formatRatio(trail, bare)} |`;
      };
      const markdown = [
        'One writer (`AuditTrail`, acks=all, idempotent producer) recording synthetic case views into',
        '`audit.v1` (3 partitions, RF 1). Baseline: the same producer sending the same events, already',
        'encoded and unchained, one record per send with the same number of calls in flight. Medians',
        `of ${repetitions} repetitions.`,
        '',
        '| Writes | Trail events/s | Bare producer events/s | Trail / bare |',
        '| --- | ---: | ---: | ---: |',
        row(`${formatInt(sequential)} events, one request at a time`, one),
        row(`${formatInt(concurrent)} events, ${inFlight} requests in flight`, many),
        '',
        `Verify over the whole topic (${formatInt(records)} records, ${chains} chains; the bare records are`,
        'left out of the check): reading from the beginning with `PartitionReader`, then',
        're-hashing every record with its writer schema and checking the chains.',
        '',
        '| Verify step | Records/s |',
        '| --- | ---: |',
        `| read the topic | ${formatInt(median(readRates))} |`,
        `| re-hash and check (\`auditEntryOf\` + \`verifyAuditTrail\`) | ${formatInt(median(checkRates))} |`,
      ].join('\n');
      return {
        markdown,
        facts: [{ name: 'Kafka', value: `${brokers.join(',')}, RF 1, topics under a fresh prefix` }],
      };
    } finally {
      await deletePrefixedTopics(connection, 'bench-audit-cleanup').catch(() => undefined);
    }
  },
};

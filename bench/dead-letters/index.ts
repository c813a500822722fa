import { TriageError } from '@triage/errors';
import {
  bootstrapTopics,
  createRecordProducer,
  deadLetterRecord,
  deployedTopic,
  type InboundRecord,
  type KafkaConnection,
  opsTopics,
  PartitionReader,
  pipelineTopics,
  readDeadLetters,
  redriveDeadLetters,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { createCodec } from '@triage/schemas';
import { formatInt, formatRatio, median } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const codec = createCodec();
const repetitions = 3;
const codes = ['TRIAGE_SCHEMA_DECODE_FAILED', 'TRIAGE_RECORD_INVALID', 'TRIAGE_MEDIA_UNDECODABLE'] as const;

/** A dead letter of `items.v1` as the hasher writes it: invented ids, 600 opaque bytes as the original value. */
function deadLetterOf(topic: string, n: number, now: number) {
  const record: InboundRecord = {
    topic,
    partition: n % pipelineTopics.items.partitions,
    offset: BigInt(n),
    key: `bench-partner:report-${n}`,
    value: Buffer.alloc(600, n % 251),
    headers: {},
    rawHeaders: [],
    timestamp: BigInt(now),
  };
  // One dead letter in ten has the code the filtered listing asks for.
  const code = n % 10 === 0 ? codes[0] : codes[1 + (n % 2)]!;
  return deadLetterRecord({
    record,
    error: new TriageError(code, 'bench: set aside'),
    stage: 'hasher',
    attempt: 1,
    now,
    codec,
  });
}

const seconds = (started: number) => (performance.now() - started) / 1000;

/**
 * `pnpm triage dlq` at volume (docs/adr/0013-dead-letter-redrive.md): listing (a reader of its own
 * that decodes every dead letter), listing one error code (headers tested before decoding), and
 * redrive (copies and ledger entries with acks=all, then a second run that sends nothing), against
 * a plain read of the same dead-letter topic that decodes nothing.
 */
export const deadLettersSuite: Suite = {
  name: 'dead-letters',
  title: 'Dead letters: list and redrive vs a plain read of the same topic',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const count = Math.max(1_000, Math.round(20_000 * ctx.scale));
    const connection: KafkaConnection = {
      brokers,
      clientId: 'bench-dead-letters',
      topicPrefix: `bench-dlq-${process.pid}-${Date.now().toString(36)}.`,
    };
    const dlqTopic = deployedTopic(connection, `${pipelineTopics.items.name}.dlq`);
    try {
      await bootstrapTopics({
        connection,
        topics: [pipelineTopics.items, opsTopics.redriveLedger],
        replicationFactor: 1,
      });
      const producer = createRecordProducer(connection, 'bench-dead-letters');
      try {
        ctx.log(`writing ${count} dead letters of items.v1`);
        const now = Date.now();
        const source = deployedTopic(connection, pipelineTopics.items.name);
        for (let from = 0; from < count; from += 500) {
          const chunk = Array.from({ length: Math.min(500, count - from) }, (_, i) =>
            deadLetterOf(source, from + i, now),
          );
          await producer.send(chunk);
        }

        const plain: number[] = [];
        const listed: number[] = [];
        const byCode: number[] = [];
        let matched = 0;
        for (let repetition = 0; repetition < repetitions; repetition++) {
          ctx.log(`repetition ${repetition + 1}: plain read, list, list by code`);
          let read = 0;
          const reader = new PartitionReader({ connection, topic: dlqTopic, name: 'bench-dlq-plain' });
          let started = performance.now();
          try {
            await reader.readToEnd(() => {
              read += 1;
            });
          } finally {
            await reader.close();
          }
          plain.push(read / seconds(started));
          started = performance.now();
          const all = await readDeadLetters({ connection, codec, filter: { topics: ['items.v1'] } });
          listed.push(all.length / seconds(started));
          started = performance.now();
          const one = await readDeadLetters({
            connection,
            codec,
            filter: { topics: ['items.v1'], code: codes[0] },
          });
          byCode.push(count / seconds(started));
          matched = one.length;
          if (read !== count || all.length !== count)
            throw new Error(`read ${read} and listed ${all.length} of ${count} dead letters`);
        }

        ctx.log('redrive: dry run, every dead letter, then again');
        const letters = await readDeadLetters({ connection, codec, filter: { topics: ['items.v1'] } });
        let started = performance.now();
        await redriveDeadLetters({ connection, codec, producer, letters, operator: 'bench', dryRun: true });
        const dryRunSeconds = seconds(started);
        started = performance.now();
        const first = await redriveDeadLetters({ connection, codec, producer, letters, operator: 'bench' });
        const redriveSeconds = seconds(started);
        started = performance.now();
        const second = await redriveDeadLetters({ connection, codec, producer, letters, operator: 'bench' });
        const againSeconds = seconds(started);
        if (first.counts.redrive !== count || second.counts.redrive !== 0)
          throw new Error(`redrove ${first.counts.redrive}, then ${second.counts.redrive} of ${count}`);

        const plainRate = median(plain);
        const row = (label: string, rate: number) =>
          `| ${label} | ${formatInt(rate)} | ${formatRatio(rate, plainRate)} |`;
        const markdown = [
          `${formatInt(count)} dead letters of \`items.v1\` (600-byte originals) on a dead-letter topic of its`,
          'own (1 partition). Baseline: a `PartitionReader` reading the same topic to its end without',
          `decoding. Medians of ${repetitions} repetitions. \`pnpm bench dead-letters\`.`,
          '',
          '| Read | Dead letters/s | vs plain read |',
          '| --- | ---: | ---: |',
          row('plain read (baseline)', plainRate),
          row('`dlq list` (decodes every dead letter)', median(listed)),
          row(`\`dlq list --code\` (headers first; ${formatInt(matched)} match)`, median(byCode)),
          '',
          '| Redrive | Seconds | Dead letters/s |',
          '| --- | ---: | ---: |',
          `| plan only (\`--dry-run\`: ledger read, latest offsets) | ${dryRunSeconds.toFixed(2)} | ${formatInt(count / dryRunSeconds)} |`,
          `| redrive all (copies and ledger entries, acks=all) | ${redriveSeconds.toFixed(2)} | ${formatInt(count / redriveSeconds)} |`,
          `| again (all in the ledger, nothing sent) | ${againSeconds.toFixed(2)} | ${formatInt(count / againSeconds)} |`,
        ].join('\n');
        return { markdown, facts: [{ name: 'dead letters', value: formatInt(count) }] };
      } finally {
        await producer.close();
      }
    } finally {
      await deletePrefixedTopics(connection, 'bench-dead-letters').catch(() => undefined);
    }
  },
};

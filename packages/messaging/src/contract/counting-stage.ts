// A small stage used by the runtime's contract tests: it counts the distinct ids seen per key
// in a state store and writes one output per input. Its effect is set-like, so re-delivered
// records must not change the final counts.
import { TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { Codec } from '@triage/schemas';
import { ConsumerRunner } from '../consumer/consumer-runner.ts';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import { createRecordProducer, type RecordProducer } from '../producer/record-producer.ts';
import { KeyedStateStore } from '../state/keyed-state-store.ts';
import { changelogSpec, defaultRetryPolicy, type TopicSpec } from '../topics/topic-spec.ts';

export const countingInput: TopicSpec = {
  name: 'contract.input.v1',
  record: 'ContractInput',
  key: 'key',
  partitions: 4,
  cleanupPolicy: 'delete',
  retentionMs: -1,
  deadLetter: true,
  retry: { ...defaultRetryPolicy, initialDelayMs: 100, maxDelayMs: 1_000 },
  description: 'contract test input',
};

export const countingOutput: TopicSpec = {
  ...countingInput,
  name: 'contract.output.v1',
  record: 'ContractOutput',
  deadLetter: false,
  description: 'contract test output',
};

/** The changelog of a counting stage's store (each stage name has its own). */
export const countingChangelogOf = (stage: string): TopicSpec =>
  changelogSpec(countingInput, `${stage}.seen`, 'ContractSeen');

export const countingChangelog = countingChangelogOf('contract');

export interface CountingInput {
  id: number;
  poison?: boolean;
}

export interface CountingOutput {
  key: string;
  id: number;
  count: number;
}

export interface CountingStageOptions {
  connection: KafkaConnection;
  groupId: string;
  /** The runner's stage, which also names its store (default `contract`). */
  stage?: string;
  /** Its input (default `countingInput`): another name or clean-up policy with the same layout. */
  input?: TopicSpec;
  logger: Logger;
  codec: Codec;
  /** Per-record work time, to make batches slow enough to kill mid-way. */
  delayMs?: number;
  /** While this returns true, the stage's "dependency" is down and every record fails retryably. */
  dependencyDown?: () => boolean;
  /** A defect of this stage: while it returns true for an input, the input is refused as invalid. */
  rejects?: (input: CountingInput) => boolean;
  onRecord?: (input: CountingInput) => void;
}

export interface CountingStage {
  runner: ConsumerRunner;
  store: KeyedStateStore<number[]>;
  producer: RecordProducer;
  stop(): Promise<void>;
}

const json = {
  encode: (value: unknown) => Buffer.from(JSON.stringify(value)),
  decode: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')),
};

export function createCountingStage(options: CountingStageOptions): CountingStage {
  const { connection } = options;
  const stage = options.stage ?? 'contract';
  const producer = createRecordProducer(connection, `${options.groupId}-producer`);
  const store = new KeyedStateStore<number[]>({
    name: `${stage}.seen`,
    connection,
    changelogTopic: deployedTopic(connection, countingChangelogOf(stage).name),
    codec: json,
    logger: options.logger,
  });
  const outputTopic = deployedTopic(connection, countingOutput.name);
  const runner = new ConsumerRunner({
    stage,
    connection,
    groupId: options.groupId,
    input: options.input ?? countingInput,
    producer,
    logger: options.logger,
    stores: [store],
    maxBatchRecords: 50,
    codec: options.codec,
    handle: async (record) => {
      if (options.dependencyDown?.())
        throw new TriageError('TRIAGE_DEPENDENCY_TIMEOUT', 'dependency is down');
      const input = decodeInput(record.value);
      if (!input || typeof input.id !== 'number' || input.poison || options.rejects?.(input)) {
        throw new TriageError('TRIAGE_RECORD_INVALID', 'poison record');
      }
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const key = record.key ?? '';
      const seen = store.get(record.partition, key) ?? [];
      const next = seen.includes(input.id) ? seen : [...seen, input.id];
      store.put(record.partition, key, next);
      options.onRecord?.(input);
      const output: CountingOutput = { key, id: input.id, count: next.length };
      return [{ topic: outputTopic, key, value: json.encode(output) }];
    },
  });
  return {
    runner,
    store,
    producer,
    async stop() {
      await runner.stop();
      await producer.close();
    },
  };
}

function decodeInput(bytes: Buffer | null): CountingInput | null {
  try {
    return json.decode(bytes ?? Buffer.from('null')) as CountingInput | null;
  } catch {
    return null;
  }
}

export function encodeCountingInput(input: CountingInput): Buffer {
  return json.encode(input);
}

export function decodeCountingOutput(bytes: Buffer | null): CountingOutput {
  return json.decode(bytes ?? Buffer.from('null')) as CountingOutput;
}

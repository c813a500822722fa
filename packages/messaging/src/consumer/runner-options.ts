import { TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { Codec } from '@triage/schemas';
import type { KafkaConnection } from '../kafka/connection.ts';
import { defaultSendLimits, type SendLimits } from '../producer/chunk-records.ts';
import type { RecordProducer } from '../producer/record-producer.ts';
import type { PartitionedStore } from '../state/keyed-state-store.ts';
import type { PipelineStage } from '../topics/rebuild-lane.ts';
import type { TopicSpec } from '../topics/topic-spec.ts';
import type { BatchFlush, RecordHandler } from './runner-types.ts';

export interface ConsumerRunnerOptions {
  /** Stage name, written on dead letters and logs (e.g. `splitter`). */
  stage: string;
  connection: KafkaConnection;
  groupId: string;
  /**
   * The topic to consume, or several co-partitioned topics (same key, same partition count) read
   * in one group: partition p of every input goes to the same instance and the same store
   * partition, so a stage can join them (the scorer reads reports and enriched items).
   */
  input: TopicSpec | readonly TopicSpec[];
  handle: RecordHandler;
  flush?: BatchFlush;
  producer: RecordProducer;
  logger: Logger;
  /** Encodes dead letters (and is what handlers decode their input with). */
  codec: Codec;
  stores?: readonly PartitionedStore[];
  /** Records per batch; also bounds what is fetched ahead (twice this). */
  maxBatchRecords?: number;
  /**
   * Limits of one produce call: outputs are sent in chunks, each acknowledged before the next,
   * because the client writes one record batch per partition and the broker refuses one over
   * `max.message.bytes` (1 MiB by default).
   */
  sendLimits?: SendLimits;
  /** How long the group waits for a silent member before moving its partitions. */
  sessionTimeoutMs?: number;
  /** How often `metrics().lag` is refreshed. */
  lagPollMs?: number;
  /**
   * Attempts at a record whose handler threw something that is not a TriageError (a Node system
   * error such as EIO, EMFILE or ECONNRESET, a defect): retried with backoff, then dead-lettered.
   */
  unknownErrorAttempts?: number;
  clock?: () => number;
}

type Tuning =
  | 'maxBatchRecords'
  | 'sendLimits'
  | 'sessionTimeoutMs'
  | 'lagPollMs'
  | 'unknownErrorAttempts'
  | 'clock';

export type ResolvedRunnerOptions = Omit<ConsumerRunnerOptions, Tuning | 'input' | 'stores'> &
  Required<Pick<ConsumerRunnerOptions, Tuning>> & {
    inputs: readonly TopicSpec[];
    stores: readonly PartitionedStore[];
  };

export const runnerDefaults = {
  maxBatchRecords: 500,
  sendLimits: defaultSendLimits,
  sessionTimeoutMs: 10_000,
  lagPollMs: 5_000,
  unknownErrorAttempts: 5,
} as const;

function invalid(stage: string, message: string, details?: Record<string, unknown>): TriageError {
  return new TriageError('TRIAGE_CONFIG_INVALID', `ConsumerRunner ${stage}: ${message}`, {
    ...(details === undefined ? {} : { details }),
  });
}

function integer(stage: string, name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(stage, `option ${name} must be an integer in ${min}..${max}, got ${value}`);
  return value;
}

/** Fills in the defaults and checks every option; a bad one fails with TRIAGE_CONFIG_INVALID naming it. */
export function resolveRunnerOptions(options: ConsumerRunnerOptions): ResolvedRunnerOptions {
  const { input, stores, ...rest } = options;
  const stage = options.stage;
  if (typeof stage !== 'string' || stage === '') throw invalid(String(stage), 'option stage must be a name');
  if (typeof options.groupId !== 'string' || options.groupId === '')
    throw invalid(stage, 'option groupId must be a name');
  const lane = options.connection.lane;
  // A stage upstream of a lane's first stage has nothing to rebuild there: it runs live only.
  if (lane !== undefined && !lane.stages.has(stage as PipelineStage)) {
    throw invalid(
      stage,
      `does not run in rebuild lane ${lane.name}, which rebuilds from ${lane.from} on (${[...lane.stages].join(', ')})`,
    );
  }
  const inputs: readonly TopicSpec[] = Array.isArray(input) ? input : [input as TopicSpec];
  if (inputs.length === 0) throw invalid(stage, 'option input names no topic');
  if (new Set(inputs.map((spec) => spec.partitions)).size > 1) {
    throw invalid(stage, 'option input: topics read together must have the same partition count', {
      inputs: inputs.map((spec) => `${spec.name}:${spec.partitions}`),
    });
  }
  const o = { ...runnerDefaults, clock: Date.now, ...rest };
  const limits = o.sendLimits;
  return Object.freeze({
    ...o,
    inputs,
    stores: stores ?? [],
    maxBatchRecords: integer(stage, 'maxBatchRecords', o.maxBatchRecords, 1, 100_000),
    sendLimits: Object.freeze({
      maxRecords: integer(stage, 'sendLimits.maxRecords', limits.maxRecords, 1, 100_000),
      maxBytes: integer(stage, 'sendLimits.maxBytes', limits.maxBytes, 1_024, 2 ** 30),
    }),
    sessionTimeoutMs: integer(stage, 'sessionTimeoutMs', o.sessionTimeoutMs, 1_000, 3_600_000),
    lagPollMs: integer(stage, 'lagPollMs', o.lagPollMs, 100, 3_600_000),
    unknownErrorAttempts: integer(stage, 'unknownErrorAttempts', o.unknownErrorAttempts, 1, 1_000),
  });
}

import { setTimeout as sleep } from 'node:timers/promises';
import {
  Consumer,
  type ConsumerGroupJoinPayload,
  type Message,
  type MessagesStream,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  type Offsets,
  stringDeserializer,
} from '@platformatic/kafka';
import { type TriageError, toTriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { Codec } from '@triage/schemas';
import { deadLetterFor } from '../dead-letter/dead-letter.ts';
import { baseClientOptions, deployedTopic, type KafkaConnection, kafkaError } from '../kafka/connection.ts';
import type { OutboundRecord, RecordProducer } from '../producer/record-producer.ts';
import type { PartitionedStore } from '../state/keyed-state-store.ts';
import { deadLetterTopicName, type TopicSpec } from '../topics/topic-spec.ts';
import { backoffDelay, decideOnFailure } from './failure-policy.ts';
import type { InboundRecord } from './inbound-record.ts';
import { RunnerMetrics, type RunnerMetricsSnapshot } from './runner-metrics.ts';

export interface HandlerContext {
  attempt: number;
  /** Aborted when the runner stops; long handlers should pass it on. */
  signal: AbortSignal;
}

/**
 * Turns one input record into the records to write. Throw a TriageError to fail: retryable
 * errors are retried while the instance holds off new records, others go to the dead letters.
 * State changes go through the runner's stores, whose changelog writes are produced with the outputs.
 */
export type RecordHandler = (record: InboundRecord, context: HandlerContext) => Promise<OutboundRecord[]>;

export interface ConsumerRunnerOptions {
  /** Stage name, written on dead letters and logs (e.g. `splitter`). */
  stage: string;
  connection: KafkaConnection;
  groupId: string;
  input: TopicSpec;
  handle: RecordHandler;
  producer: RecordProducer;
  logger: Logger;
  /** Encodes dead letters (and is what handlers decode their input with). */
  codec: Codec;
  stores?: readonly PartitionedStore[];
  maxBatchRecords?: number;
  /** How long the group waits for a silent member before moving its partitions. */
  sessionTimeoutMs?: number;
  lagPollMs?: number;
  clock?: () => number;
}

type RunnerMessage = Message<string, Buffer, string, Buffer>;
type RunnerStream = MessagesStream<string, Buffer, string, Buffer>;

class Stopping extends Error {}

/**
 * Consumes one topic in a consumer group, at least once in and idempotent out:
 * a batch's outputs, dead letters and state changelog writes are all acknowledged (acks=all)
 * before the batch's offsets are committed, so a process killed at any point loses nothing,
 * and the deterministic ids downstream make the re-delivered records harmless.
 */
export class ConsumerRunner {
  readonly #options: ConsumerRunnerOptions;
  readonly #consumer: Consumer<string, Buffer, string, Buffer>;
  readonly #topic: string;
  readonly #stores: readonly PartitionedStore[];
  readonly #metrics: RunnerMetrics;
  readonly #abort = new AbortController();
  readonly #clock: () => number;
  #loop: Promise<void> | undefined;
  #stream: RunnerStream | undefined;
  #inFlight: Promise<void> | undefined;
  #stopping = false;

  constructor(options: ConsumerRunnerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#topic = deployedTopic(options.connection, options.input.name);
    this.#stores = options.stores ?? [];
    this.#metrics = new RunnerMetrics(options.stage, this.#clock);
    const maxBatch = options.maxBatchRecords ?? 500;
    this.#consumer = new Consumer<string, Buffer, string, Buffer>({
      ...baseClientOptions(options.connection, options.stage),
      groupId: options.groupId,
      // Header values stay bytes so a dead letter keeps them exactly as they came.
      deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: keepBytes },
      autocommit: false,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 30_000,
      maxWaitTime: 500,
      // Fetching stops once this many records wait unread: holding off reading is how a runner
      // pauses its partitions while a dependency is down (heartbeats go on meanwhile).
      highWaterMark: maxBatch * 2,
    });
    this.#consumer.on('consumer:group:join', (payload: ConsumerGroupJoinPayload) => {
      const partitions = (payload.assignments ?? [])
        .filter((assignment) => assignment.topic === this.#topic)
        .flatMap((assignment) => assignment.partitions);
      for (const store of this.#stores) store.assign(partitions);
      options.logger.info({ stage: options.stage, partitions }, 'partitions assigned');
    });
    this.#consumer.on('consumer:lag', (offsets: Offsets) => {
      const lag = offsets.get(this.#topic) ?? [];
      this.#metrics.lag = Object.fromEntries(
        lag.map((value, partition) => [String(partition), value.toString()]),
      );
    });
  }

  /** Starts consuming; resolves once the first stream is open. */
  async start(): Promise<void> {
    const stream = await this.#openStream();
    this.#consumer.startLagMonitoring({ topics: [this.#topic] }, this.#options.lagPollMs ?? 5_000);
    this.#loop = this.#run(stream);
  }

  /** Drains: finishes and commits the batch in hand, then leaves the group. */
  async stop(): Promise<void> {
    if (this.#stopping) return this.#loop;
    this.#stopping = true;
    this.#abort.abort();
    await this.#inFlight?.catch(() => undefined);
    await this.#stream?.close().catch(() => undefined);
    await this.#loop;
    this.#consumer.stopLagMonitoring();
    await this.#consumer.close(true).catch(() => undefined);
  }

  metrics(): RunnerMetricsSnapshot {
    return this.#metrics.snapshot();
  }

  async #openStream(): Promise<RunnerStream> {
    try {
      this.#stream = await this.#consumer.consume({
        topics: [this.#topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.EARLIEST,
        autocommit: false,
      });
      return this.#stream;
    } catch (error) {
      throw kafkaError(error, `consume ${this.#topic}`);
    }
  }

  async #run(first: RunnerStream): Promise<void> {
    let stream: RunnerStream | undefined = first;
    for (let attempt = 1; !this.#stopping; ) {
      try {
        stream ??= await this.#openStream();
        for await (const batch of readBatches(stream, this.#options.maxBatchRecords ?? 500)) {
          this.#inFlight = this.#processBatch(batch);
          await this.#inFlight;
          attempt = 1;
          if (this.#stopping) break;
        }
      } catch (error) {
        if (this.#stopping || error instanceof Stopping) break;
        this.#metrics.reconnects += 1;
        this.#options.logger.warn(
          { stage: this.#options.stage, err: kafkaError(error, 'consume'), attempt },
          'consumer stream failed, reopening',
        );
        await this.#pause(backoffDelay(attempt, this.#options.input.retry)).catch(() => undefined);
        attempt += 1;
      } finally {
        this.#inFlight = undefined;
        await stream?.close().catch(() => undefined);
        stream = undefined;
      }
    }
  }

  async #processBatch(batch: RunnerMessage[]): Promise<void> {
    const byPartition = new Map<number, RunnerMessage[]>();
    for (const message of batch) {
      const list = byPartition.get(message.partition);
      if (list) list.push(message);
      else byPartition.set(message.partition, [message]);
    }
    const outputs: OutboundRecord[] = [];
    // Partitions run side by side; records of one partition in order, so one report's records stay ordered.
    await Promise.all(
      [...byPartition].map(async ([partition, messages]) => {
        for (const store of this.#stores) {
          await this.#retrying(`restore ${store.name} partition ${partition}`, () =>
            store.ensureRestored(partition),
          );
        }
        for (const message of messages) outputs.push(...(await this.#handle(toInbound(message))));
      }),
    );
    const writes = [...outputs, ...this.#stores.flatMap((store) => store.drainWrites())];
    await this.#retrying('produce outputs', () => this.#options.producer.send(writes));
    this.#metrics.produced += writes.length;
    this.#metrics.recordBatch(batch.length);
    await this.#commit(byPartition);
  }

  async #handle(record: InboundRecord): Promise<OutboundRecord[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outputs = await this.#options.handle(record, { attempt, signal: this.#abort.signal });
        this.#metrics.paused = false;
        return outputs;
      } catch (error) {
        if (this.#stopping) throw new Stopping();
        const failure = toTriageError(error);
        const decision = decideOnFailure(failure, attempt, this.#options.input.retry);
        if (decision.action === 'dead-letter') return [this.#deadLetter(record, failure, attempt)];
        this.#noteRetry(`handle ${record.topic}/${record.partition}@${record.offset}`, failure, attempt);
        await this.#pause(decision.delayMs);
      }
    }
  }

  #deadLetter(record: InboundRecord, failure: TriageError, attempt: number): OutboundRecord {
    this.#metrics.deadLettered += 1;
    this.#metrics.paused = false;
    this.#options.logger.warn(
      {
        stage: this.#options.stage,
        code: failure.code,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset.toString(),
      },
      'record dead-lettered',
    );
    const letter = deadLetterFor(record, failure, this.#options.stage, attempt, this.#clock());
    return {
      topic: deadLetterTopicName(record.topic),
      key: record.key ?? '',
      value: this.#options.codec.encode('DeadLetter', letter),
      headers: { 'triage-error-code': failure.code, 'triage-stage': this.#options.stage },
    };
  }

  /** Retries an infrastructure step (restore, produce) until it succeeds or the runner stops. */
  async #retrying(action: string, step: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await step();
        this.#metrics.paused = false;
        return;
      } catch (error) {
        if (this.#stopping) throw new Stopping();
        const failure = toTriageError(error);
        this.#noteRetry(action, failure, attempt);
        await this.#pause(backoffDelay(attempt, this.#options.input.retry));
      }
    }
  }

  async #commit(byPartition: Map<number, RunnerMessage[]>): Promise<void> {
    const offsets = [...byPartition.values()].map((messages) => {
      const last = messages[messages.length - 1]!;
      return {
        topic: last.topic,
        partition: last.partition,
        offset: last.offset + 1n,
        leaderEpoch: last.leaderEpoch,
      };
    });
    try {
      await this.#consumer.commit({ offsets });
    } catch (error) {
      // Typically a rebalance moved the partitions: their new owner re-reads from the last
      // commit and the idempotent outputs make that harmless. Nothing is lost either way.
      this.#metrics.commitFailures += 1;
      this.#options.logger.info(
        { stage: this.#options.stage, err: kafkaError(error, 'commit') },
        'offset commit failed; records will be re-delivered',
      );
    }
  }

  #noteRetry(action: string, failure: TriageError, attempt: number): void {
    this.#metrics.retries += 1;
    this.#metrics.paused = true;
    if (attempt === 1 || attempt % 10 === 0) {
      this.#options.logger.warn(
        { stage: this.#options.stage, code: failure.code, attempt, action },
        'retrying; holding off new records',
      );
    }
  }

  async #pause(delayMs: number): Promise<void> {
    try {
      await sleep(delayMs, undefined, { signal: this.#abort.signal });
    } catch {
      throw new Stopping();
    }
  }
}

function keepBytes(bytes?: Buffer): Buffer {
  return bytes ?? Buffer.alloc(0);
}

function toInbound(message: RunnerMessage): InboundRecord {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key ?? null,
    value: Buffer.isBuffer(message.value) ? message.value : null,
    headers: Object.fromEntries(message.headerEntries.map(([key, value]) => [key, value.toString('utf8')])),
    rawHeaders: message.headerEntries,
    timestamp: message.timestamp,
  };
}

/** Yields whatever the stream has buffered, up to `max` records, as one batch. */
async function* readBatches(stream: RunnerStream, max: number): AsyncGenerator<RunnerMessage[]> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<RunnerMessage>;
  for (;;) {
    const first = await iterator.next();
    if (first.done) return;
    const batch = [first.value];
    while (batch.length < max && stream.readableLength > 0) {
      const next = await iterator.next();
      if (next.done) break;
      batch.push(next.value);
    }
    yield batch;
  }
}

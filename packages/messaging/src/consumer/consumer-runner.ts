import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CommitOptionsPartition,
  Consumer,
  type ConsumerGroupJoinPayload,
  FetchIsolationLevels,
  type Message,
  type MessagesStream,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  type Offsets,
  stringDeserializer,
} from '@platformatic/kafka';
import { TriageError, toTriageError } from '@triage/errors';
import { deadLetterRecord } from '../dead-letter/dead-letter.ts';
import { skipsRedriven } from '../dead-letter/redrive-marker.ts';
import { baseClientOptions, deployedTopic, kafkaError } from '../kafka/connection.ts';
import { OutputSink, type OwnedRecord } from '../producer/output-sink.ts';
import type { OutboundRecord } from '../producer/record-producer.ts';
import type { PartitionedStore } from '../state/keyed-state-store.ts';
import { laneGroupId } from '../topics/rebuild-lane.ts';
import type { RetryPolicy, TopicSpec } from '../topics/topic-spec.ts';
import { coPartitionedAssigner } from './co-partitioned-assigner.ts';
import { backoffDelay, decideOnFailure, reopenLogDetail } from './failure-policy.ts';
import type { InboundRecord } from './inbound-record.ts';
import { recordIdsForLog } from './record-ids.ts';
import { RunnerMetrics, type RunnerMetricsSnapshot } from './runner-metrics.ts';
import {
  type ConsumerRunnerOptions,
  type ResolvedRunnerOptions,
  resolveRunnerOptions,
} from './runner-options.ts';
import type { Outputs } from './runner-types.ts';

type RunnerMessage = Message<string, Buffer, string, Buffer>;
type RunnerStream = MessagesStream<string, Buffer, string, Buffer>;

class Stopping extends Error {}

type RunnerSink = OutputSink<InboundRecord>;

/**
 * Consumes one topic (or several co-partitioned ones) in a consumer group, at least once in and
 * idempotent out: a batch's outputs, dead letters and state changelog writes are all acknowledged
 * (acks=all) before the batch's offsets are committed, so a process killed at any point loses
 * nothing, and the deterministic ids downstream make the re-delivered records harmless.
 *
 * Outputs (a handler's, the flush's, the dead letters, the stores' changelog writes) go out in the
 * order they are written, chunk after chunk, each chunk acknowledged before the next is sent; an
 * `outputBarrier` makes everything before it acknowledged before anything after it is sent.
 */
export class ConsumerRunner {
  readonly #options: ResolvedRunnerOptions;
  readonly #consumer: Consumer<string, Buffer, string, Buffer>;
  /** Deployed input topic names, and the spec of each. */
  readonly #topics: string[];
  readonly #specs: Map<string, TopicSpec>;
  readonly #stores: readonly PartitionedStore[];
  readonly #metrics: RunnerMetrics;
  readonly #abort = new AbortController();
  readonly #clock: () => number;
  #loop: Promise<void> | undefined;
  #stream: RunnerStream | undefined;
  #inFlight: Promise<void> | undefined;
  /** The last batch's offset commit, left running while the next batch is handled (never rejects). */
  #pendingCommit: Promise<void> = Promise.resolve();
  /** Batches and exclusive tasks run one after another on this chain. */
  #exclusive: Promise<unknown> = Promise.resolve();
  #stopping = false;

  constructor(runnerOptions: ConsumerRunnerOptions) {
    const options = resolveRunnerOptions(runnerOptions);
    this.#options = options;
    this.#clock = options.clock;
    this.#specs = new Map(options.inputs.map((spec) => [deployedTopic(options.connection, spec.name), spec]));
    this.#topics = [...this.#specs.keys()];
    this.#stores = options.stores;
    this.#metrics = new RunnerMetrics({
      stage: options.stage,
      groupId: options.groupId,
      clock: this.#clock,
      stores: this.#stores,
    });
    this.#consumer = new Consumer<string, Buffer, string, Buffer>({
      ...baseClientOptions(options.connection, options.stage),
      // In a rebuild lane the group is a fresh one, which reads its inputs from the start.
      groupId: laneGroupId(options.groupId, options.connection.lane),
      // Header values stay bytes so a dead letter keeps them exactly as they came.
      deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: keepBytes },
      autocommit: false,
      // Records of a transaction once it commits, never an aborted one (the client's default, said here on purpose).
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 30_000,
      maxWaitTime: 500,
      // Fetching stops once this many records wait unread: holding off reading is how a runner
      // pauses its partitions while a dependency is down (heartbeats go on meanwhile).
      highWaterMark: options.maxBatchRecords * 2,
      // Several inputs are joined by partition number: each instance takes partition p of all of them.
      ...(this.#topics.length > 1 ? { partitionAssigner: coPartitionedAssigner } : {}),
    });
    this.#consumer.on('consumer:group:join', (payload: ConsumerGroupJoinPayload) => {
      const perTopic = this.#topics.map((topic) =>
        (payload.assignments ?? [])
          .filter((assignment) => assignment.topic === topic)
          .flatMap((assignment) => assignment.partitions)
          .sort((a, b) => a - b),
      );
      const partitions = [...new Set(perTopic.flat())].sort((a, b) => a - b);
      if (perTopic.some((list) => list.length !== partitions.length)) {
        // Only a member that does not use the co-partitioned assigner can cause this.
        options.logger.warn(
          {
            stage: options.stage,
            perTopic: Object.fromEntries(this.#topics.map((t, i) => [t, perTopic[i]])),
          },
          'inputs assigned unevenly: records of one key may be split over instances',
        );
      }
      for (const store of this.#stores) store.assign(partitions);
      Object.assign(this.#metrics.lifecycle, { joined: true, partitions });
      options.logger.info({ stage: options.stage, partitions }, 'partitions assigned');
    });
    this.#consumer.on('consumer:lag', (offsets: Offsets) => {
      // Per partition number, summed over the inputs (-1: not assigned here).
      const lag = new Map<number, bigint>();
      for (const topic of this.#topics) {
        (offsets.get(topic) ?? []).forEach((value, partition) => {
          const sum = lag.get(partition);
          if (sum === undefined) lag.set(partition, value);
          else lag.set(partition, sum < 0n || value < 0n ? -1n : sum + value);
        });
      }
      this.#metrics.lag = Object.fromEntries(
        [...lag].map(([partition, value]) => [String(partition), value.toString()]),
      );
    });
  }

  /** Starts consuming; resolves once the first stream is open. */
  async start(): Promise<void> {
    const stream = await this.#openStream();
    this.#consumer.startLagMonitoring({ topics: this.#topics }, this.#options.lagPollMs);
    this.#loop = this.#run(stream);
    this.#metrics.lifecycle.started = true;
  }

  /** Drains: finishes and commits the batch in hand, then leaves the group. */
  async stop(): Promise<void> {
    if (this.#stopping) return this.#loop;
    this.#stopping = true;
    this.#metrics.lifecycle.stopping = true;
    this.#abort.abort();
    await this.#inFlight?.catch(() => undefined);
    // Exclusive tasks already running finish (or give up on their retries); queued ones refuse.
    await this.#exclusive;
    await this.#pendingCommit;
    await this.#stream?.close().catch(() => undefined);
    await this.#loop;
    this.#consumer.stopLagMonitoring();
    await this.#consumer.close(true).catch(() => undefined);
  }

  metrics(): RunnerMetricsSnapshot {
    return this.#metrics.snapshot();
  }

  /**
   * Runs work that no input record triggers (a timer, a global table's change) between batches,
   * never alongside one, so it sees the stores as the last batch left them. Its records and the
   * stores' pending writes are produced (acks=all) before it resolves; no offsets are involved.
   * Rejects once the runner is stopping.
   */
  runExclusive(task: () => Outputs | Promise<Outputs>): Promise<void> {
    return this.#serially(async () => {
      if (this.#stopping) throw new TriageError('TRIAGE_INTERNAL', `${this.#options.stage}: runner stopped`);
      const sink = this.#sink();
      await sink.write(await task());
      await this.#finish(sink);
    });
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#exclusive.then(work);
    this.#exclusive = run.catch(() => undefined);
    return run;
  }

  async #openStream(): Promise<RunnerStream> {
    try {
      this.#stream = await this.#consumer.consume({
        topics: this.#topics,
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.EARLIEST,
        autocommit: false,
      });
      return this.#stream;
    } catch (error) {
      throw kafkaError(error, `consume ${this.#topics.join(', ')}`);
    }
  }

  async #run(first: RunnerStream): Promise<void> {
    let stream: RunnerStream | undefined = first;
    for (let attempt = 1; !this.#stopping; ) {
      try {
        stream ??= await this.#openStream();
        for await (const batch of readBatches(stream, this.#options.maxBatchRecords)) {
          this.#inFlight = this.#serially(() => this.#processBatch(batch));
          await this.#inFlight;
          attempt = 1;
          if (this.#stopping) break;
        }
      } catch (error) {
        // The batch's input is read again from the committed offsets: its state writes go with it.
        for (const store of this.#stores) store.rollBack?.();
        if (this.#stopping || error instanceof Stopping) break;
        this.#metrics.reconnects += 1;
        this.#options.logger.warn(
          { stage: this.#options.stage, attempt, ...reopenLogDetail(attempt, kafkaError(error, 'consume')) },
          'consumer stream failed, reopening',
        );
        await this.#pause(backoffDelay(attempt, this.#retryPolicy())).catch(() => undefined);
        attempt += 1;
      } finally {
        this.#inFlight = undefined;
        // A reopened stream starts from the committed offsets: let the last commit land first.
        await this.#pendingCommit;
        await stream?.close().catch(() => undefined);
        stream = undefined;
      }
    }
  }

  async #processBatch({ messages: batch, positions }: Batch): Promise<void> {
    // By partition number: with several inputs, partition p of each shares store partition p.
    const byPartition = new Map<number, RunnerMessage[]>();
    /** Partitions whose records were left to a new owner: committed no further than what was handled. */
    const leftOver = new Set<number>();
    for (const message of batch) {
      const list = byPartition.get(message.partition);
      if (list) list.push(message);
      else byPartition.set(message.partition, [message]);
    }
    const sink = this.#sink();
    const handled: RunnerMessage[] = [];
    // Partitions run side by side; records of one partition in order, so one report's records stay ordered.
    await Promise.all(
      [...byPartition].map(async ([partition, messages]) => {
        for (const store of this.#stores) {
          await this.#retrying(`restore ${store.name} partition ${partition}`, () =>
            store.ensureRestored(partition),
          );
        }
        for (const message of messages) {
          // A rebalance took the partition away (records fetched before it may still come): its
          // state is gone from here, so its records are left, uncommitted, to the new owner.
          if (this.#stores.some((store) => !store.holds(partition))) {
            leftOver.add(partition);
            break;
          }
          const record = toInbound(message);
          // A redriven copy for another stage of this topic is committed past, not handled (ADR 0013).
          const compacted = this.#specs.get(record.topic)?.cleanupPolicy === 'compact';
          if (skipsRedriven(record.headers, this.#options.stage, compacted)) {
            this.#metrics.redrivesSkipped += 1;
          } else {
            const started = performance.now();
            await this.#handle(record, sink);
            this.#metrics.observeHandling((performance.now() - started) / 1000);
          }
          handled.push(message);
        }
      }),
    );
    if (this.#options.flush) {
      const { outputs, failed = [] } = await this.#options.flush();
      await sink.write(outputs);
      for (const { record, error } of failed)
        await sink.write([this.#deadLetter(record, toTriageError(error), 1)]);
    }
    await this.#finish(sink);
    this.#metrics.recordBatch(handled.length);
    // Not awaited: the group coordinator takes a few ms per commit (it lingers to batch them), so
    // the next batch is handled meanwhile. At most one commit is in flight, and in offset order.
    await this.#pendingCommit;
    this.#pendingCommit = this.#commit(handled, positions, leftOver);
  }

  #sink(): RunnerSink {
    const sink: RunnerSink = new OutputSink({
      limits: this.#options.sendLimits,
      send: (chunk) => this.#sendChunk(chunk, sink),
    });
    return sink;
  }

  /** The stores' changelog writes go last; resolves once everything is acknowledged. */
  async #finish(sink: RunnerSink): Promise<void> {
    await sink.write(this.#stores.flatMap((store) => store.drainWrites()));
    await sink.barrier();
    for (const store of this.#stores) store.acknowledged?.();
  }

  /**
   * Sends a chunk, retrying until it is acknowledged. Records the broker refuses for good (one
   * over `max.message.bytes`) dead-letter the input they were written for, so a bad input never
   * stalls its partition, and nothing more of that input's is sent; ones written for no input
   * (flush, store writes) are retried.
   */
  async #sendChunk(chunk: readonly OwnedRecord<InboundRecord>[], sink: RunnerSink): Promise<void> {
    const owned = chunk.some((entry) => entry.owner !== undefined);
    const refused = await this.#sendRetrying(chunk, owned);
    if (!refused) return;
    // Find whose records were refused: each input's records on their own.
    const byOwner = new Map<InboundRecord | undefined, OwnedRecord<InboundRecord>[]>();
    for (const entry of chunk) {
      const list = byOwner.get(entry.owner);
      if (list) list.push(entry);
      else byOwner.set(entry.owner, [entry]);
    }
    for (const [owner, entries] of byOwner) {
      const failure = await this.#sendRetrying(entries, owner !== undefined);
      if (!failure || !owner) continue;
      sink.refuse(owner);
      await this.#sendRetrying([{ record: this.#deadLetter(owner, failure, 1), owner: undefined }], false);
    }
  }

  /** Retries until acknowledged; with `mayRefuse`, returns a permanent refusal instead of retrying it. */
  async #sendRetrying(
    entries: readonly OwnedRecord<InboundRecord>[],
    mayRefuse: boolean,
  ): Promise<TriageError | undefined> {
    const records = entries.map((entry) => entry.record);
    let refused: TriageError | undefined;
    await this.#retrying('produce outputs', async () => {
      try {
        await this.#options.producer.send(records);
      } catch (error) {
        const failure = toTriageError(error);
        if (!mayRefuse || failure.retryable) throw failure;
        refused = failure;
        return;
      }
      this.#metrics.produced += records.length;
    });
    return refused;
  }

  #retryPolicy(topic?: string): RetryPolicy {
    return (
      (topic === undefined ? undefined : this.#specs.get(topic))?.retry ??
      this.#specs.values().next().value!.retry
    );
  }

  /** Handles a record and writes its outputs, retrying or dead-lettering as the failure policy says. */
  async #handle(record: InboundRecord, sink: RunnerSink): Promise<void> {
    const policy = {
      retry: this.#retryPolicy(record.topic),
      unknownErrorAttempts: this.#options.unknownErrorAttempts,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await sink.write(await this.#options.handle(record, { attempt, signal: this.#abort.signal }), record);
        this.#metrics.paused = false;
        return;
      } catch (error) {
        if (this.#stopping || error instanceof Stopping) throw new Stopping();
        // What a failed attempt yielded and is not sent yet is dropped: a retry yields it again.
        sink.discard(record);
        const decision = decideOnFailure(error, attempt, policy);
        const failure = toTriageError(error);
        if (decision.action === 'dead-letter') {
          await sink.write([this.#deadLetter(record, failure, attempt)]);
          return;
        }
        this.#noteRetry(`handle ${record.topic}/${record.partition}@${record.offset}`, failure, attempt);
        await this.#pause(decision.delayMs);
      }
    }
  }

  #deadLetter(record: InboundRecord, failure: TriageError, attempt: number): OutboundRecord {
    this.#metrics.recordDeadLetter(failure.code);
    this.#metrics.paused = false;
    this.#options.logger.warn(
      {
        stage: this.#options.stage,
        code: failure.code,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset.toString(),
        ...recordIdsForLog(this.#specs.get(record.topic), record.key),
      },
      'record dead-lettered',
    );
    const { stage, codec } = this.#options;
    return deadLetterRecord({ record, error: failure, stage, attempt, now: this.#clock(), codec });
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
        await this.#pause(backoffDelay(attempt, this.#retryPolicy()));
      }
    }
  }

  async #commit(
    batch: RunnerMessage[],
    positions: ReadonlyMap<string, bigint> | undefined,
    leftOver: ReadonlySet<number>,
  ): Promise<void> {
    // The last record of each topic-partition (a partition's records come in offset order).
    const offsets = new Map<string, CommitOptionsPartition>();
    for (const message of batch) {
      offsets.set(`${message.topic}:${message.partition}`, {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset + 1n,
        leaderEpoch: message.leaderEpoch,
      });
    }
    // Past the transaction markers (and aborted records) that follow a partition's last record
    // in this batch: a transactional input would otherwise show a lag that never goes away.
    for (const [key, entry] of offsets) {
      const position = positions?.get(key);
      if (position !== undefined && position > entry.offset && !leftOver.has(entry.partition))
        entry.offset = position;
    }
    if (offsets.size === 0) return;
    try {
      await this.#consumer.commit({ offsets: [...offsets.values()] });
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

/** A batch of records, and where the stream stood when it was cut. */
interface Batch {
  messages: RunnerMessage[];
  /**
   * Per `topic:partition`, the fetch position when the batch was cut with nothing left
   * buffered: every record before it has been handed out, so the offsets between a partition's
   * last record and it hold only transaction markers or aborted records. Absent when records
   * were still buffered.
   */
  positions?: ReadonlyMap<string, bigint>;
}

/** Yields whatever the stream has buffered, up to `max` records, as one batch. */
async function* readBatches(stream: RunnerStream, max: number): AsyncGenerator<Batch> {
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
    yield stream.readableLength === 0
      ? { messages: batch, positions: new Map(stream.offsetsToFetch) }
      : { messages: batch };
  }
}

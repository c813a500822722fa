import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Consumer,
  FetchIsolationLevels,
  type GroupPartitionsAssigner,
  ListOffsetTimestamps,
  type Message,
  type MessagesStream,
  MessagesStreamModes,
  stringDeserializer,
} from '@platformatic/kafka';
import { baseClientOptions, type KafkaConnection, kafkaError } from '../kafka/connection.ts';

/** One record of a changelog or table topic, as a store applies it. `value: null` is a tombstone. */
export interface TableRecord {
  partition: number;
  offset: bigint;
  key: string;
  value: Buffer | null;
  /** The record's headers as strings (dead letters carry their stage and error code here). */
  headers?: Readonly<Record<string, string>>;
}

type TableMessage = Message<string, Buffer, string, string>;

export interface PartitionReaderOptions {
  connection: KafkaConnection;
  /** Deployed topic name. */
  topic: string;
  /** Partitions to read; all of the topic's partitions when omitted. */
  partitions?: readonly number[];
  name: string;
}

/**
 * Reads chosen partitions of a topic from the beginning, outside any shared consumer group:
 * it joins a group of its own and assigns itself exactly those partitions. Used to restore a
 * state store's partitions and to materialise global tables.
 */
export class PartitionReader {
  readonly #options: PartitionReaderOptions;
  readonly #consumer: Consumer<string, Buffer, string, string>;
  #stream: MessagesStream<string, Buffer, string, string> | undefined;
  /** The `consume()` call in flight: closing the client under it throws inside the client. */
  #opening: Promise<MessagesStream<string, Buffer, string, string>> | undefined;

  constructor(options: PartitionReaderOptions) {
    this.#options = options;
    const wanted = options.partitions;
    const assignAll: GroupPartitionsAssigner = (current, _members, topics, metadata) => {
      const assignments = new Map<string, { topic: string; partitions: number[] }>();
      for (const topic of topics) {
        const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
        const all = Array.from({ length: count }, (_, partition) => partition);
        assignments.set(topic, { topic, partitions: wanted ? [...wanted] : all });
      }
      return [{ memberId: current, assignments }];
    };
    this.#consumer = new Consumer({
      ...baseClientOptions(options.connection, `${options.name}-reader`),
      groupId: `${options.connection.clientId}-${options.name}-reader-${randomUUID()}`,
      deserializers: {
        key: stringDeserializer,
        headerKey: stringDeserializer,
        headerValue: stringDeserializer,
      },
      autocommit: false,
      // Records of a transaction appear once it commits, never when it aborts; end offsets are the
      // last stable offset, not the high watermark (the client's default, said here on purpose).
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      partitionAssigner: assignAll,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTime: 200,
    });
  }

  /**
   * Whether everything before `end` in `partition` has been handed out by `follow`: its fetch
   * position has reached `end` and nothing fetched is still buffered. Transaction markers and
   * aborted records take offsets but are never handed out, so a reader waiting for the record
   * at `end - 1` might wait forever; the position moves past them.
   */
  handedOutTo(partition: number, end: bigint): boolean {
    const stream = this.#stream;
    if (!stream || stream.readableLength > 0) return false;
    return (stream.offsetsToFetch.get(`${this.#options.topic}:${partition}`) ?? -1n) >= end;
  }

  /** End offsets (the last stable offset: next offset readers will see) of the wanted partitions. */
  async endOffsets(): Promise<Map<number, bigint>> {
    try {
      const offsets = await this.#consumer.listOffsets({
        topics: [this.#options.topic],
        timestamp: ListOffsetTimestamps.LATEST,
      });
      const perPartition = offsets.get(this.#options.topic) ?? [];
      const ends = new Map<number, bigint>();
      perPartition.forEach((offset, partition) => {
        if (!this.#options.partitions || this.#options.partitions.includes(partition))
          ends.set(partition, offset);
      });
      return ends;
    } catch (error) {
      throw kafkaError(error, `list end offsets of ${this.#options.topic}`);
    }
  }

  /**
   * Reads every wanted partition up to the end offsets seen at the call: from the beginning, or
   * from `from` (the first offset to read per partition; a partition left out starts at its end).
   */
  async readToEnd(
    apply: (record: TableRecord) => void,
    from?: ReadonlyMap<number, bigint>,
  ): Promise<Map<number, bigint>> {
    const ends = await this.endOffsets();
    const start = (partition: number) => (from ? (from.get(partition) ?? ends.get(partition) ?? 0n) : 0n);
    const pending = new Set(
      [...ends].filter(([partition, end]) => end > start(partition)).map(([partition]) => partition),
    );
    const settle = () => {
      for (const partition of pending) {
        if (this.handedOutTo(partition, ends.get(partition) ?? 0n)) pending.delete(partition);
      }
    };
    if (pending.size === 0) return ends;
    const records = this.follow(from);
    let next = records.next();
    // Transaction markers and aborted records at the end are never handed out: while no record
    // comes, the fetch position is looked at every 100 ms. Buffered records are taken at once.
    let idle: Promise<undefined> | undefined;
    while (pending.size > 0) {
      let step: IteratorResult<TableRecord, void> | undefined;
      if ((this.#stream?.readableLength ?? 0) > 0) step = await next;
      else {
        idle ??= sleep(100).then(() => undefined);
        step = await Promise.race([next, idle]);
      }
      if (step === undefined) {
        idle = undefined;
        settle();
        continue;
      }
      if (step.done) break;
      const record = step.value;
      apply(record);
      if (record.offset >= (ends.get(record.partition) ?? 0n) - 1n) pending.delete(record.partition);
      else settle();
      if (pending.size > 0) next = records.next();
      else next = Promise.resolve({ done: true, value: undefined });
    }
    // A read still waiting when the idle check finished: close() ends it.
    next.catch(() => undefined);
    return ends;
  }

  /**
   * Reads the wanted partitions from the beginning (or from `from`, the next offset per
   * partition, when resuming after a broker fault), then keeps following new records.
   */
  async *follow(from?: ReadonlyMap<number, bigint>): AsyncGenerator<TableRecord> {
    try {
      const offsets = from
        ? [...from].map(([partition, offset]) => ({ topic: this.#options.topic, partition, offset }))
        : [];
      this.#opening ??= this.#consumer.consume({
        topics: [this.#options.topic],
        autocommit: false,
        ...(offsets.length > 0
          ? { mode: MessagesStreamModes.MANUAL, offsets }
          : { mode: MessagesStreamModes.EARLIEST }),
      });
      this.#stream ??= await this.#opening;
    } catch (error) {
      throw kafkaError(error, `read ${this.#options.topic}`);
    }
    for await (const message of this.#stream as AsyncIterable<TableMessage>) {
      yield {
        partition: message.partition,
        offset: message.offset,
        key: message.key ?? '',
        value: Buffer.isBuffer(message.value) ? message.value : null,
        headers: Object.fromEntries(message.headers),
      };
    }
  }

  async close(): Promise<void> {
    // Let a starting consume() finish joining first (issue found by intake's tests: closing an
    // empty topic's table right after start threw "Client is closed" from inside the client).
    await this.#opening?.catch(() => undefined);
    await this.#consumer.close(true).catch(() => undefined);
  }
}

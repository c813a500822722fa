import {
  Admin,
  Consumer,
  ListOffsetTimestamps,
  type MessagesStream,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
} from '@platformatic/kafka';
import type { PartitionOffsets } from '../jobs.ts';
import {
  type ConsumeOptions,
  type Driver,
  type DriverConsumer,
  type DriverProducer,
  retryBudget,
} from './driver.ts';

const clientId = 'bench-platformatic';

/** What every part of the driver shares: where the cluster is and where client events go. */
interface Connection {
  readonly bootstrapBrokers: string[];
  readonly onEvent: (label: string) => void;
}

/** The client logs nothing; its events are the equivalent of kafkajs's error log lines. */
function watchClient(client: Producer | Consumer, onEvent: (label: string) => void): void {
  client.on('client:broker:failed', () => onEvent('event client:broker:failed'));
  client.on('client:performWithRetry:retry', (operationId: string) =>
    onEvent(`event client:performWithRetry:retry ${String(operationId).replace(/[-\d]+$/, '')}`),
  );
  client.on('consumer:heartbeat:error', () => onEvent('event consumer:heartbeat:error'));
}

/** createTopics returns once the controller accepted the topic; this waits until every partition has a leader. */
async function createTopicWithLeaders(
  admin: Admin,
  topic: string,
  partitions: number,
  replicationFactor: number,
): Promise<void> {
  await admin.createTopics({ topics: [topic], partitions, replicas: replicationFactor });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
    const described = metadata.topics.get(topic);
    if (
      described &&
      described.partitions.length === partitions &&
      described.partitions.every((p) => p.leader >= 0)
    )
      return;
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leaders after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
  const described = metadata.topics.get(topic);
  if (!described) throw new Error(`topic ${topic} not found`);
  return described.partitionsCount;
}

/** Each partition's earliest and latest offset, and the group's committed offset when a group is named. */
async function readOffsets(admin: Admin, topic: string, groupId?: string): Promise<PartitionOffsets[]> {
  const count = await partitionCount(admin, topic);
  const request = (timestamp: bigint) => ({
    topics: [
      {
        name: topic,
        partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })),
      },
    ],
  });
  const [earliest] = await admin.listOffsets(request(ListOffsetTimestamps.EARLIEST));
  const [latest] = await admin.listOffsets(request(ListOffsetTimestamps.LATEST));
  const committed = new Map<number, number>();
  if (groupId) {
    const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
    for (const described of group?.topics ?? []) {
      if (described.name !== topic) continue;
      for (const p of described.partitions) committed.set(p.partitionIndex, Number(p.committedOffset));
    }
  }
  const start = new Map(earliest?.partitions.map((p) => [p.partitionIndex, Number(p.offset)]));
  return (latest?.partitions ?? [])
    .map(
      (p): PartitionOffsets => ({
        partition: p.partitionIndex,
        start: start.get(p.partitionIndex) ?? 0,
        end: Number(p.offset),
        committed: committed.get(p.partitionIndex) ?? -1,
      }),
    )
    .sort((a, b) => a.partition - b.partition);
}

async function openProducer(connection: Connection, topic: string): Promise<DriverProducer> {
  const { bootstrapBrokers, onEvent } = connection;
  const producer = new Producer({ clientId, bootstrapBrokers, idempotent: true, acks: ProduceAcks.ALL });
  watchClient(producer, onEvent);
  // Done lazily by the first send otherwise; kafkajs does the same in connect().
  await producer.initIdempotentProducer({});
  await producer.metadata({ topics: [topic] });
  return {
    prepare(records) {
      const messages = records.map(({ key, value }) => ({ topic, key, value }));
      return async () => {
        await producer.send({ messages });
      };
    },
    close: () => producer.close(),
  };
}

async function openConsumer(
  connection: Connection,
  { topic, groupId, fetch, handlers }: ConsumeOptions,
): Promise<DriverConsumer> {
  const { bootstrapBrokers, onEvent } = connection;
  const consumer = new Consumer({
    clientId,
    groupId,
    bootstrapBrokers,
    autocommit: false,
    minBytes: 1,
    maxBytes: fetch.maxBytes,
    maxBytesPerPartition: fetch.maxBytesPerPartition,
    maxWaitTime: fetch.maxWaitMs,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    retries: retryBudget.retries,
    retryDelay: retryBudget.delayMs,
  });
  watchClient(consumer, onEvent);
  let closed = false;
  let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  const onCommit = (error?: Error) => {
    if (error) handlers.onError(error);
  };

  // A stream that exhausted its retries emits 'error' and is done; the consumer itself stays
  // usable, so the application opens a new stream (the library's documented recovery).
  const open = async (): Promise<void> => {
    const opened = await consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
    });
    stream = opened;
    opened.on('data', (message) => {
      handlers.onRecord({
        partition: message.partition,
        offset: Number(message.offset),
        key: message.key ?? null,
        size: message.value?.length ?? 0,
      });
      message.commit(onCommit);
    });
    opened.on('error', (error) => {
      handlers.onError(error);
      if (!closed) reopen();
    });
  };
  const reopen = () => {
    setTimeout(() => {
      if (closed) return;
      open().catch((error: unknown) => {
        handlers.onError(error);
        reopen();
      });
    }, retryBudget.delayMs);
  };

  await open();
  return {
    async close() {
      closed = true;
      if (stream && !stream.destroyed) await stream.close();
      await consumer.close(true);
    },
  };
}

/**
 * @platformatic/kafka bindings. Retry: 60 tries 1 s apart (about a minute of broker absence, like
 * the kafkajs driver); the idempotent producer retries forever (its default). Consumers use
 * `autocommit: false` and `message.commit()` after processing each record: the client coalesces
 * those into one in-flight OffsetCommit per partition. (With `autocommit: true` the stream commits
 * offsets when a fetch response is pushed into its buffer, before the application has seen the
 * records: at-most-once on a crash, which is not what the pipeline wants.)
 */
export function createPlatformaticDriver(
  brokers: readonly string[],
  onEvent: (label: string) => void,
): Driver {
  const connection: Connection = { bootstrapBrokers: [...brokers], onEvent };
  // One admin client, made on first use and closed with the driver.
  let admin: Admin | undefined;
  const adminClient = (): Admin => {
    admin ??= new Admin({ clientId, bootstrapBrokers: connection.bootstrapBrokers });
    return admin;
  };

  return {
    createTopic: (topic, partitions, replicationFactor) =>
      createTopicWithLeaders(adminClient(), topic, partitions, replicationFactor),
    async deleteTopics(topics) {
      await adminClient().deleteTopics({ topics: [...topics] });
    },
    offsets: (topic, groupId) => readOffsets(adminClient(), topic, groupId),
    producer: (topic) => openProducer(connection, topic),
    consume: (options) => openConsumer(connection, options),
    async close() {
      await admin?.close();
    },
  };
}

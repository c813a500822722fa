import { type Admin, Kafka, type LogEntry, logLevel } from 'kafkajs';
import type { PartitionOffsets } from '../jobs.ts';
import type { ConsumeOptions, Driver, DriverConsumer, DriverProducer } from './driver.ts';

/**
 * kafkajs 2.2.4 bindings. Retry: 15 tries from 300 ms doubling to a 5 s cap (about a minute of
 * broker absence, like the platformatic driver); the idempotent producer retries forever (its
 * default). Consumers use `eachBatch` with per-message `resolveOffset` and `autoCommit`, which
 * commits the resolved offsets after each batch: kafkajs's own at-least-once pattern.
 */
export function createKafkajsDriver(brokers: readonly string[], onLog: (label: string) => void): Driver {
  const kafka = new Kafka({
    clientId: 'bench-kafkajs',
    brokers: [...brokers],
    logLevel: logLevel.ERROR,
    // Errors kafkajs logs (it retries internally) go to the error histogram, not the console.
    logCreator:
      () =>
      ({ log }: LogEntry) =>
        onLog(
          `log: ${String(log.message)
            .replace(/\d+(\.\d+)*/g, '#')
            .slice(0, 100)}`,
        ),
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 15 },
  });
  let admin: Admin | undefined;

  async function connectedAdmin(): Promise<Admin> {
    if (!admin) {
      admin = kafka.admin();
      await admin.connect();
    }
    return admin;
  }

  return {
    async createTopic(topic, partitions, replicationFactor) {
      const client = await connectedAdmin();
      await client.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor }],
        waitForLeaders: true,
      });
    },

    async deleteTopics(topics) {
      const client = await connectedAdmin();
      await client.deleteTopics({ topics: [...topics] });
    },

    async offsets(topic, groupId) {
      const client = await connectedAdmin();
      const ends = await client.fetchTopicOffsets(topic);
      const committed = new Map<number, number>();
      if (groupId) {
        const [group] = await client.fetchOffsets({ groupId, topics: [topic] });
        for (const { partition, offset } of group?.partitions ?? []) committed.set(partition, Number(offset));
      }
      return ends
        .map(
          ({ partition, low, high }): PartitionOffsets => ({
            partition,
            start: Number(low),
            end: Number(high),
            committed: committed.get(partition) ?? -1,
          }),
        )
        .sort((a, b) => a.partition - b.partition);
    },

    async producer(topic): Promise<DriverProducer> {
      const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
      await producer.connect();
      return {
        prepare(records) {
          const messages = records.map(({ key, value }) => ({ key, value }));
          return async () => {
            await producer.send({ topic, messages, acks: -1 });
          };
        },
        close: () => producer.disconnect(),
      };
    },

    async consume({ topic, groupId, fetch, handlers }: ConsumeOptions): Promise<DriverConsumer> {
      const consumer = kafka.consumer({
        groupId,
        minBytes: 1,
        maxBytes: fetch.maxBytes,
        maxBytesPerPartition: fetch.maxBytesPerPartition,
        maxWaitTimeInMs: fetch.maxWaitMs,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        allowAutoTopicCreation: false,
      });
      consumer.on(consumer.events.CRASH, (event) => handlers.onError(event.payload.error));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) break;
            handlers.onRecord({
              partition: batch.partition,
              offset: Number(message.offset),
              key: message.key,
              size: message.value?.length ?? 0,
            });
            resolveOffset(message.offset);
          }
          await heartbeat();
        },
      });
      return { close: () => consumer.disconnect() };
    },

    async close() {
      await admin?.disconnect();
    },
  };
}

// Contract tests of a runner reading several co-partitioned topics in one group (issue 5: the
// scorer joins reports and enriched items), with a batch flush and exclusive tasks, on both kinds
// of keyed store (in memory; on disk, issue 16).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@triage/logging';
import { kafkaTest, readTopic } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { describe, expect } from 'vitest';
import { ConsumerRunner } from '../consumer/consumer-runner.ts';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import { createRecordProducer, type OutboundRecord } from '../producer/record-producer.ts';
import { DiskKeyedStateStore } from '../state/disk-keyed-state-store.ts';
import { KeyedStateStore } from '../state/keyed-state-store.ts';
import { changelogSpec, defaultRetryPolicy, type TopicSpec } from '../topics/topic-spec.ts';

const logger = createLogger({ name: 'co-partitioned-test', level: 'warn' });
const codec = createCodec();

// Five partitions and two instances: the client's default round-robin would split partition p
// of the two topics over both instances here.
const left: TopicSpec = {
  name: 'contract.left.v1',
  record: 'ContractInput',
  key: 'key',
  partitions: 5,
  cleanupPolicy: 'delete',
  retentionMs: -1,
  deadLetter: true,
  retry: { ...defaultRetryPolicy, initialDelayMs: 100, maxDelayMs: 1_000 },
  description: 'contract test input (left)',
};
const right: TopicSpec = { ...left, name: 'contract.right.v1', description: 'contract test input (right)' };
const joined: TopicSpec = {
  ...left,
  name: 'contract.joined.v1',
  deadLetter: false,
  description: 'joined output',
};
const changelog = changelogSpec(left, 'contract.join', 'ContractSeen');
const topics = [left, right, joined, changelog];

interface Seen {
  side: string;
  id: number;
}
interface Joined {
  key: string;
  instance: string;
  sides: string[];
  count: number;
  via: 'flush' | 'exclusive';
}

const json = {
  encode: (value: unknown) => Buffer.from(JSON.stringify(value)),
  decode: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')),
};

type StoreKind = 'memory' | 'disk';

/** Keeps every (side, id) per key in one store; the flush writes one summary per key touched in the batch. */
function joiningStage(connection: KafkaConnection, instance: string, kind: StoreKind) {
  const producer = createRecordProducer(connection, `join-${instance}`);
  const storeOptions = {
    name: 'contract.join',
    connection,
    changelogTopic: deployedTopic(connection, changelog.name),
    codec: json,
    logger,
  };
  // The disk store's folder: one per instance, as each instance has its own disk.
  const dir = mkdtempSync(path.join(tmpdir(), `join-${instance}-`));
  const store =
    kind === 'memory'
      ? new KeyedStateStore<Seen[]>(storeOptions)
      : new DiskKeyedStateStore<Seen[]>({ ...storeOptions, dir, cacheEntries: 4 });
  const output = deployedTopic(connection, joined.name);
  const touched = new Map<string, number>();
  const handled: { key: string; topic: string }[] = [];
  const summary = (partition: number, key: string, via: Joined['via']): OutboundRecord => {
    const seen = store.get(partition, key) ?? [];
    const value: Joined = {
      key,
      instance,
      sides: [...new Set(seen.map((entry) => entry.side))].sort(),
      count: seen.length,
      via,
    };
    return { topic: output, key, value: json.encode(value) };
  };
  const runner = new ConsumerRunner({
    stage: 'contract-join',
    connection,
    groupId: 'join',
    input: [left, right],
    producer,
    logger,
    codec,
    stores: [store],
    maxBatchRecords: 20,
    handle: async (record) => {
      const key = record.key ?? '';
      const side = record.topic.endsWith(left.name) ? 'left' : 'right';
      const { id } = json.decode(record.value ?? Buffer.from('{}')) as { id: number };
      const seen = store.get(record.partition, key) ?? [];
      if (!seen.some((entry) => entry.side === side && entry.id === id)) {
        store.put(record.partition, key, [...seen, { side, id }]);
      }
      touched.set(key, record.partition);
      handled.push({ key, topic: side });
      return [];
    },
    flush: () => {
      const outputs = [...touched].map(([key, partition]) => summary(partition, key, 'flush'));
      touched.clear();
      return { outputs };
    },
  });
  return {
    runner,
    store,
    handled,
    summary,
    async stop() {
      await runner.stop();
      await producer.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function produce(connection: KafkaConnection, spec: TopicSpec, keys: string[], ids: number[]) {
  const producer = createRecordProducer(connection, 'join-input');
  try {
    await producer.send(
      ids.map((id) => ({
        topic: deployedTopic(connection, spec.name),
        key: keys[id % keys.length]!,
        value: json.encode({ id }),
      })),
    );
  } finally {
    await producer.close();
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const keys = Array.from({ length: 12 }, (_, index) => `key-${index}`);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

describe.each<StoreKind>(['memory', 'disk'])('runner over co-partitioned inputs, %s store', (kind) => {
  kafkaTest(
    'two instances: partition p of both topics goes to one instance, whose store and flush see both sides of a key',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      const a = joiningStage(kafka.connection, 'a', kind);
      const b = joiningStage(kafka.connection, 'b', kind);
      await a.runner.start();
      await b.runner.start();
      try {
        // Both members hold partitions: the group has settled on two members.
        await waitFor(
          () =>
            a.store.assigned.length > 0 &&
            b.store.assigned.length > 0 &&
            a.store.assigned.length + b.store.assigned.length === left.partitions,
        );
        expect([...a.store.assigned, ...b.store.assigned].sort()).toEqual([0, 1, 2, 3, 4]);

        const ids = range(0, 120);
        await produce(kafka.connection, left, keys, ids);
        await produce(kafka.connection, right, keys, ids);
        // Each key has 10 ids on each side: 20 entries once both sides are joined.
        const outputs = await kafka.readTopic(joined.name, (records) => {
          const complete = new Set(
            records
              .map((record) => json.decode(record.value ?? Buffer.from('{}')) as Joined)
              .filter((value) => value.count === 20)
              .map((value) => value.key),
          );
          return complete.size === keys.length;
        });
        const final = new Map<string, Joined>();
        for (const record of outputs) final.set(record.key, json.decode(record.value ?? Buffer.from('{}')));
        for (const key of keys)
          expect(final.get(key), key).toMatchObject({ sides: ['left', 'right'], count: 20 });

        // Every record of one key, from either topic, was handled by one instance.
        for (const key of keys) {
          const byA = a.handled.filter((entry) => entry.key === key).length;
          const byB = b.handled.filter((entry) => entry.key === key).length;
          expect(byA === 0 || byB === 0, key).toBe(true);
          expect(byA + byB, key).toBe(20);
        }
        // One flush output per key per batch at most, never one per record.
        expect(outputs.length).toBeLessThan(ids.length * 2);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
  );

  kafkaTest(
    'one of two instances stops: its partitions restore on the other from the changelog and every join completes',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      const a = joiningStage(kafka.connection, 'a', kind);
      const b = joiningStage(kafka.connection, 'b', kind);
      await a.runner.start();
      await b.runner.start();
      let bStopped = false;
      try {
        await waitFor(
          () =>
            a.store.assigned.length > 0 &&
            b.store.assigned.length > 0 &&
            a.store.assigned.length + b.store.assigned.length === left.partitions,
        );
        const firstHalf = range(0, 60);
        await produce(kafka.connection, left, keys, firstHalf);
        await produce(kafka.connection, right, keys, firstHalf);
        await waitFor(() => a.handled.length + b.handled.length === firstHalf.length * 2);
        await b.stop();
        bStopped = true;
        await waitFor(() => a.store.assigned.length === left.partitions);

        const secondHalf = range(60, 120);
        await produce(kafka.connection, left, keys, secondHalf);
        await produce(kafka.connection, right, keys, secondHalf);
        // Every key complete (20 entries) in a summary written by the instance that stayed.
        const outputs = await kafka.readTopic(joined.name, (records) => {
          const complete = new Set(
            records
              .map((record) => json.decode(record.value ?? Buffer.from('{}')) as Joined)
              .filter((value) => value.count === 20 && value.instance === 'a')
              .map((value) => value.key),
          );
          return complete.size === keys.length;
        });
        const final = new Map<string, Joined>();
        for (const record of outputs) {
          const value = json.decode(record.value ?? Buffer.from('{}')) as Joined;
          if (value.instance === 'a') final.set(record.key, value);
        }
        for (const key of keys)
          expect(final.get(key), key).toMatchObject({ sides: ['left', 'right'], count: 20 });
        // A key of a moved partition has 20 entries only if its first half came from the changelog.
      } finally {
        await Promise.all([a.stop(), bStopped ? undefined : b.stop()]);
      }
    },
  );

  kafkaTest(
    'an exclusive task runs between batches: its outputs and store writes are produced before it resolves',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      const stage = joiningStage(kafka.connection, 'solo', kind);
      await stage.runner.start();
      try {
        await produce(kafka.connection, left, keys, range(0, 24));
        await waitFor(() => stage.handled.length === 24);
        const partition = stage.store.held.find((p) => stage.store.get(p, 'key-0') !== undefined)!;
        await stage.runner.runExclusive(() => {
          // The store as the last batch left it, and a write of the task's own.
          const seen = stage.store.get(partition, 'key-0') ?? [];
          stage.store.put(partition, 'key-0', [...seen, { side: 'timer', id: 999 }]);
          return [stage.summary(partition, 'key-0', 'exclusive')];
        });
        // Resolved means acknowledged: the output and the changelog write are readable now.
        const outputs = await readTopic(kafka.connection, kafka.topic(joined.name), (records) =>
          records.some((record) => (json.decode(record.value!) as Joined).via === 'exclusive'),
        );
        const exclusive = outputs
          .map((record) => json.decode(record.value!) as Joined)
          .find((value) => value.via === 'exclusive');
        expect(exclusive).toMatchObject({ key: 'key-0', sides: ['left', 'timer'], count: 3 });
        const changes = await kafka.readTopic(changelog.name, (records) =>
          records.some((record) => String(record.value).includes('"timer"')),
        );
        expect(changes.some((record) => record.key === 'key-0' && String(record.value).includes('999'))).toBe(
          true,
        );
      } finally {
        await stage.stop();
      }
      await expect(stage.runner.runExclusive(() => [])).rejects.toThrow(/stopped/);
    },
  );
});

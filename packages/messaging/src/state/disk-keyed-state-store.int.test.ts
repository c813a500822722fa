// The disk-backed keyed store on the real broker: what reaches the disk and when, resuming from
// the checkpoint, rebuilding a lost, damaged or stale store, and partitions moving away.

import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@triage/logging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { describe, expect } from 'vitest';
import { createRecordProducer } from '../producer/record-producer.ts';
import { compactedTopic, jsonRows } from '../testing/contract-rows.ts';
import { DiskKeyedStateStore, type DiskKeyedStateStoreOptions } from './disk-keyed-state-store.ts';
import { openLmdbStore } from './lmdb-store.ts';

const logger = createLogger({ name: 'disk-state-test', level: 'warn' });
const json = jsonRows;
const changelog = compactedTopic('contract.disk.changelog.v1', 'disk-backed keyed store contract test');

interface Row {
  report: string;
  n: number;
}

async function setUp(kafka: KafkaFixture) {
  await kafka.createTopics([changelog]);
  const dir = await mkdtemp(path.join(tmpdir(), 'disk-state-'));
  const producer = createRecordProducer(kafka.connection, 'disk-state-writer');
  const options = (folder = dir): DiskKeyedStateStoreOptions<Row> => ({
    name: 'contract.disk',
    connection: kafka.connection,
    changelogTopic: kafka.topic(changelog.name),
    codec: json,
    logger,
    dir: folder,
    cacheEntries: 8,
    groupOf: (_key, value) => value.report,
  });
  /** A store holding `partitions`, restored. */
  const open = async (partitions: number[], folder = dir) => {
    const store = new DiskKeyedStateStore<Row>(options(folder));
    store.assign(partitions);
    for (const partition of partitions) await store.ensureRestored(partition);
    return store;
  };
  /** What the runner does after a batch: produce the writes, then report them acknowledged. */
  const commit = async (store: DiskKeyedStateStore<Row>) => {
    await producer.send(store.drainWrites());
    store.acknowledged();
  };
  const folder = (partition: number, root = dir) =>
    path.join(root, kafka.topic(changelog.name), String(partition));
  return {
    dir,
    open,
    commit,
    folder,
    producer,
    async cleanUp() {
      await producer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
    await sleep(50);
  }
}

describe('disk-backed keyed state store', () => {
  kafkaTest(
    'given acknowledged writes and a crash before the next batch reached the disk, when restarted, then it resumes from the checkpoint and reads only the tail',
    async ({ kafka }) => {
      const test = await setUp(kafka);
      try {
        const first = await test.open([0]);
        for (let n = 0; n < 50; n++) first.put(0, `k${n}`, { report: `r${n % 5}`, n });
        first.delete(0, 'k7');
        // Read before and after the disk has them: the same answers.
        const r2 = ['k12', 'k17', 'k2', 'k22', 'k27', 'k32', 'k37', 'k42', 'k47'].sort();
        expect(first.get(0, 'k3')).toEqual({ report: 'r3', n: 3 });
        expect(first.size(0)).toBe(49);
        expect([...first.groupKeys(0, 'r2')].sort()).toEqual(r2);
        expect([first.groupSize(0, 'r2'), first.groupSize(0, 'r7')]).toEqual([9, 0]);
        // Unacknowledged writes are on the heap; once on disk only the cache's 8 are.
        expect(first.heapValues()).toBe(50);
        await test.commit(first);
        expect(first.heapValues()).toBe(8);
        expect(first.get(0, 'k3')).toEqual({ report: 'r3', n: 3 });
        expect(first.get(0, 'k7')).toBeUndefined();
        expect(first.size(0)).toBe(49);
        expect([...first.group(0, 'r2').keys()].sort()).toEqual(r2);
        expect([...first.groupKeys(0, 'r2')].sort()).toEqual(r2);
        expect(first.groupSize(0, 'r2')).toBe(9);
        // Written over what is on disk: a new member, one that leaves, one written again (counted once).
        first.put(0, 'k52', { report: 'r2', n: 52 });
        first.delete(0, 'k17');
        first.put(0, 'k22', { report: 'r2', n: 222 });
        const r2Now = [...r2.filter((key) => key !== 'k17'), 'k52'].sort();
        expect([...first.groupKeys(0, 'r2')].sort()).toEqual(r2Now);
        expect(first.groupSize(0, 'r2')).toBe(9);
        expect(first.group(0, 'r2').get('k22')).toEqual({ report: 'r2', n: 222 });
        first.drainWrites();
        expect([...first.groupKeys(0, 'r2')].sort()).toEqual(r2Now);
        // Not acknowledged: dropped, as the runner does when the batch is read again.
        first.rollBack();
        await first.ensureRestored(0);
        expect([...first.groupKeys(0, 'r2')].sort()).toEqual(r2);

        // The next batch reaches the changelog, and the process dies before the disk write.
        first.put(0, 'k50', { report: 'r0', n: 50 });
        first.put(0, 'k3', { report: 'r3', n: 333 });
        first.delete(0, 'k12');
        await test.producer.send(first.drainWrites());
        await first.close();

        const second = await test.open([0]);
        try {
          expect(second.restores.get(0)).toMatchObject({
            fromOffset: 51n,
            recordsRead: 3,
            rebuiltBecause: null,
          });
          expect(second.get(0, 'k50')).toEqual({ report: 'r0', n: 50 });
          expect(second.get(0, 'k3')).toEqual({ report: 'r3', n: 333 });
          expect(second.get(0, 'k12')).toBeUndefined();
          expect(second.size(0)).toBe(49);
          expect(second.group(0, 'r2').has('k12')).toBe(false);
          expect([...second.entries(0)]).toHaveLength(49);
        } finally {
          await second.close();
        }
      } finally {
        await test.cleanUp();
      }
    },
  );

  kafkaTest(
    'given a lost, a damaged and a stale store, when restored, then each is rebuilt from the whole changelog',
    async ({ kafka }) => {
      const test = await setUp(kafka);
      try {
        const writer = await test.open([1]);
        for (let n = 0; n < 20; n++) writer.put(1, `k${n}`, { report: 'r', n });
        await test.commit(writer);
        await writer.close();
        const expectAll = async (because: string) => {
          const store = await test.open([1]);
          try {
            expect(store.restores.get(1)).toMatchObject({
              fromOffset: 0n,
              recordsRead: 20,
              rebuiltBecause: because,
            });
            expect(store.size(1)).toBe(20);
            expect(store.group(1, 'r').size).toBe(20);
          } finally {
            await store.close();
          }
        };

        await rm(test.folder(1), { recursive: true });
        await expectAll('missing');

        await writeFile(path.join(test.folder(1), 'data.mdb'), Buffer.alloc(64 * 1024, 0xa5));
        await expectAll('unreadable');

        // A checkpoint past the changelog's end: the topic was deleted and made again.
        const raw = await openLmdbStore({
          path: test.folder(1),
          tables: ['rows', 'groups'],
          format: 'keyed-state-1',
          logger,
        });
        raw.writeSync(() => undefined, {
          source: kafka.topic(changelog.name),
          offsets: new Map([[1, 10_000n]]),
        });
        await raw.close();
        await expectAll('ahead');
      } finally {
        await test.cleanUp();
      }
    },
  );

  kafkaTest(
    'given a partition moved to another instance, then its folder is removed here and it is restored there from the changelog',
    async ({ kafka }) => {
      const test = await setUp(kafka);
      const elsewhere = await mkdtemp(path.join(tmpdir(), 'disk-state-other-'));
      try {
        const here = await test.open([0, 2]);
        here.put(0, 'a', { report: 'r', n: 1 });
        here.put(2, 'b', { report: 'r', n: 2 });
        await test.commit(here);
        expect(existsSync(test.folder(2))).toBe(true);

        here.assign([0]);
        expect(here.held).toEqual([0]);
        expect(() => here.get(2, 'b')).toThrow(/before it was restored/);
        await eventually(() => !existsSync(test.folder(2)), 'the moved partition folder removed');
        expect(existsSync(test.folder(0))).toBe(true);

        const there = await test.open([2], elsewhere);
        try {
          expect(there.get(2, 'b')).toEqual({ report: 'r', n: 2 });
          expect(there.restores.get(2)).toMatchObject({ rebuiltBecause: 'missing', recordsRead: 1 });
        } finally {
          await there.close();
          await here.close();
        }
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
        await test.cleanUp();
      }
    },
  );

  kafkaTest(
    'given folders an earlier run of this instance left, when the group gives it fewer partitions, then the others are removed and the one it holds resumes from its checkpoint',
    async ({ kafka }) => {
      const test = await setUp(kafka);
      try {
        const before = await test.open([0, 1, 2]);
        for (const partition of [0, 1, 2])
          before.put(partition, `k${partition}`, { report: 'r', n: partition });
        await test.commit(before);
        // Stopped (or killed) holding all three: every folder stays.
        await before.close();
        expect([0, 1, 2].map((partition) => existsSync(test.folder(partition)))).toEqual([true, true, true]);

        const after = await test.open([1]);
        try {
          await eventually(
            () => !existsSync(test.folder(0)) && !existsSync(test.folder(2)),
            'the folders of partitions not assigned removed',
          );
          expect(existsSync(test.folder(1))).toBe(true);
          expect(after.restores.get(1)).toMatchObject({
            fromOffset: 1n,
            recordsRead: 0,
            rebuiltBecause: null,
          });
          expect(after.get(1, 'k1')).toEqual({ report: 'r', n: 1 });
        } finally {
          await after.close();
        }
      } finally {
        await test.cleanUp();
      }
    },
  );

  kafkaTest(
    'given writes the changelog never acknowledged, when rolled back, then they are gone and the partition is restored before its next use',
    async ({ kafka }) => {
      const test = await setUp(kafka);
      try {
        const store = await test.open([0]);
        store.put(0, 'kept', { report: 'r', n: 1 });
        await test.commit(store);
        store.put(0, 'lost', { report: 'r', n: 2 });
        store.delete(0, 'kept');
        store.drainWrites();
        store.rollBack();
        expect(store.held).toEqual([]);
        await store.ensureRestored(0);
        expect(store.get(0, 'kept')).toEqual({ report: 'r', n: 1 });
        expect(store.get(0, 'lost')).toBeUndefined();
        expect(store.restores.get(0)).toMatchObject({ fromOffset: 1n, recordsRead: 0, rebuiltBecause: null });
        await store.close();
      } finally {
        await test.cleanUp();
      }
    },
  );
});

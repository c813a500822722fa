// The global table on disk against the one in memory on the real broker: the same answers (one
// contract run against both), then what only the disk has: a restart from the checkpoint reads
// the topic's tail alone, and a lost, damaged or stale store is rebuilt from the whole topic.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@triage/logging';
import { compactedTopic, jsonRows, type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { describe, expect } from 'vitest';
import { createRecordProducer } from '../producer/record-producer.ts';
import { createGlobalTable, DiskGlobalTable, type DiskGlobalTableOptions } from './disk-global-table.ts';
import type { MaterialisedTable } from './global-table.ts';
import { openLmdbStore } from './lmdb-store.ts';

const logger = createLogger({ name: 'disk-table-test', level: 'error' });
const json = jsonRows;
const spec = compactedTopic('contract.disk.table.v1', 'global table on disk contract test');

interface Row {
  index: number;
}

async function setUp(kafka: KafkaFixture) {
  await kafka.createTopics([spec]);
  const dir = await mkdtemp(path.join(tmpdir(), 'disk-table-'));
  const producer = createRecordProducer(kafka.connection, 'disk-table-writer');
  const topic = kafka.topic(spec.name);
  const send = (rows: [key: string, value: Row | null | Buffer][]) =>
    producer.send(
      rows.map(([key, value]) => ({
        topic,
        key,
        value: value === null || Buffer.isBuffer(value) ? value : json.encode(value),
      })),
    );
  const options = (changes: string[] = []): DiskGlobalTableOptions<Row> => ({
    name: 'contract-disk-table',
    connection: kafka.connection,
    topic,
    codec: json,
    logger,
    dir,
    cacheEntries: 4,
    batchSize: 7,
    retryDelayMs: 50,
    onChange: (key, value, previous) =>
      changes.push(`${key}:${previous?.index ?? '-'}>${value === null ? 'deleted' : value.index}`),
  });
  return {
    dir,
    topic,
    send,
    options,
    folder: path.join(dir, topic),
    cleanUp: async () => {
      await producer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function eventually(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check() && Date.now() < deadline) await sleep(50);
}

const sorted = (table: MaterialisedTable<Row>, prefix?: string) =>
  [...table.entries(prefix)].sort(([a], [b]) => (a < b ? -1 : 1));

describe.each([
  ['in memory', false],
  ['on disk', true],
])('global table contract (%s)', (_name, onDisk) => {
  kafkaTest(
    'given rows, tombstones and a row that does not decode, when caught up and followed, then every instance answers alike',
    async ({ kafka }) => {
      const test = await setUp(kafka);
      const changes: string[] = [];
      const { dir: _dir, ...common } = test.options(changes);
      const table = createGlobalTable<Row>({ ...common, dir: onDisk ? test.dir : null });
      try {
        await test.send([
          ...Array.from({ length: 20 }, (_, index): [string, Row] => [`row-${index}`, { index }]),
          ['row-7', null],
          ['row-8', { index: 80 }],
          ['bad', Buffer.from('{not json')],
        ]);
        await table.start();
        expect(table.size).toBe(19);
        expect(table.skipped).toBe(1);
        expect(table.get('row-7')).toBeUndefined();
        expect(table.get('bad')).toBeUndefined();
        expect(table.get('row-8')).toEqual({ index: 80 });
        expect(changes).toContain('row-7:7>deleted');
        expect(changes).toContain('row-8:8>80');
        expect(sorted(table, 'row-1')).toEqual([
          ['row-1', { index: 1 }],
          ...Array.from({ length: 10 }, (_, n): [string, Row] => [`row-1${n}`, { index: 10 + n }]),
        ]);
        expect(sorted(table)).toHaveLength(19);
        expect([...table.keys('row-1')].sort()).toEqual(sorted(table, 'row-1').map(([key]) => key));

        await test.send([
          ['row-99', { index: 99 }],
          ['row-0', null],
        ]);
        await eventually(() => table.get('row-99') !== undefined && table.get('row-0') === undefined);
        expect(table.get('row-99')).toEqual({ index: 99 });
        expect(table.get('row-0')).toBeUndefined();
        expect(table.size).toBe(19);
        expect([...table.keys('row-')]).not.toContain('row-0');
        expect([...table.keys('row-9')].sort()).toEqual(['row-9', 'row-99']);
        expect(changes).toContain('row-0:0>deleted');
      } finally {
        await table.close();
        await test.cleanUp();
      }
    },
  );
});

describe('global table on disk', () => {
  kafkaTest(
    'given a clean stop, when started again, then it reads only the tail and replays the stored rows to onChange',
    async ({ kafka }) => {
      const test = await setUp(kafka);
      try {
        await test.send(Array.from({ length: 30 }, (_, index): [string, Row] => [`row-${index}`, { index }]));
        const first = new DiskGlobalTable<Row>(test.options());
        await first.start();
        expect(first.restore).toEqual({ recordsRead: 30, rebuiltBecause: 'missing' });
        await first.close();

        await test.send([
          ['row-3', { index: 33 }],
          ['row-4', null],
        ]);
        const changes: string[] = [];
        const second = new DiskGlobalTable<Row>(test.options(changes));
        try {
          await second.start();
          expect(second.restore).toEqual({ recordsRead: 2, rebuiltBecause: null });
          expect(second.size).toBe(29);
          expect(second.get('row-3')).toEqual({ index: 33 });
          expect(second.get('row-4')).toBeUndefined();
          // The 30 stored rows first (as read from the beginning), then the tail against them.
          expect(changes.slice(0, 30).every((change) => change.includes(':->'))).toBe(true);
          expect(changes.slice(30)).toEqual(['row-3:3>33', 'row-4:4>deleted']);
        } finally {
          await second.close();
        }
      } finally {
        await test.cleanUp();
      }
    },
  );

  kafkaTest(
    'given a lost, a damaged and a stale store, when started, then each is rebuilt from the whole topic',
    async ({ kafka }) => {
      const test = await setUp(kafka);
      try {
        await test.send(Array.from({ length: 12 }, (_, index): [string, Row] => [`row-${index}`, { index }]));
        const expectRebuilt = async (because: string) => {
          const table = new DiskGlobalTable<Row>(test.options());
          try {
            await table.start();
            expect(table.restore).toEqual({ recordsRead: 12, rebuiltBecause: because });
            expect(table.size).toBe(12);
            expect(table.get('row-11')).toEqual({ index: 11 });
          } finally {
            await table.close();
          }
        };
        await expectRebuilt('missing');

        await rm(test.folder, { recursive: true });
        await expectRebuilt('missing');

        await writeFile(path.join(test.folder, 'data.mdb'), Buffer.alloc(64 * 1024, 0xa5));
        await expectRebuilt('unreadable');

        // A checkpoint past the topic's end: the topic was deleted and made again.
        const raw = await openLmdbStore({
          path: test.folder,
          tables: ['rows'],
          format: 'global-table-1',
          logger,
        });
        raw.writeSync(() => raw.table<Buffer>('rows').put('row-gone', json.encode({ index: -1 })), {
          source: test.topic,
          offsets: new Map([[0, 10_000n]]),
        });
        await raw.close();
        await expectRebuilt('ahead');
      } finally {
        await test.cleanUp();
      }
    },
  );
});

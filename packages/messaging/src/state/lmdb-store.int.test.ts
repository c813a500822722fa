import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@triage/logging';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiskStore } from './disk-store.ts';
import { openLmdbStore } from './lmdb-store.ts';

const logger = createLogger({ name: 'lmdb-store-test', level: 'silent' });

describe('LMDB state store', () => {
  let folder: string;
  const opened: DiskStore[] = [];
  const open = async (format = 'rows-1') => {
    const store = await openLmdbStore({ path: path.join(folder, 'store'), tables: ['rows'], format, logger });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'lmdb-store-'));
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  });

  it('given rows written with a checkpoint, when the store is reopened, then both are there', async () => {
    const first = await open();
    expect(first.rebuiltBecause).toBe('missing');
    const rows = first.table<{ n: number }>('rows');
    await first.write(
      () => {
        rows.put('a', { n: 1 });
        rows.put('b', { n: 2 });
        // Reads inside the transaction see its own writes.
        rows.put('c', { n: rows.get('a')!.n + rows.get('b')!.n });
      },
      { source: 'topic-x', offsets: new Map([[0, 12n]]) },
    );
    await first.write(() => rows.remove('b'), { source: 'topic-x', offsets: new Map([[2, 5n]]) });
    await first.close();

    const again = await open();
    expect(again.rebuiltBecause).toBeNull();
    expect(again.table<{ n: number }>('rows').get('c')).toEqual({ n: 3 });
    expect(again.table('rows').get('b')).toBeUndefined();
    expect(again.checkpoint('topic-x')).toEqual(
      new Map([
        [0, 12n],
        [2, 5n],
      ]),
    );
    expect(again.checkpoint('topic-y')).toEqual(new Map());
    expect(await again.diskBytes()).toBeGreaterThan(0);
  });

  it('given a write that throws, when it fails, then neither its rows nor its checkpoint are kept', async () => {
    const store = await open();
    const rows = store.table<number>('rows');
    await expect(
      store.write(
        () => {
          rows.put('half', 1);
          throw new Error('fails half-way');
        },
        { source: 'topic-x', offsets: new Map([[0, 99n]]) },
      ),
    ).rejects.toThrow('fails half-way');
    expect(rows.get('half')).toBeUndefined();
    expect(store.checkpoint('topic-x')).toEqual(new Map());
  });

  it('given a store of another format, when opened, then it starts empty', async () => {
    const old = await open('rows-1');
    old.writeSync(() => old.table('rows').put('a', 1));
    await old.close();
    const reopened = await open('rows-2');
    expect(reopened.rebuiltBecause).toBe('format');
    expect(reopened.table('rows').get('a')).toBeUndefined();
  });

  it.each([
    ['its header', 0],
    ['its pages past the header', 8 * 1024],
  ])(
    'given a data file damaged in %s, when opened, then it is replaced by an empty store',
    async (_where, from) => {
      const old = await open();
      const rows = old.table<string>('rows');
      await old.write(() => {
        for (let index = 0; index < 2_000; index++) rows.put(`row-${index}`, 'x'.repeat(200));
      });
      await old.close();
      const file = path.join(folder, 'store', 'data.mdb');
      const bytes = await readFile(file);
      bytes.fill(0x5a, from, from + 256 * 1024);
      await writeFile(file, bytes);
      const reopened = await open();
      expect(reopened.rebuiltBecause).toBe('unreadable');
      expect(reopened.table('rows').get('row-1')).toBeUndefined();
      reopened.writeSync(() => reopened.table('rows').put('b', 2));
      expect(reopened.table('rows').get('b')).toBe(2);
    },
  );

  it('given rows and a checkpoint, when cleared, then both are gone and the store still works', async () => {
    const store = await open();
    await store.write(() => store.table('rows').put('a', 1), { source: 't', offsets: new Map([[0, 3n]]) });
    await store.clear();
    expect(store.table('rows').get('a')).toBeUndefined();
    expect(store.checkpoint('t')).toEqual(new Map());
    store.writeSync(() => store.table('rows').put('b', 2));
    expect(store.table('rows').get('b')).toBe(2);
  });
});

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PartitionReader, pipelineTopics } from '@triage/messaging';
import { kafkaTest, type ReadRecord } from '@triage/messaging/testing/fixtures';
import { createCodec, type KnownHash } from '@triage/schemas';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ImportProgress, importHashList } from '../index.ts';

const samples = fileURLToPath(new URL('../../../../../shared/data/vics/', import.meta.url));
const hashSet40 = `${samples}gleapp-vics-hashset-40.json`;
const codec = createCodec();
const topicName = pipelineTopics.hashsets.name;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hash-lists-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The last record of every key, as a compacted topic will keep it (null = removed). */
function latestByKey(records: readonly ReadRecord[]): Map<string, KnownHash | null> {
  const latest = new Map<string, KnownHash | null>();
  for (const record of records) {
    latest.set(record.key, record.value === null ? null : codec.decode('KnownHash', record.value));
  }
  return latest;
}

/** The first `count` Media records of the 40-record sample, as a new version of the list. */
async function firstRecordsOfSample(count: number): Promise<string> {
  const document = JSON.parse((await readFile(hashSet40, 'utf8')).replace(/^\uFEFF/, ''));
  document.value = document.value.slice(0, count);
  const path = join(scratch, `hashset-${count}.json`);
  await writeFile(path, JSON.stringify(document));
  return path;
}

describe('importHashList on the real broker', () => {
  kafkaTest(
    'publishes every entry under <list>:<hashType>:<value>, then tombstones what a smaller version dropped',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.hashsets]);
      const phases = new Set<ImportProgress['phase']>();
      const first = await importHashList({
        file: hashSet40,
        list: 'police-test',
        version: 'v1',
        connection: kafka.connection,
        batchSize: 25,
        clock: () => 1_700_000_000_000,
        onProgress: (progress) => phases.add(progress.phase),
      });
      expect(first).toMatchObject({ published: 86, previous: 0, removed: 0, topic: kafka.topic(topicName) });
      expect(first.counts.byHashType).toEqual({ MD5: 40, SHA1: 32, PHOTODNA: 14 });
      expect([...phases]).toEqual(['reading-current', 'publishing', 'done']);

      const written = await kafka.readTopic(topicName, 86);
      expect(written).toHaveLength(86);
      const v1 = latestByKey(written);
      expect(v1.size).toBe(86);
      for (const [key, value] of v1) {
        expect(value, key).not.toBeNull();
        expect(key).toBe(`police-test:${value!.hashType}:${value!.value}`);
        expect(value).toMatchObject({ listName: 'police-test', listVersion: 'v1', source: 'vics-json' });
        expect(value!.importedAt).toBe(1_700_000_000_000);
      }
      const md5 = v1.get('police-test:MD5:cd613e30d8f16adf91b7584a2265b1f5');
      expect(md5).toMatchObject({
        hashType: 'MD5',
        category: 0,
        categoryLabel: 'non-pertinent',
        mediaId: '1000',
        victimIdentified: true,
        isDistributed: true,
        tags: ['tag, with ] brackets'],
      });
      const photoDna = [...v1.values()].filter((value) => value?.hashType === 'PHOTODNA');
      expect(photoDna).toHaveLength(14);
      expect(
        photoDna.every((value) => value!.value.length === 192 && value!.photoDnaVerbatim === value!.value),
      ).toBe(true);
      const categories = [...v1.values()].map((value) => value!.category);
      expect(categories.filter((category) => category === 0)).toHaveLength(22);

      // Version 2 keeps the first 30 records: 30 MD5, 24 SHA1, 10 PhotoDNA; 22 entries are gone.
      const smaller = await firstRecordsOfSample(30);
      const second = await importHashList({
        file: smaller,
        list: 'police-test',
        version: 'v2',
        connection: kafka.connection,
        batchSize: 25,
      });
      expect(second).toMatchObject({ published: 64, previous: 86, removed: 22, removalSkipped: null });
      expect(second.counts.byHashType).toEqual({ MD5: 30, SHA1: 24, PHOTODNA: 10 });

      const all = await kafka.readTopic(topicName, 86 + 64 + 22);
      expect(all).toHaveLength(172);
      const v2 = latestByKey(all);
      const removed = [...v2].filter(([, value]) => value === null).map(([key]) => key);
      const kept = [...v2].filter(([, value]) => value !== null);
      expect(removed).toHaveLength(22);
      expect(kept).toHaveLength(64);
      expect(kept.every(([, value]) => value!.listVersion === 'v2')).toBe(true);
      // What was removed is exactly what records 30-39 held.
      const dropped = [...v1].filter(([, value]) => Number(value!.mediaId) >= 1030).map(([key]) => key);
      expect(removed.sort()).toEqual(dropped.sort());
    },
  );

  kafkaTest(
    'replace touches only its own list; merge never removes; a file without valid entries removes nothing',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.hashsets]);
      const csv = join(scratch, 'hotline.csv');
      const md5 = (text: string) => createHash('md5').update(text).digest('hex');
      await writeFile(csv, `hash,type,category\n${md5('one')},MD5,1\n${md5('two')},MD5,2\n`);
      await importHashList({ file: csv, list: 'hotline', version: 'h1', connection: kafka.connection });
      await importHashList({
        file: hashSet40,
        list: 'police-test',
        version: 'v1',
        connection: kafka.connection,
      });

      // A replace of police-test with a smaller file leaves hotline alone.
      const five = await firstRecordsOfSample(5);
      const replaced = await importHashList({
        file: five,
        list: 'police-test',
        connection: kafka.connection,
      });
      expect(replaced.previous).toBe(86);
      expect(replaced.removed).toBe(86 - replaced.published);

      // Merge adds without removing.
      const extra = join(scratch, 'hotline-extra.csv');
      await writeFile(extra, `${md5('three')},MD5,3\n`);
      const merged = await importHashList({
        file: extra,
        list: 'hotline',
        mode: 'merge',
        connection: kafka.connection,
      });
      expect(merged).toMatchObject({ published: 1, previous: null, removed: 0 });

      // A replace with nothing valid keeps the list (guard against wiping it by mistake).
      const broken = join(scratch, 'hotline-broken.csv');
      await writeFile(broken, `hash,type,category\n${md5('four').slice(0, 31)},MD5,1\n`);
      const guarded = await importHashList({ file: broken, list: 'hotline', connection: kafka.connection });
      expect(guarded).toMatchObject({ published: 0, previous: 3, removed: 0 });
      expect(guarded.removalSkipped).toMatch(/no valid entries/);
      expect(guarded.counts.invalidRows).toEqual([
        expect.objectContaining({ position: 'line 2', reason: 'hash-malformed' }),
      ]);

      const total = 2 + 86 + replaced.published + replaced.removed + 1;
      const latest = latestByKey(await kafka.readTopic(topicName, total));
      const hotline = [...latest].filter(([key, value]) => key.startsWith('hotline:') && value !== null);
      expect(hotline.map(([key]) => key).sort()).toEqual(
        [md5('one'), md5('two'), md5('three')].map((hash) => `hotline:MD5:${hash}`).sort(),
      );
      expect(hotline.map(([, value]) => value!.source)).toEqual(['csv', 'csv', 'csv']);
    },
  );

  kafkaTest(
    'a dry run counts without publishing; an unknown file or a refused case export publishes nothing',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.hashsets]);
      const dry = await importHashList({ file: hashSet40, list: 'police-test', dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, published: 0, topic: null });
      expect(dry.counts.entries).toBe(86);

      const prose = join(scratch, 'notes.txt');
      await writeFile(prose, 'Dear analyst,\nthe list follows next week.\n');
      await expect(
        importHashList({ file: prose, list: 'police-test', connection: kafka.connection }),
      ).rejects.toMatchObject({ code: 'TRIAGE_HASHLIST_FORMAT_UNKNOWN' });
      await expect(
        importHashList({
          file: `${samples}gleapp-vics-case-export-minimal.json`,
          list: 'police-test',
          connection: kafka.connection,
        }),
      ).rejects.toMatchObject({ code: 'TRIAGE_HASHLIST_CASE_EXPORT' });
      await expect(
        importHashList({
          file: join(scratch, 'missing.json'),
          list: 'police-test',
          connection: kafka.connection,
        }),
      ).rejects.toMatchObject({ code: 'TRIAGE_HASHLIST_UNREADABLE' });

      const reader = new PartitionReader({
        connection: kafka.connection,
        topic: kafka.topic(topicName),
        name: 'check',
      });
      try {
        const ends = await reader.endOffsets();
        expect([...ends.values()].reduce((sum, end) => sum + end, 0n)).toBe(0n);
      } finally {
        await reader.close();
      }

      // With --case-export the categorised Media entry of the minimal export is imported.
      const fromCase = await importHashList({
        file: `${samples}gleapp-vics-case-export-minimal.json`,
        list: 'case-c1',
        caseExport: 'categorised',
        connection: kafka.connection,
      });
      expect(fromCase).toMatchObject({ published: 1 });
      const [record] = await kafka.readTopic(topicName, 1);
      expect(record?.key).toBe(`case-c1:MD5:${'a'.repeat(32)}`);
      expect(codec.decode('KnownHash', record!.value!)).toMatchObject({ category: 0, listName: 'case-c1' });
    },
  );

  kafkaTest(
    'a missing topic is a clear error, not an auto-created topic without compaction',
    async ({ kafka }) => {
      await expect(
        importHashList({ file: hashSet40, list: 'police-test', connection: kafka.connection }),
      ).rejects.toThrow(/does not exist: create the catalogue topics first/);
      await expect(
        importHashList({ file: hashSet40, list: 'police-test', mode: 'merge', connection: kafka.connection }),
      ).rejects.toThrow(/does not exist/);
    },
  );
});

describe('a large VICS file on disk', () => {
  kafkaTest('a 200k-record file written to a temporary folder streams through a dry run', async () => {
    const path = join(scratch, 'hashset-200k.json');
    const out = createWriteStream(path);
    const write = (text: string) =>
      out.write(text)
        ? Promise.resolve()
        : new Promise<void>((resolve) => out.once('drain', () => resolve()));
    await write(
      '\uFEFF{"odata.metadata":"http://example.invalid/ProjectVic/DataModels/1.3.xml#Media","value":[',
    );
    for (let index = 0; index < 200_000; index++) {
      const md5 = createHash('md5').update(`synthetic ${index}`).digest('hex').toUpperCase();
      await write(
        `${index ? ',' : ''}{"MediaID":${index},"Category":"${index % 4}","MD5":"${md5}","VictimIdentified":"false"}`,
      );
    }
    await write(']}');
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );

    let updates = 0;
    let last: ImportProgress | undefined;
    const result = await importHashList({
      file: path,
      list: 'big',
      dryRun: true,
      batchSize: 10_000,
      onProgress: (progress) => {
        updates++;
        last = progress;
      },
    });
    expect(result.counts).toMatchObject({ records: 200_000, entries: 200_000, invalid: 0 });
    expect(result.counts.byCategory).toEqual({ '0': 50_000, '1': 50_000, '2': 50_000, '3': 50_000 });
    expect(result.format).toMatchObject({ format: 'vics', vicsVersion: '1.3' });
    // Progress came in steps while the file was read, and ended at its size.
    expect(updates).toBeGreaterThan(10);
    expect(last).toMatchObject({ phase: 'done', entries: 200_000 });
    expect(last!.bytesRead).toBe(last!.totalBytes);
  });
});

// The hasher deployable on the real broker: hashes, known-list matches, dedupe and
// near-duplicate clusters checked against the ground truth of a synthetic feed, then a replay.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from '@triage/content-store';
import { importHashList } from '@triage/hash-lists';
import { hashMedia } from '@triage/hashing';
import { createLogger } from '@triage/logging';
import {
  allTopics,
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
  stateTopics,
} from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, type HashedItem, type Item, type KnownHash } from '@triage/schemas';
import { imageFamily, syntheticImage } from '@triage/testkit';
import { expect } from 'vitest';
import { createHasherService } from './hasher-service.ts';
import type { LicensedSignal } from './licensed-signal.ts';
import { createPooledMediaHasher } from './media-hasher.ts';

const codec = createCodec();
const logger = createLogger({ name: 'hasher-test', level: 'warn' });
const day = 86_400_000;
const start = Date.UTC(2026, 9, 1);

interface Fixture {
  items: Item[];
  /** sha256 -> family id ('u<n>' for unrelated images) */
  familyOf: Map<string, string>;
  /** sha256 -> the reports carrying it, in receipt order */
  reportsOf: Map<string, string[]>;
  receivedAtOf: Map<string, number>;
}

function fileItem(reportId: string, index: number, count: number, sha256: string, receivedAt: number): Item {
  return codec.decode(
    'Item',
    codec.encode('Item', {
      itemId: `${reportId}/file-${index}`,
      reportId,
      reportVersion: 1,
      partnerId: 'tipline-test',
      bundleId: `bundle-${reportId}`,
      receivedAt,
      kind: 'file',
      itemIndex: index,
      itemCount: count,
      fileId: `file-${index}`,
      sha256,
    }),
  );
}

/** Three families of near-duplicates, two unrelated images, spread over reports with repeats. */
async function buildFeed(store: ContentStore): Promise<Fixture> {
  const familyOf = new Map<string, string>();
  const files: string[][] = [];
  for (const seed of [11, 22, 33]) {
    const family = await imageFamily(seed);
    const members: string[] = [];
    for (const image of [family.base, ...family.variants.map((variant) => variant.image)]) {
      const { sha256 } = await store.put(Readable.from([image]));
      familyOf.set(sha256, `f${seed}`);
      members.push(sha256);
    }
    files.push(members);
  }
  for (const seed of [44, 55]) {
    const { sha256 } = await store.put(Readable.from([await syntheticImage(seed)]));
    familyOf.set(sha256, `u${seed}`);
    files.push([sha256]);
  }
  const all = files.flat();
  // Report n carries a window of files, so every file appears in several reports.
  const items: Item[] = [];
  const reportsOf = new Map<string, string[]>();
  const receivedAtOf = new Map<string, number>();
  for (let report = 0; report < 12; report++) {
    const reportId = `tipline-test:${1000 + report}`;
    const receivedAt = start + report * day;
    receivedAtOf.set(reportId, receivedAt);
    const carried = [
      ...new Set(Array.from({ length: 5 }, (_, offset) => all[(report * 3 + offset * 2) % all.length]!)),
    ];
    carried.forEach((sha256, index) => {
      items.push(fileItem(reportId, index, carried.length, sha256, receivedAt));
      reportsOf.set(sha256, [...(reportsOf.get(sha256) ?? []), reportId]);
    });
  }
  // A report that names a URL only: passed on with no hashes.
  items.push(
    codec.decode(
      'Item',
      codec.encode('Item', {
        itemId: 'tipline-test:2000/url-1',
        reportId: 'tipline-test:2000',
        reportVersion: 1,
        partnerId: 'tipline-test',
        bundleId: 'bundle-url',
        receivedAt: start,
        kind: 'url',
        itemIndex: 0,
        itemCount: 1,
        url: 'https://hosting.example.invalid/page',
      }),
    ),
  );
  return { items, familyOf, reportsOf, receivedAtOf };
}

/** A stand-in for a licensed PhotoDNA adapter: its "hash" is derived from the sha256. */
const fakePhotoDna = (sha256: string) => `fake-photodna-${sha256.slice(0, 16)}`;
function fakePhotoDnaSignal(): LicensedSignal {
  const entries = new Map<string, KnownHash>();
  return {
    hashType: 'PHOTODNA',
    apply: (key, entry) => (entry ? entries.set(key, entry) : entries.delete(key)),
    match: async (sha256) =>
      [...entries.values()]
        .filter((entry) => entry.value === fakePhotoDna(sha256))
        .map(({ listName, listVersion, hashType, category, categoryLabel }) => ({
          listName,
          listVersion,
          hashType,
          category,
          categoryLabel,
          distance: 0,
          variant: null,
        })),
  };
}

// The deployable runs on an encrypted store: the worker threads get the keys and read through it.
const encryption = { keys: new Map([['test-2026', randomBytes(32)]]), writeKeyId: 'test-2026' };

async function runOnce(kafka: { connection: KafkaConnection }, root: string, group: string) {
  const service = createHasherService({
    licensedSignals: [fakePhotoDnaSignal()],
    connection: kafka.connection,
    codec,
    mediaHasher: createPooledMediaHasher({
      contentStore: { root, encryption },
      maxPixels: 50_000_000,
      threads: 2,
    }),
    logger,
    hasherGroupId: `hasher-${group}`,
    dedupeGroupId: `dedupe-${group}`,
    pdqMatchDistance: 31,
    pdqMinQuality: 50,
    stateDir: path.join(root, `state-${group}`),
  });
  await service.start();
  return service;
}

kafkaTest(
  'hashes, matches, dedupes and clusters a synthetic feed, and a replay gives the same facts',
  async ({ kafka }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'hasher-test-'));
    try {
      await kafka.createTopics(allTopics);
      const store = new ContentStore({ root, encryption });
      const feed = await buildFeed(store);

      // A police list (CSV, through the real importer) that knows family 22's base by MD5 and
      // family 33's base by PDQ.
      const baseOf = (family: string) => [...feed.familyOf].find(([, member]) => member === family)![0];
      const known22 = await hashMedia(await store.open(baseOf('f22')));
      const known33 = await hashMedia(await store.open(baseOf('f33')));
      const listFile = path.join(root, 'police-test.csv');
      await writeFile(
        listFile,
        `hash,type,category\n${known22.md5.toUpperCase()},MD5,1\n${known33.pdq},PDQ,1\n${fakePhotoDna(baseOf('f11'))},PhotoDNA,2\n`,
      );
      const imported = await importHashList({
        file: listFile,
        list: 'police-test',
        version: '2026-10',
        connection: kafka.connection,
        codec,
      });
      expect(imported.counts.entries).toBe(3);
      const producer = createRecordProducer(kafka.connection, 'test-feed');
      await producer.send(
        feed.items.map((item) => ({
          topic: deployedTopic(kafka.connection, pipelineTopics.items.name),
          key: item.reportId,
          value: codec.encode('Item', item),
        })),
      );
      await producer.close();

      const readHashed = async () => {
        const records = await kafka.readTopic(pipelineTopics.itemsHashed.name, feed.items.length, 120_000);
        const byItem = new Map<string, HashedItem>();
        for (const record of records) {
          const hashed = codec.decode('HashedItem', record.value ?? Buffer.alloc(0));
          byItem.set(hashed.item.itemId, hashed);
        }
        return byItem;
      };

      const first = await runOnce(kafka, root, 'one');
      let firstRun: Map<string, HashedItem>;
      try {
        firstRun = await readHashed();
      } finally {
        await first.stop();
      }
      expect(firstRun.size).toBe(feed.items.length);

      // URL items pass with no hashes.
      expect(firstRun.get('tipline-test:2000/url-1')).toMatchObject({
        hashes: null,
        dedupe: null,
        matches: [],
      });

      const files = [...firstRun.values()].filter((hashed) => hashed.item.kind === 'file');
      for (const hashed of files) {
        const sha256 = hashed.item.sha256!;
        expect(hashed.hashes?.sha256).toBe(sha256);
        expect(hashed.hashes?.perceptualStatus).toBe('hashed');
        // Seen-before facts are as of when the item was processed: never later than the item
        // itself, always a report that carries the file, and the earliest carrier sees itself first.
        const carriers = feed.reportsOf.get(sha256)!;
        expect(carriers).toContain(hashed.dedupe?.firstSeenReportId);
        expect(hashed.dedupe!.firstSeenAt).toBeLessThanOrEqual(hashed.item.receivedAt);
        if (hashed.item.reportId === carriers[0]) expect(hashed.dedupe?.firstSeenReportId).toBe(carriers[0]);
      }
      // The dedupe state, once everything is in: the earliest carrier and the exact report count.
      const summaries = new Map<string, { firstSeenReportId: string; reportCount: number }>();
      for (const record of await kafka.readTopic(stateTopics.dedupeMedia.name, files.length, 20_000)) {
        summaries.set(record.key, codec.decode('MediaSummary', record.value ?? Buffer.alloc(0)));
      }
      for (const [sha256, carriers] of feed.reportsOf) {
        expect(summaries.get(sha256), sha256).toMatchObject({
          firstSeenReportId: carriers[0],
          reportCount: carriers.length,
        });
      }
      // Each report carrying a file got a distinct place 1..n among its carriers.
      for (const [sha256, carriers] of feed.reportsOf) {
        const counts = files
          .filter((hashed) => hashed.item.sha256 === sha256)
          .map((hashed) => hashed.dedupe!.reportCount)
          .sort((a, b) => a - b);
        expect(counts).toEqual(carriers.map((_, index) => index + 1));
      }
      // Near-duplicate clusters are the families: one cluster per family, named after one of its members.
      const clusterOfFamily = new Map<string, Set<string>>();
      for (const hashed of files) {
        const family = feed.familyOf.get(hashed.item.sha256!)!;
        clusterOfFamily.set(
          family,
          (clusterOfFamily.get(family) ?? new Set()).add(hashed.dedupe!.nearDuplicateClusterId!),
        );
      }
      for (const [family, clusters] of clusterOfFamily) {
        expect(clusters.size, family).toBe(1);
        expect(feed.familyOf.get([...clusters][0]!), family).toBe(family);
      }
      expect(new Set([...clusterOfFamily.values()].map((clusters) => [...clusters][0])).size).toBe(
        clusterOfFamily.size,
      );

      // Known-list matches: family 22's base by MD5 (exact), family 33's members by PDQ.
      const md5Hits = files.filter((hashed) => hashed.matches.some((match) => match.hashType === 'MD5'));
      expect(new Set(md5Hits.map((hashed) => hashed.item.sha256))).toEqual(new Set([known22.sha256]));
      // The licensed-signal seam: PhotoDNA entries reach the adapter, whose matches join the item's.
      const photoDnaHits = files.filter((hashed) =>
        hashed.matches.some((match) => match.hashType === 'PHOTODNA'),
      );
      expect(new Set(photoDnaHits.map((hashed) => hashed.item.sha256))).toEqual(new Set([baseOf('f11')]));
      const pdqHits = files.filter((hashed) => hashed.matches.some((match) => match.hashType === 'PDQ'));
      expect(new Set(pdqHits.map((hashed) => feed.familyOf.get(hashed.item.sha256!)))).toEqual(
        new Set(['f33']),
      );
      expect(pdqHits[0]!.matches[0]).toMatchObject({
        listName: 'police-test',
        listVersion: '2026-10',
        category: 1,
      });

      // Replay from the beginning with fresh consumer groups: the state stores and the media
      // table are rebuilt from Kafka, and every item's seen-before facts come out the same.
      // (The fresh dedupe group reads the first run's observations as well as the replay's, so
      // each file item comes out twice more; a URL item once more.)
      const second = await runOnce(kafka, root, 'two');
      try {
        const expected = files.length * 3 + (feed.items.length - files.length) * 2;
        const records = await kafka.readTopic(pipelineTopics.itemsHashed.name, expected, 120_000);
        const versions = new Map<string, HashedItem[]>();
        for (const record of records) {
          const hashed = codec.decode('HashedItem', record.value ?? Buffer.alloc(0));
          versions.set(hashed.item.itemId, [...(versions.get(hashed.item.itemId) ?? []), hashed]);
        }
        for (const [itemId, hashed] of firstRun) {
          const all = versions.get(itemId) ?? [];
          expect(all.length, itemId).toBe(hashed.item.kind === 'file' ? 3 : 2);
          for (const version of all) expect(version.dedupe, itemId).toEqual(hashed.dedupe);
        }
      } finally {
        await second.stop();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
);

// GET /v1/hashes/{value} on the real Elasticsearch: files and items written to this file's own
// indices with the indexer's document builders (media documents with their PDQ segments), looked
// up through the API as an analyst would, every look-up audited.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditTrail } from '@triage/audit';
import { signLocalToken, type UserRole } from '@triage/auth';
import { createLogger } from '@triage/logging';
import { formatPdqHash, parsePdqHash, pdqDistance } from '@triage/matching';
import { createRecordProducer, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, type EnrichedItem, type Media, recordExamples } from '@triage/schemas';
import { createSearchClient, indexPrefix, type SearchClient } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecorder } from './audit/audited.ts';
import { localApp } from './testing/local-app.ts';
import { type MemoryRecorder, memoryRecorder, seedCases } from './testing/read-fixtures.ts';

const logger = createLogger({ name: 'triage-api-hash-test', level: 'silent' });
const { Case: exampleCase, EnrichedItem: exampleItem, Media: exampleMedia } = recordExamples;

const hex = (digit: string, length: number) => digit.repeat(length);
/** The PDQ of file A with the given bits flipped (bit 0 = the most significant bit of the hash). */
function flipped(pdq: string, bits: readonly number[]): string {
  const words = parsePdqHash(pdq);
  for (const bit of bits) words[bit >>> 5]! ^= 1 << (31 - (bit & 31));
  return formatPdqHash(words);
}

const pdqA = '5a3c'.repeat(16);
/** 20 bits from A spread over all 16 segments (at most 2 in any): no segment equal, found by the neighbours. */
const pdqB = flipped(pdqA, [
  ...Array.from({ length: 16 }, (_, segment) => segment * 16 + 3),
  ...[0, 1, 2, 3].map((segment) => segment * 16 + 9),
]);
/** 40 bits from A inside 3 segments: shares 13 segments (a candidate) but is far (dropped). */
const pdqD = flipped(
  pdqA,
  Array.from({ length: 40 }, (_, i) => i),
);
/** Far from everything: the cluster's other member. */
const pdqC = 'f0f0'.repeat(16);

const file = (name: string, pdq: string, clusterId: string | null) => ({
  sha256: hex(name, 64),
  md5: hex(name, 32),
  sha1: hex(name, 40),
  pdq,
  clusterId,
});
const fileA = file('a', pdqA, 'cluster-1');
const fileB = file('b', pdqB, 'cluster-1');
const fileC = file('c', pdqC, 'cluster-1');
const fileD = file('d', pdqD, null);

function itemOf(reportId: string, index: number, carried: ReturnType<typeof file>): EnrichedItem {
  return {
    ...exampleItem,
    item: { ...exampleItem.item, reportId, itemId: `${reportId}/f-${index}`, sha256: carried.sha256 },
    hashes: {
      ...exampleItem.hashes!,
      sha256: carried.sha256,
      md5: carried.md5,
      sha1: carried.sha1,
      pdq: carried.pdq,
    },
    dedupe: { ...exampleItem.dedupe!, nearDuplicateClusterId: carried.clusterId },
  };
}
const mediaOf = (carried: ReturnType<typeof file>): Media => ({
  ...exampleMedia,
  sha256: carried.sha256,
  pdq: carried.pdq,
  clusterId: carried.clusterId,
});

const collisions = Array.from({ length: 101 }, (_, i) => ({
  ...file('9', pdqC, null),
  sha256: i.toString(16).padStart(64, '0'),
}));

/** Report 1 (scored) carries A and D; report 2 (no case yet) carries A; report 3 carries B; C is only a file. */
const seeds = [
  {
    reportId: 'partner-a:1',
    case: { ...exampleCase, reportId: 'partner-a:1' },
    items: [itemOf('partner-a:1', 0, fileA), itemOf('partner-a:1', 1, fileD)],
    media: [mediaOf(fileA), mediaOf(fileD)],
  },
  // A's media document is written once, with report 1 (seeds are not merged across reports).
  { reportId: 'partner-a:2', case: null, items: [itemOf('partner-a:2', 0, fileA)] },
  {
    reportId: 'partner-b:3',
    case: { ...exampleCase, reportId: 'partner-b:3' },
    items: [itemOf('partner-b:3', 0, fileB)],
    media: [mediaOf(fileB), mediaOf(fileC)],
  },
  // 101 files sharing one MD5 (a collision, written directly): one more than the media cap.
  {
    reportId: 'partner-c:9',
    case: null,
    items: collisions.map((carried, i) => itemOf('partner-c:9', i, carried)),
    media: collisions.map(mediaOf),
  },
];

let dir: string;
let client: SearchClient;
const prefix = indexPrefix(`hl${process.pid}x${Date.now().toString(36)}.`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-hashes-'));
  client = createSearchClient({ url: elasticsearchUrl });
  await seedCases(client, prefix, seeds);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await deletePrefixedIndices(client, prefix);
  await client.close();
});

const bearer = async (role: UserRole) =>
  `Bearer ${await signLocalToken({ dir, role, sub: `${role}-1`, ttlSeconds: 300 })}`;

async function appWith(trail: AuditRecorder, maxPdqDistance?: number) {
  return localApp({ dir: dir, logger, trail, search: { client, prefix }, maxPdqDistance });
}

async function lookUp(url: string, options: { trail?: MemoryRecorder; maxPdqDistance?: number } = {}) {
  const trail = options.trail ?? memoryRecorder();
  const app = await appWith(trail, options.maxPdqDistance);
  try {
    const response = await app.inject({ url, headers: { authorization: await bearer('analyst') } });
    return { response, body: response.json(), trail };
  } finally {
    await app.close();
  }
}

const shas = (entries: { sha256: string }[]) => entries.map((entry) => entry.sha256);
const itemIds = (entries: { itemId: string }[]) => entries.map((entry) => entry.itemId);

describe('the seeded hashes', () => {
  it('are at the distances the tests rely on', () => {
    const words = (value: string) => parsePdqHash(value);
    expect(pdqDistance(words(pdqA), words(pdqB))).toBe(20);
    expect(pdqDistance(words(pdqA), words(pdqD))).toBe(40);
    expect(pdqDistance(words(pdqA), words(pdqC))).toBeGreaterThan(31);
  });
});

describe('GET /v1/hashes/{value}, exact hashes', () => {
  it.each([
    ['md5 by length', `/v1/hashes/${fileA.md5}`, 'md5'],
    ['sha1 by length, upper case', `/v1/hashes/${fileA.sha1.toUpperCase()}`, 'sha1'],
    ['sha256 by type', `/v1/hashes/${fileA.sha256}?type=sha256`, 'sha256'],
    ['sha256 by prefix', `/v1/hashes/sha256:${fileA.sha256}`, 'sha256'],
    ['pdq by prefix, distance 0', `/v1/hashes/pdq:${pdqA}`, 'pdq'],
  ])(
    'given file A %s, then A, its three items, their reports and its cluster members',
    async (_label, url, type) => {
      const { response, body, trail } = await lookUp(url);
      expect(response.statusCode).toBe(200);
      expect(body.query).toMatchObject({ type, distance: 0 });
      expect(body.media).toEqual([
        expect.objectContaining({
          sha256: fileA.sha256,
          md5: fileA.md5,
          sha1: fileA.sha1,
          pdq: pdqA,
          clusterId: 'cluster-1',
          firstSeenAt: expect.any(Number),
          distance: type === 'pdq' ? 0 : null,
        }),
      ]);
      expect(body.media[0]).not.toHaveProperty('pdqSegments');
      expect(body.media[0].sightings).toBeGreaterThanOrEqual(2);
      expect(itemIds(body.items)).toEqual(['partner-a:1/f-0', 'partner-a:2/f-0']);
      expect(body.items[0]).toMatchObject({ reportId: 'partner-a:1', matches: exampleItem.matches });
      expect(body.reports).toEqual([
        {
          reportId: 'partner-a:1',
          itemIds: ['partner-a:1/f-0'],
          case: expect.objectContaining({ reportId: 'partner-a:1', tier: exampleCase.tier }),
        },
        { reportId: 'partner-a:2', itemIds: ['partner-a:2/f-0'], case: null },
      ]);
      expect(body.clusters).toEqual([
        {
          clusterId: 'cluster-1',
          members: [
            expect.objectContaining({ sha256: fileB.sha256, pdq: pdqB }),
            expect.objectContaining({ sha256: fileC.sha256 }),
          ],
        },
      ]);
      expect(body.truncated).toBe(false);
      expect(trail.events).toEqual([
        expect.objectContaining({
          action: 'lookup_hash',
          target: { type: 'hash', id: `${type}:${type === 'pdq' ? pdqA : fileA[type as 'md5']}` },
          resultCount: 3,
          outcome: 'allowed',
        }),
      ]);
    },
  );
});

describe('GET /v1/hashes/{value}, PDQ near search', () => {
  it('given distance 20, then A (0) and B (20, sharing no segment), not D (40, sharing 13) nor C; audited with the distance', async () => {
    const { response, body, trail } = await lookUp(`/v1/hashes/${pdqA}?type=pdq&distance=20`);
    expect(response.statusCode).toBe(200);
    expect(
      body.media.map((file: { sha256: string; distance: number }) => [file.sha256, file.distance]),
    ).toEqual([
      [fileA.sha256, 0],
      [fileB.sha256, 20],
    ]);
    expect(itemIds(body.items)).toEqual(['partner-a:1/f-0', 'partner-a:2/f-0', 'partner-b:3/f-0']);
    expect(body.items.map((item: { distance: number }) => item.distance)).toEqual([0, 0, 20]);
    expect(body.reports.map((report: { reportId: string }) => report.reportId)).toEqual([
      'partner-a:1',
      'partner-a:2',
      'partner-b:3',
    ]);
    expect(body.clusters).toEqual([
      { clusterId: 'cluster-1', members: [expect.objectContaining({ sha256: fileC.sha256 })] },
    ]);
    expect(trail.events).toEqual([
      expect.objectContaining({
        target: { type: 'hash', id: `pdq:${pdqA}` },
        query: 'distance=20&type=pdq',
        resultCount: 5,
      }),
    ]);
  });

  it('given distance 19, then A only: B is one bit too far', async () => {
    const { body } = await lookUp(`/v1/hashes/pdq:${pdqA}?distance=19`);
    expect(shas(body.media)).toEqual([fileA.sha256]);
  });

  it('given D within 31 of nothing else, then only D and its item, no clusters', async () => {
    const { body } = await lookUp(`/v1/hashes/pdq:${pdqD}?distance=31`);
    expect(shas(body.media)).toEqual([fileD.sha256]);
    expect(itemIds(body.items)).toEqual(['partner-a:1/f-1']);
    expect(body.clusters).toEqual([]);
  });
});

describe('GET /v1/hashes/{value}, nothing found and refusals', () => {
  it('given an unknown hash, then 200 with empty results, audited with 0', async () => {
    const { response, body, trail } = await lookUp(`/v1/hashes/${hex('e', 32)}`);
    expect(response.statusCode).toBe(200);
    expect(body).toEqual({
      query: { type: 'md5', value: hex('e', 32), distance: 0 },
      media: [],
      items: [],
      reports: [],
      clusters: [],
      truncated: false,
      truncatedBy: [],
    });
    expect(trail.events).toEqual([
      expect.objectContaining({ target: { type: 'hash', id: `md5:${hex('e', 32)}` }, resultCount: 0 }),
    ]);
  });

  it('given more matching files than the cap, then the first 100 and truncated, their items all listed', async () => {
    const { response, body, trail } = await lookUp(`/v1/hashes/md5:${hex('9', 32)}`);
    expect(response.statusCode).toBe(200);
    expect(body.media).toHaveLength(100);
    expect(body.truncated).toBe(true);
    expect(body.truncatedBy).toEqual(['media']);
    expect(body.items).toHaveLength(101);
    expect(trail.events[0]?.resultCount).toBe(201);
  });

  it.each([
    ['a value that is not hex', '/v1/hashes/not-a-hash', 'TRIAGE_HASH_LOOKUP_INVALID', 'unknown:not-a-hash'],
    [
      'a 64-digit value without a type',
      `/v1/hashes/${pdqA}`,
      'TRIAGE_HASH_TYPE_AMBIGUOUS',
      `unknown:${pdqA}`,
    ],
    [
      'a distance on an exact hash',
      `/v1/hashes/${fileA.md5}?distance=3`,
      'TRIAGE_HASH_LOOKUP_INVALID',
      `md5:${fileA.md5}`,
    ],
    [
      'a distance above 31',
      `/v1/hashes/pdq:${pdqA}?distance=32`,
      'TRIAGE_HASH_DISTANCE_TOO_LARGE',
      `pdq:${pdqA}`,
    ],
  ])('given %s, then a 400 problem, audited with 0 results', async (_label, url, code, targetId) => {
    const { response, trail } = await lookUp(url);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code, status: 400 });
    expect(trail.events).toEqual([
      expect.objectContaining({
        action: 'lookup_hash',
        target: { type: 'hash', id: targetId },
        resultCount: 0,
      }),
    ]);
  });

  it('given a lower configured cap, then a distance above it is refused and one at it answered', async () => {
    const above = await lookUp(`/v1/hashes/pdq:${pdqA}?distance=11`, { maxPdqDistance: 10 });
    expect(above.response.statusCode).toBe(400);
    expect(above.response.json()).toMatchObject({
      code: 'TRIAGE_HASH_DISTANCE_TOO_LARGE',
      pointer: '/querystring/distance',
      detail: expect.stringContaining('at most 10'),
    });
    const at = await lookUp(`/v1/hashes/pdq:${pdqA}?distance=10`, { maxPdqDistance: 10 });
    expect(at.response.statusCode).toBe(200);
  });

  it('given a type that is not a hash type, or a negative distance, then 400 TRIAGE_REQUEST_INVALID from the schema', async () => {
    for (const url of [`/v1/hashes/${fileA.md5}?type=crc32`, `/v1/hashes/pdq:${pdqA}?distance=-1`]) {
      const { response } = await lookUp(url);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('TRIAGE_REQUEST_INVALID');
    }
  });
});

describe('GET /v1/hashes/{value}, the audit on Kafka', () => {
  kafkaTest(
    'given a PDQ look-up, then one chained lookup_hash event on the audit topic, before the answer',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.audit]);
      const producer = createRecordProducer(kafka.connection, 'test-hash-audit');
      const trail = new AuditTrail({
        producer,
        topic: kafka.topic(pipelineTopics.audit.name),
        writerId: 'triage-api-hash-test',
        logger,
      });
      const app = await appWith(trail);
      try {
        const response = await app.inject({
          url: `/v1/hashes/pdq:${pdqA}?distance=20`,
          headers: { authorization: await bearer('supervisor') },
        });
        expect(response.statusCode).toBe(200);
        const [record] = await kafka.readTopic(pipelineTopics.audit.name, 1);
        expect(createCodec().decode('AuditEvent', record!.value!)).toMatchObject({
          actor: 'supervisor-1',
          role: 'supervisor',
          action: 'lookup_hash',
          target: { type: 'hash', id: `pdq:${pdqA}` },
          query: 'distance=20',
          resultCount: 5,
          outcome: 'allowed',
          chain: { chainId: trail.chainId, sequence: 0 },
        });
      } finally {
        await app.close();
        await producer.close();
      }
    },
  );
});

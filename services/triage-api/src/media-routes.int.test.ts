// The media routes on the real Elasticsearch and a content store on disk (plain and encrypted),
// with synthetic images made by sharp: what a preview is (smaller, grey, blurred, no metadata,
// never cached), what a non-image gets, and the reveal gate's table, audited either way.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { signLocalToken, type UserRole } from '@triage/auth';
import { ContentStore, type ContentStoreOptions } from '@triage/content-store';
import { createLogger } from '@triage/logging';
import { recordExamples } from '@triage/schemas';
import { createSearchClient, indexPrefix, type SearchClient } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaLimits } from './media/media-pictures.ts';
import { previewShape } from './media/render-image.ts';
import { mediaHeaders } from './routes/media-routes.ts';
import { localApp } from './testing/local-app.ts';
import { itemCarrying, legalAuthorityAction, sha256Of, syntheticImage } from './testing/media-fixtures.ts';
import { type MemoryRecorder, memoryRecorder, seedCases } from './testing/read-fixtures.ts';

const logger = createLogger({ name: 'triage-api-media-test', level: 'silent' });
const limits: MediaLimits = {
  maxBytes: 4 * 1024 * 1024,
  maxPixels: 2_000_000,
  concurrency: 2,
  timeoutSeconds: 10,
  revealMaxSide: 512,
};

/** The files of this test, by role in the table. */
interface Files {
  jpeg: Buffer;
  png: Buffer;
  document: Buffer;
  truncated: Buffer;
  overPixels: Buffer;
  neither: Buffer;
  authorised: Buffer;
}

let dir: string;
let files: Files;
let client: SearchClient;
const prefix = indexPrefix(`media${process.pid}x${Date.now().toString(36)}.`);
const exampleCase = recordExamples.Case;
const caseOf = (reportId: string) => ({ ...exampleCase, reportId });
const sha = (name: keyof Files) => sha256Of(files[name]);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-media-'));
  const jpeg = await syntheticImage({ width: 640, height: 480, format: 'jpeg' });
  files = {
    jpeg,
    png: await syntheticImage({ width: 300, height: 400, format: 'png', seed: 11 }),
    document: Buffer.from('%PDF-1.7\nsynthetic document bytes, not a picture\n'),
    truncated: jpeg.subarray(0, Math.floor(jpeg.length / 3)),
    // Flat, so small on disk, but more pixels than the limit allows.
    overPixels: await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#336699' } })
      .png()
      .toBuffer(),
    neither: await syntheticImage({ width: 200, height: 150, format: 'jpeg', seed: 3 }),
    authorised: await syntheticImage({ width: 200, height: 150, format: 'png', seed: 5 }),
  };
  client = createSearchClient({ url: elasticsearchUrl });
  // r-viewed: items viewed by the reporting company; r-legal: not viewed, legal authority on its
  // case; r-neither: not viewed, no authority. The JPEG is also carried, unviewed, by r-neither.
  await seedCases(client, prefix, [
    {
      reportId: 'r-viewed',
      case: caseOf('r-viewed'),
      items: [
        itemCarrying('r-viewed', sha('jpeg'), true, 0),
        itemCarrying('r-viewed', sha('document'), true, 1),
        itemCarrying('r-viewed', sha('truncated'), true, 2),
      ],
    },
    {
      reportId: 'r-legal',
      case: caseOf('r-legal'),
      actions: [legalAuthorityAction('r-legal', 'warrant-2026-001')],
      items: [itemCarrying('r-legal', sha('authorised'), false, 0)],
    },
    {
      reportId: 'r-neither',
      case: caseOf('r-neither'),
      items: [
        itemCarrying('r-neither', sha('neither'), null, 0),
        itemCarrying('r-neither', sha('jpeg'), false, 1),
      ],
    },
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await deletePrefixedIndices(client, prefix);
  await client.close();
});

const bearer = async (role: UserRole = 'analyst') =>
  `Bearer ${await signLocalToken({ dir, role, sub: `${role}-1`, ttlSeconds: 300 })}`;

/** An app over a store in `root` holding every test file, and the trail it audits to. */
async function appWith(options: Omit<ContentStoreOptions, 'root'> & { root: string }) {
  const store = new ContentStore(options);
  for (const bytes of Object.values(files)) await store.put(Readable.from([bytes]));
  const trail = memoryRecorder();
  const app = await localApp({
    dir: dir,
    logger,
    trail,
    search: { client, prefix },
    media: { store, limits },
  });
  return { app, trail };
}

/** Mean absolute difference of neighbouring pixels of a grey image: the fine detail left in it. */
async function detailOf(image: Buffer, width: number, height: number): Promise<number> {
  const { data } = await sharp(image)
    .resize({ width, height, fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const at = data[y * width + x] ?? 0;
      sum += Math.abs(at - (data[y * width + x + 1] ?? 0)) + Math.abs(at - (data[(y + 1) * width + x] ?? 0));
    }
  }
  return sum / ((width - 1) * (height - 1));
}

function expectNoStore(headers: Record<string, unknown>) {
  expect(headers).toMatchObject(mediaHeaders);
  expect(headers.etag).toBeUndefined();
}

describe.each([
  ['plain store', () => ({})],
  ['encrypted store', () => ({ encryption: { keys: new Map([['k1', randomBytes(32)]]), writeKeyId: 'k1' } })],
])('GET /v1/media/{sha256}/preview (%s)', (name, encryption) => {
  let app: Awaited<ReturnType<typeof appWith>>['app'];
  let trail: MemoryRecorder;
  beforeAll(async () => {
    ({ app, trail } = await appWith({ root: path.join(dir, name.replace(' ', '-')), ...encryption() }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const preview = async (sha256: string) =>
    app.inject({ url: `/v1/media/${sha256}/preview`, headers: { authorization: await bearer() } });

  it.each(['jpeg', 'png'] as const)(
    'given a synthetic %s, then a smaller, single-channel grey, blurred JPEG without metadata, never cached',
    async (kind) => {
      const original = files[kind];
      const response = await preview(sha(kind));
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('image/jpeg');
      expectNoStore(response.headers);
      const body = response.rawPayload;
      const meta = await sharp(body).metadata();
      const source = await sharp(original).metadata();
      expect(meta.format).toBe('jpeg');
      expect(Math.max(meta.width, meta.height)).toBe(previewShape.maxSide);
      expect(meta.width / meta.height).toBeCloseTo(source.width / source.height, 1);
      expect(body.length).toBeLessThan(original.length);
      expect(meta.channels).toBe(1);
      expect(meta.exif).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      const stats = await sharp(body).stats();
      expect(stats.channels).toHaveLength(1);
      // Not a flat grey square: the layout of light and dark is still there.
      expect(stats.channels[0]?.stdev ?? 0).toBeGreaterThan(3);
      // Blurred: far less fine detail than the original at the same size.
      const previewDetail = await detailOf(body, meta.width, meta.height);
      const originalDetail = await detailOf(original, meta.width, meta.height);
      expect(previewDetail).toBeLessThan(originalDetail * 0.25);
    },
  );

  it.each([
    ['a document', 'document'],
    ['a truncated JPEG sharp cannot decode', 'truncated'],
    ['an image over the pixel limit', 'overPixels'],
  ] as const)('given %s, then the SVG placeholder and none of the bytes', async (_name, file) => {
    const response = await preview(sha(file));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expectNoStore(response.headers);
    expect(response.body).toContain('no preview');
    expect(response.rawPayload.includes(files[file].subarray(0, 16))).toBe(false);
  });

  it('given an unknown sha256, then 404 TRIAGE_MEDIA_NOT_FOUND; a malformed one, 400; each preview audited as view_media', async () => {
    const before = trail.events.length;
    const unknown = await preview('ab'.repeat(32));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TRIAGE_MEDIA_NOT_FOUND');
    expectNoStore(unknown.headers);
    const malformed = await preview('abc');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('TRIAGE_REQUEST_INVALID');
    // Upper-case hex names the same file.
    expect((await preview(sha('jpeg').toUpperCase())).statusCode).toBe(200);
    expect(trail.events.slice(before)).toEqual([
      expect.objectContaining({
        action: 'view_media',
        target: { type: 'sha256', id: 'ab'.repeat(32) },
        outcome: 'allowed',
        resultCount: 0,
      }),
      expect.objectContaining({
        action: 'view_media',
        target: { type: 'sha256', id: sha('jpeg') },
        outcome: 'allowed',
        resultCount: 1,
      }),
    ]);
  });
});

describe('POST /v1/media/{sha256}/reveal', () => {
  let app: Awaited<ReturnType<typeof appWith>>['app'];
  let trail: MemoryRecorder;
  beforeAll(async () => {
    ({ app, trail } = await appWith({ root: path.join(dir, 'reveal-store') }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const reveal = async (sha256: string, reportId: string, reason = 'identify the location for the case') =>
    app.inject({
      method: 'POST',
      url: `/v1/media/${sha256}/reveal`,
      headers: { authorization: await bearer('supervisor') },
      payload: { reportId, reason },
    });

  it.each([
    ['viewed by the reporting company', 'jpeg', 'r-viewed'],
    ['legal authority on its case', 'authorised', 'r-legal'],
  ] as const)(
    'given a file %s, then the colour image re-encoded without metadata, audited as allowed with the reason',
    async (_name, file, reportId) => {
      const before = trail.events.length;
      const response = await reveal(sha(file), reportId);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('image/jpeg');
      expectNoStore(response.headers);
      const meta = await sharp(response.rawPayload).metadata();
      const source = await sharp(files[file]).metadata();
      expect(meta.channels).toBe(3);
      expect(meta.exif).toBeUndefined();
      expect(Math.max(meta.width, meta.height)).toBe(
        Math.min(limits.revealMaxSide, Math.max(source.width, source.height)),
      );
      expect(response.rawPayload.equals(files[file])).toBe(false);
      expect(trail.events.slice(before)).toEqual([
        {
          actor: 'supervisor-1',
          role: 'supervisor',
          action: 'reveal',
          target: { type: 'sha256', id: sha(file) },
          query: `reportId=${reportId}`,
          resultCount: 1,
          reason: 'identify the location for the case',
          requestId: expect.any(String),
          outcome: 'allowed',
        },
      ]);
    },
  );

  it.each([
    ['neither viewed nor under legal authority', 'neither', 'r-neither', /fileViewedByEsp.*legal authority/],
    [
      'viewed elsewhere but not carried by the named report',
      'authorised',
      'r-viewed',
      /does not carry this file/,
    ],
  ] as const)(
    'given a file %s, then 403 TRIAGE_REVEAL_NOT_PERMITTED naming the missing condition, audited as denied first',
    async (_name, file, reportId, missing) => {
      const before = trail.events.length;
      const response = await reveal(sha(file), reportId, 'curious');
      expect(response.statusCode).toBe(403);
      expectNoStore(response.headers);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem.code).toBe('TRIAGE_REVEAL_NOT_PERMITTED');
      expect(problem.detail).toMatch(missing);
      expect(trail.events.slice(before)).toEqual([
        expect.objectContaining({
          action: 'reveal',
          target: { type: 'sha256', id: sha(file) },
          query: `reportId=${reportId}`,
          reason: 'curious',
          outcome: 'denied',
        }),
      ]);
    },
  );

  it('given the JPEG named with the report that did not view it, then allowed: another item carrying it was viewed', async () => {
    expect((await reveal(sha('jpeg'), 'r-neither')).statusCode).toBe(200);
  });

  it('given a permitted non-image, then the placeholder, never the bytes', async () => {
    const response = await reveal(sha('document'), 'r-viewed');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.body).not.toContain('synthetic document bytes');
  });

  it('given an unknown sha256, then 404 TRIAGE_MEDIA_NOT_FOUND; without a reason, 400', async () => {
    const unknown = await reveal('cd'.repeat(32), 'r-viewed');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TRIAGE_MEDIA_NOT_FOUND');
    const noReason = await app.inject({
      method: 'POST',
      url: `/v1/media/${sha('jpeg')}/reveal`,
      headers: { authorization: await bearer() },
      payload: { reportId: 'r-viewed' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().pointer).toBe('/body/reason');
    const longReason = await reveal(sha('jpeg'), 'r-viewed', 'x'.repeat(501));
    expect(longReason.statusCode).toBe(400);
  });

  it('given the audit trail refuses, then 503 TRIAGE_AUDIT_UNAVAILABLE for an allowed and for a denied reveal, and no image', async () => {
    trail.failing = true;
    try {
      for (const [file, reportId] of [
        ['jpeg', 'r-viewed'],
        ['neither', 'r-neither'],
      ] as const) {
        const response = await reveal(sha(file), reportId);
        expect(response.statusCode).toBe(503);
        expect(response.json().code).toBe('TRIAGE_AUDIT_UNAVAILABLE');
        expect(response.headers['content-type']).toContain('application/problem+json');
        expectNoStore(response.headers);
      }
    } finally {
      trail.failing = false;
    }
  });
});

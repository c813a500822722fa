// The media routes in process (inject; the store in memory, no disk, no Elasticsearch): the
// headers every answer carries, and the decode cap refusing at once with Retry-After.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { type Principal, type UserRole, userRoles } from '@triage/auth';
import { TriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import { createSearchClient } from '@triage/search';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import type { MediaStore } from '../media/media-pictures.ts';
import { memoryActionLog } from '../testing/action-fixtures.ts';
import { memoryRecorder } from '../testing/read-fixtures.ts';
import { mediaHeaders } from './media-routes.ts';

/** Tokens are role names here: the routes, not the verification, are under test. */
async function verifyToken(token: string): Promise<Principal> {
  const role = userRoles.find((candidate) => candidate === token);
  if (role === undefined) throw new TriageError('TRIAGE_TOKEN_INVALID', 'unknown test token');
  return { sub: `${role}-1`, role, tokenId: null, issuedAt: null, expiresAt: null };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Files in memory; `hold` makes every open wait until `release` (a decode in progress). */
function memoryStore(files: Buffer[]) {
  const bySha = new Map(files.map((bytes) => [sha256(bytes), bytes]));
  let gate: Promise<void> | null = null;
  let open = () => {};
  const store: MediaStore & { hold(): void; release(): void } = {
    async size(sha) {
      const bytes = bySha.get(sha);
      if (bytes === undefined) throw new TriageError('TRIAGE_MEDIA_MISSING', 'missing');
      return bytes.length;
    },
    async open(sha) {
      await gate;
      return Readable.from([bySha.get(sha) ?? Buffer.alloc(0)]);
    },
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = null;
      open();
    },
  };
  return store;
}

let image: Buffer;
const text = Buffer.from('synthetic text standing in for a document');
let store: ReturnType<typeof memoryStore>;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  image = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } },
  })
    .png()
    .toBuffer();
  store = memoryStore([image, text]);
  app = await buildApp({
    logger: createLogger({ name: 'media-routes-test', level: 'silent' }),
    verifyToken,
    keysReady: async () => true,
    kafkaReady: async () => true,
    actions: memoryActionLog().log,
    trail: memoryRecorder(),
    // Never called by these requests: previews read the store only, refusals come first.
    search: { client: createSearchClient({ url: 'http://127.0.0.1:9' }), prefix: 'unit-' },
    media: {
      store,
      limits: {
        maxBytes: 1_000_000,
        maxPixels: 1_000_000,
        concurrency: 1,
        timeoutSeconds: 5,
        revealMaxSide: 512,
      },
    },
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

const preview = (sha: string, role: UserRole | null = 'analyst') =>
  app.inject({
    url: `/v1/media/${sha}/preview`,
    headers: role === null ? {} : { authorization: `Bearer ${role}` },
  });

function expectMediaHeaders(headers: Record<string, unknown>) {
  expect(headers).toMatchObject(mediaHeaders);
  expect(headers.etag).toBeUndefined();
}

describe('media answers never leave a copy behind', () => {
  it('given every way a preview can end, then each answer has the no-store header set and no ETag', async () => {
    const answers = [
      [await preview(sha256(image)), 200, 'image/jpeg'],
      [await preview(sha256(text)), 200, 'image/svg+xml'],
      [await preview('0'.repeat(64)), 404, 'application/problem+json'],
      [await preview('not-a-sha'), 400, 'application/problem+json'],
      [await preview(sha256(image), null), 401, 'application/problem+json'],
      [await preview(sha256(image), 'auditor'), 403, 'application/problem+json'],
    ] as const;
    for (const [response, status, type] of answers) {
      expect([response.statusCode, response.headers['content-type']]).toEqual([
        status,
        expect.stringContaining(type),
      ]);
      expectMediaHeaders(response.headers);
    }
    const [notFound] = answers[2];
    expect(notFound.json().code).toBe('TRIAGE_MEDIA_NOT_FOUND');
  });

  it('given a wrong-role reveal, then 403 with the same headers and none of the image', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/v1/media/${sha256(image)}/reveal`,
      headers: { authorization: 'Bearer operator' },
      payload: { reportId: 'r-1', reason: 'test' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('TRIAGE_ROLE_FORBIDDEN');
    expectMediaHeaders(response.headers);
  });

  it('given a decode in progress and a cap of 1, then the next preview is 503 TRIAGE_MEDIA_BUSY with Retry-After, and served once the slot is free', async () => {
    store.hold();
    const first = preview(sha256(image));
    // Let the first request reach the store (it holds the only slot while it waits).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await preview(sha256(text));
    expect(refused.statusCode).toBe(503);
    expect(refused.json().code).toBe('TRIAGE_MEDIA_BUSY');
    expect(refused.headers['retry-after']).toBe('1');
    expectMediaHeaders(refused.headers);
    store.release();
    expect((await first).statusCode).toBe(200);
    expect((await preview(sha256(text))).statusCode).toBe(200);
  });
});

// The exposure counts on the real Elasticsearch: audit documents written to this file's own audit
// index with the indexer's document builder, counted through the API as the console asks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signLocalToken, type UserRole } from '@triage/auth';
import { createLogger } from '@triage/logging';
import { type AuditEvent, recordExamples } from '@triage/schemas';
import { auditDocument, indexNames, searchIndices } from '@triage/search';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localApp, type TestIndices, testIndices } from './testing/local-app.ts';
import { type MemoryRecorder, memoryRecorder } from './testing/read-fixtures.ts';

const logger = createLogger({ name: 'triage-api-exposure-test', level: 'silent' });
const hour = 60 * 60 * 1000;

/** The analyst's session began a minute ago (the token's iat, whole seconds). */
const sessionStartSeconds = Math.floor(Date.now() / 1000) - 60;
const sessionStart = sessionStartSeconds * 1000;

/** A synthetic file hash per event: the answers must never carry one. */
const fileSha = (n: number) => n.toString(16).padStart(64, 'e');

type Seed = [actor: string, action: AuditEvent['action'], outcome: AuditEvent['outcome'], at: number];
const seeds: Seed[] = [
  // analyst-1: one preview before the session (not in its count, in the day's), then in the session
  // two previews, one reveal, one denied reveal (showed nothing) and a case view (no content).
  ['analyst-1', 'view_media', 'allowed', sessionStart - 10_000],
  ['analyst-1', 'view_media', 'allowed', sessionStart],
  ['analyst-1', 'view_media', 'allowed', sessionStart + 1_000],
  ['analyst-1', 'reveal', 'allowed', sessionStart + 2_000],
  ['analyst-1', 'reveal', 'denied', sessionStart + 3_000],
  ['analyst-1', 'view_case', 'allowed', sessionStart + 4_000],
  ['analyst-2', 'view_media', 'allowed', sessionStart + 5_000],
  ['analyst-2', 'reveal', 'allowed', sessionStart + 6_000],
  ['analyst-2', 'reveal', 'allowed', sessionStart + 7_000],
  ['analyst-2', 'view_media', 'error', sessionStart + 8_000],
  ['supervisor-1', 'view_media', 'allowed', sessionStart + 9_000],
  // Outside the default window (the last day).
  ['analyst-3', 'view_media', 'allowed', sessionStart - 25 * hour],
];

let dir: string;
let indices: TestIndices;
let app: Awaited<ReturnType<typeof localApp>>;
const trail: MemoryRecorder = memoryRecorder();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-exposure-'));
  indices = await testIndices('ex');
  const index = indexNames(indices.prefix, searchIndices.audit).index;
  const documents = seeds.map(([actor, action, outcome, at], n) =>
    auditDocument({
      ...recordExamples.AuditEvent,
      eventId: `exposure-test/${n}`,
      actor,
      role: actor.startsWith('supervisor') ? 'supervisor' : 'analyst',
      action,
      target: { type: 'sha256', id: fileSha(n) },
      outcome,
      at,
    }),
  );
  await indices.client.bulk({
    refresh: true,
    operations: documents.flatMap(({ id, document }) => [{ create: { _index: index, _id: id } }, document]),
  });
  app = await localApp({ dir, search: indices, trail, logger });
});
afterAll(async () => {
  await app?.close();
  await indices?.drop();
  await rm(dir, { recursive: true, force: true });
});

const bearer = async (role: UserRole, sub: string) =>
  `Bearer ${await signLocalToken({ dir, role, sub, ttlSeconds: 300, now: () => new Date(sessionStart) })}`;

const seededShas = seeds.map((_seed, n) => fileSha(n));

describe('GET /v1/exposure/me', () => {
  it('given an analyst, then their allowed previews and reveals since the token was issued, not audited', async () => {
    const before = trail.events.length;
    const response = await app.inject({
      url: '/v1/exposure/me',
      headers: { authorization: await bearer('analyst', 'analyst-1') },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ sub: 'analyst-1', since: sessionStart, previews: 2, reveals: 1 });
    expect(trail.events.length).toBe(before);
  });

  it('given a supervisor and an auditor, then each their own counts (the auditor none)', async () => {
    const supervisor = await app.inject({
      url: '/v1/exposure/me',
      headers: { authorization: await bearer('supervisor', 'supervisor-1') },
    });
    expect(supervisor.json()).toMatchObject({ sub: 'supervisor-1', previews: 1, reveals: 0 });
    const auditor = await app.inject({
      url: '/v1/exposure/me',
      headers: { authorization: await bearer('auditor', 'auditor-1') },
    });
    expect(auditor.json()).toMatchObject({ sub: 'auditor-1', previews: 0, reveals: 0 });
  });
});

describe('GET /v1/exposure/analysts', () => {
  it('given the default window, then allowed previews and reveals per user in the last day, busiest first, no files named, audited', async () => {
    const before = trail.events.length;
    const response = await app.inject({
      url: '/v1/exposure/analysts',
      headers: { authorization: await bearer('supervisor', 'supervisor-1') },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.to - body.from).toBe(24 * hour);
    expect(body.analysts).toEqual([
      { sub: 'analyst-1', previews: 3, reveals: 1 },
      { sub: 'analyst-2', previews: 1, reveals: 2 },
      { sub: 'supervisor-1', previews: 1, reveals: 0 },
    ]);
    expect(body.truncated).toBe(false);
    for (const sha of seededShas) expect(response.body).not.toContain(sha);
    expect(trail.events.slice(before)).toEqual([
      expect.objectContaining({
        actor: 'supervisor-1',
        action: 'view_audit',
        target: { type: 'query', id: null },
        resultCount: 3,
        outcome: 'allowed',
      }),
    ]);
  });

  it('given a window, then only the events in it (from inclusive, to exclusive)', async () => {
    const authorization = await bearer('supervisor', 'supervisor-1');
    const older = await app.inject({
      url: `/v1/exposure/analysts?from=${sessionStart - 26 * hour}&to=${sessionStart}`,
      headers: { authorization },
    });
    expect(older.json().analysts).toEqual([
      { sub: 'analyst-1', previews: 1, reveals: 0 },
      { sub: 'analyst-3', previews: 1, reveals: 0 },
    ]);
    const session = await app.inject({
      url: `/v1/exposure/analysts?from=${sessionStart}&to=${sessionStart + 6_000}`,
      headers: { authorization },
    });
    expect(session.json()).toEqual({
      from: sessionStart,
      to: sessionStart + 6_000,
      analysts: [
        { sub: 'analyst-1', previews: 2, reveals: 1 },
        { sub: 'analyst-2', previews: 1, reveals: 0 },
      ],
      truncated: false,
    });
  });

  it('given `from` not before `to`, then 400 TRIAGE_REQUEST_INVALID naming `from`', async () => {
    const response = await app.inject({
      url: `/v1/exposure/analysts?from=${sessionStart}&to=${sessionStart}`,
      headers: { authorization: await bearer('supervisor', 'supervisor-1') },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'TRIAGE_REQUEST_INVALID', pointer: '/querystring/from' });
  });

  it('given an analyst, then 403, audited as denied', async () => {
    const before = trail.events.length;
    const response = await app.inject({
      url: '/v1/exposure/analysts',
      headers: { authorization: await bearer('analyst', 'analyst-1') },
    });
    expect(response.statusCode).toBe(403);
    expect(trail.events.slice(before)).toEqual([
      expect.objectContaining({ actor: 'analyst-1', action: 'view_audit', outcome: 'denied' }),
    ]);
  });
});

describe('GET /v1/me', () => {
  it('given a token, then its subject, role, iat and exp, not audited', async () => {
    const before = trail.events.length;
    const response = await app.inject({
      url: '/v1/me',
      headers: { authorization: await bearer('auditor', 'auditor-7') },
    });
    expect(response.json()).toEqual({
      sub: 'auditor-7',
      role: 'auditor',
      iat: sessionStartSeconds,
      exp: sessionStartSeconds + 300,
    });
    expect(trail.events.length).toBe(before);
  });
});

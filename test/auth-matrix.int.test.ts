// Issue 15, item 3: the auth matrix through the live services, each its main.ts in its own process
// on the shared Kafka and Elasticsearch. Intake's partner keys, the triage API's bearer tokens and
// every route x every role (the routes read from the API's own /openapi.json, so a route added
// without a row here fails), hash-check's hoster keys and policies. Every refusal is a problem
// document with its status and code and no data; every allowed triage API read is on the audit
// topic under its request id, every role refusal of an audited route too (as denied). Prints the
// table docs/security.md holds (`## The auth matrix`).
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type UserRole, userRoles } from '@triage/auth';
import { ContentStore } from '@triage/content-store';
import { createHosterKey, withHosterKey, withoutHosterKey, writeHostersFile } from '@triage/hosters';
import { startIntakeProcess } from '@triage/intake/testing';
import { pipelineTopics } from '@triage/messaging';
import { committedRecordCount } from '@triage/messaging/testing';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createPartnerKey, readPartnersFile, withKey, withoutKey, writePartnersFile } from '@triage/partners';
import { type AuditEvent, createCodec, recordExamples } from '@triage/schemas';
import { createSearchClient, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { itemCarrying, seedCases, startTriageApiProcess } from '@triage/triage-api/testing';
import { afterAll, describe, expect } from 'vitest';
import { forgedTokens } from './support/forged-tokens.ts';
import { startHashCheckProcess } from './support/hash-check-process.ts';
import { MatrixTable, problemFields, statusAndCode } from './support/matrix-rows.ts';

const codec = createCodec();
const table = new MatrixTable();
afterAll(() => {
  // The table docs/security.md holds: `pnpm vitest run --project int test/auth-matrix.int.test.ts`.
  process.stdout.write(`\n${table.table()}\n`);
});

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a CSV export, an image): kept as text.
  }
  return { status: response.status, body, headers: response.headers };
}

/** The answer is the problem `expected` (`status CODE`) and carries nothing but a problem's fields. */
function expectRefusal(answer: Answer, expected: string): void {
  expect(statusAndCode(answer.status, answer.body)).toBe(expected);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  for (const field of Object.keys(answer.body as object)) expect(problemFields).toContain(field);
}

describe('intake: partner API keys', () => {
  kafkaTest(
    'given every kind of key, then only a live key of the right scope is let in, and never to another partner’s bundle',
    async ({ kafka }) => {
      await kafka.createTopics([
        pipelineTopics.bundles,
        pipelineTopics.bundleStatus,
        pipelineTopics.takedowns,
      ]);
      const root = await mkdtemp(path.join(tmpdir(), 'auth-matrix-intake-'));
      const intake = await startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: ['partner-a', 'partner-b', 'hotline-h'],
        scopes: { 'hotline-h': ['hotline'] },
      });
      try {
        const partnersFile = path.join(root, 'partners.json');
        const expiredKey = createPartnerKey();
        const revokedKey = createPartnerKey();
        let partners = await readPartnersFile(partnersFile);
        partners = withKey(partners, 'partner-a', {
          id: 'k-expired',
          sha256: expiredKey.sha256,
          notAfter: '2026-01-01T00:00:00Z',
        });
        partners = withKey(partners, 'partner-a', { id: 'k-revoked', sha256: revokedKey.sha256 });
        await writePartnersFile(partnersFile, partners);
        const keyA = intake.keys.get('partner-a')!;
        const keyB = intake.keys.get('partner-b')!;
        const hotlineKey = intake.keys.get('hotline-h')!;
        const bundle = (ref: string) =>
          JSON.stringify({
            bundleRef: ref,
            reports: [
              {
                reportId: ref,
                incidentType: 'Online Enticement of Children for Sexual Acts',
                incidentDateTime: '2026-11-20T21:14:00Z',
                reporter: { companyName: 'Example Social', espService: 'Photos' },
                internetDetails: [{ type: 'webPage', urls: ['https://host.example/page'] }],
              },
            ],
          });
        const post = (authorization: string | null, ref: string) =>
          call(`${intake.url}/v1/bundles`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            body: bundle(ref),
          });
        const read = (authorization: string, bundleId: string) =>
          call(`${intake.url}/v1/bundles/${bundleId}`, { headers: { authorization } });

        // The revoked key works until it is revoked (intake re-reads the file every 2 s).
        await expect
          .poll(
            async () => (await read(`Bearer ${revokedKey.key}`, 'bndl-000000000000000000000000')).status,
            { timeout: 20_000 },
          )
          .toBe(404);
        const accepted = await post(`Bearer ${keyA}`, 'matrix-1');
        expect(accepted.status).toBe(202);
        const bundleId = (accepted.body as { bundleId: string }).bundleId;
        table.add({
          service: 'intake',
          who: 'partner A, its key',
          what: 'POST /v1/bundles, then GET its bundle',
          expected: '202, 200',
          got: `${accepted.status}, ${(await read(`Bearer ${keyA}`, bundleId)).status}`,
        });
        await writePartnersFile(
          partnersFile,
          withoutKey(await readPartnersFile(partnersFile), 'partner-a', 'k-revoked'),
        );
        await expect
          .poll(async () => (await read(`Bearer ${revokedKey.key}`, bundleId)).status, { timeout: 20_000 })
          .toBe(401);

        const refusals: { who: string; what: string; answer: () => Promise<Answer>; expected: string }[] = [
          {
            who: 'anyone, no key',
            what: 'POST /v1/bundles',
            answer: () => post(null, 'm-2'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'a malformed key (`Bearer not-a-key`)',
            what: 'POST /v1/bundles',
            answer: () => post('Bearer not-a-key', 'm-3'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'partner A’s key under `Basic`',
            what: 'POST /v1/bundles',
            answer: () => post(`Basic ${keyA}`, 'm-4'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'an unknown key (well formed, never issued)',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${createPartnerKey().key}`, 'm-5'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'a hoster key (`thk_`) at intake',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${createHosterKey().key}`, 'm-6'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'partner A, an expired key (`notAfter` past)',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${expiredKey.key}`, 'm-7'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'partner A, a key revoked while intake runs',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${revokedKey.key}`, 'm-8'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'partner A, a key revoked while intake runs',
            what: 'GET its own earlier bundle',
            answer: () => read(`Bearer ${revokedKey.key}`, bundleId),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'a hotline-only key',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${hotlineKey}`, 'm-9'),
            expected: '403 TRIAGE_AUTH_FORBIDDEN',
          },
          {
            who: 'a hotline-only key',
            what: 'GET /v1/bundles/{id}',
            answer: () => read(`Bearer ${hotlineKey}`, bundleId),
            expected: '403 TRIAGE_AUTH_FORBIDDEN',
          },
          {
            who: 'a bundles-only key (partner A)',
            what: 'POST /v1/takedowns',
            answer: () =>
              call(`${intake.url}/v1/takedowns`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${keyA}` },
                body: JSON.stringify({ events: [] }),
              }),
            expected: '403 TRIAGE_AUTH_FORBIDDEN',
          },
          {
            who: 'partner B',
            what: 'GET partner A’s bundle by its id',
            answer: () => read(`Bearer ${keyB}`, bundleId),
            expected: '404 TRIAGE_BUNDLE_NOT_FOUND',
          },
          {
            who: 'partner B',
            what: 'GET a bundle id that never existed',
            answer: () => read(`Bearer ${keyB}`, 'bndl-000000000000000000000000'),
            expected: '404 TRIAGE_BUNDLE_NOT_FOUND',
          },
        ];
        const answers = new Map<string, Answer>();
        for (const row of refusals) {
          const answer = await row.answer();
          answers.set(`${row.who} ${row.what}`, answer);
          table.add({
            service: 'intake',
            who: row.who,
            what: row.what,
            expected: row.expected,
            got: statusAndCode(answer.status, answer.body),
          });
        }
        for (const row of refusals) expectRefusal(answers.get(`${row.who} ${row.what}`)!, row.expected);
        // Existence does not leak: another partner's bundle reads as one that never existed.
        const strip = (answer: Answer) => {
          const { requestId, instance, detail, ...rest } = answer.body as Record<string, unknown>;
          return rest;
        };
        expect(strip(answers.get('partner B GET partner A’s bundle by its id')!)).toEqual(
          strip(answers.get('partner B GET a bundle id that never existed')!),
        );
        expect(JSON.stringify(answers.get('partner B GET partner A’s bundle by its id')!.body)).not.toContain(
          'matrix-1',
        );
        // Nothing a refused request sent was kept: the bundles topic holds partner A's bundle only.
        expect(await committedRecordCount(kafka.connection, kafka.topic(pipelineTopics.bundles.name))).toBe(
          1n,
        );
      } finally {
        await intake.stop();
        await rm(root, { recursive: true, force: true });
      }
    },
  );
});

/** One documented operation of the triage API: who may call it, and a request that succeeds for them. */
interface OperationRow {
  /** The roles allowed; every other role gets 403. */
  roles: readonly UserRole[];
  /** The path with its parameters filled in (and a query), for role `role` (its index in `userRoles`). */
  url: (role: UserRole) => string;
  body?: (role: UserRole) => object;
  /** What an allowed role gets (a hoster that does not exist: 404 once the role is let through). */
  ok: number;
  /** The audit action an allowed call and a role refusal are recorded under; null: not audited. */
  audit: AuditEvent['action'] | null;
}

const exampleCase = recordExamples.Case;
const reportPath = encodeURIComponent(exampleCase.reportId);
/** Each role categorises its own item: a second `set` on one item would be a state conflict (409). */
const itemPath = (role: UserRole) =>
  encodeURIComponent(`${exampleCase.reportId}/f-${userRoles.indexOf(role)}`);
const mediaBytes = Buffer.from('synthetic media bytes for the auth matrix');
const mediaSha256 = createHash('sha256').update(mediaBytes).digest('hex');

/**
 * The allowed roles of every documented operation, written once. The test reads the live
 * /openapi.json: an operation with a security requirement and no row here fails, as does one
 * without a security requirement that is not in `publicOperations`.
 */
const operations: Readonly<Record<string, OperationRow>> = {
  'GET /v1/cases': {
    roles: ['analyst', 'supervisor'],
    url: () => '/v1/cases?tier=P1',
    ok: 200,
    audit: 'search',
  },
  'GET /v1/cases/{reportId}': {
    roles: ['analyst', 'supervisor'],
    url: () => `/v1/cases/${reportPath}`,
    ok: 200,
    audit: 'view_case',
  },
  'GET /v1/audit': { roles: ['auditor'], url: () => '/v1/audit?action=search', ok: 200, audit: 'view_audit' },
  'GET /v1/media/{sha256}/preview': {
    roles: ['analyst', 'supervisor'],
    url: () => `/v1/media/${mediaSha256}/preview`,
    ok: 200,
    audit: 'view_media',
  },
  'POST /v1/media/{sha256}/reveal': {
    roles: ['analyst', 'supervisor'],
    url: () => `/v1/media/${mediaSha256}/reveal`,
    body: () => ({ reportId: exampleCase.reportId, reason: 'auth matrix' }),
    ok: 200,
    audit: 'reveal',
  },
  'GET /v1/hashes/{value}': {
    roles: ['analyst', 'supervisor'],
    url: () => `/v1/hashes/${recordExamples.EnrichedItem.hashes?.md5}`,
    ok: 200,
    audit: 'lookup_hash',
  },
  'POST /v1/cases/{reportId}/actions': {
    roles: ['analyst', 'supervisor'],
    url: () => `/v1/cases/${reportPath}/actions`,
    body: () => ({ type: 'claim' }),
    ok: 202,
    audit: 'triage_action',
  },
  'POST /v1/cases/{reportId}/items/{itemId}/category': {
    roles: ['analyst', 'supervisor'],
    url: (role) => `/v1/cases/${reportPath}/items/${itemPath(role)}/category`,
    body: () => ({ action: 'set', category: 1 }),
    ok: 202,
    audit: 'triage_action',
  },
  'GET /v1/cases/{reportId}/categories': {
    roles: ['analyst', 'supervisor', 'auditor'],
    url: () => `/v1/cases/${reportPath}/categories`,
    ok: 200,
    audit: 'view_case',
  },
  'GET /v1/hash-lists/{list}/export': {
    roles: ['supervisor', 'auditor'],
    url: () => '/v1/hash-lists/police-confirmed/export',
    ok: 200,
    audit: 'export',
  },
  // Not audited: the caller's own counts of their own (audited) reads, asked on every console page.
  'GET /v1/exposure/me': { roles: userRoles, url: () => '/v1/exposure/me', ok: 200, audit: null },
  'GET /v1/exposure/analysts': {
    roles: ['supervisor'],
    url: () => '/v1/exposure/analysts',
    ok: 200,
    audit: 'view_audit',
  },
  // Not audited: it answers from the caller's own token.
  'GET /v1/me': { roles: userRoles, url: () => '/v1/me', ok: 200, audit: null },
  'GET /v1/audit/chain': { roles: ['auditor'], url: () => '/v1/audit/chain', ok: 200, audit: 'view_audit' },
  'GET /v1/hosters': {
    roles: ['supervisor', 'auditor'],
    url: () => '/v1/hosters',
    ok: 200,
    audit: 'search',
  },
  'GET /v1/hosters/{asn}': {
    roles: ['supervisor', 'auditor'],
    url: () => '/v1/hosters/60781',
    ok: 404,
    audit: 'search',
  },
  'GET /v1/hosters/{asn}/evidence': {
    roles: ['supervisor', 'auditor'],
    url: () => '/v1/hosters/60781/evidence',
    ok: 404,
    audit: 'export',
  },
};

/** Operations the document says need no token: probes, which sign-ins are on, the development login. */
const publicOperations = ['GET /healthz', 'GET /readyz', 'GET /v1/auth/config', 'POST /v1/dev/token'];

describe('triage API: bearer tokens, every documented operation x every role', () => {
  kafkaTest(
    'given forged tokens, then 401; given each role on each operation, then exactly the allowed ones are answered, each audited',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.audit, pipelineTopics.triageActions, pipelineTopics.hashsets]);
      const root = await mkdtemp(path.join(tmpdir(), 'auth-matrix-triage-'));
      const client = createSearchClient({ url: elasticsearchUrl });
      const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
      const contentRoot = path.join(root, 'content');
      await new ContentStore({ root: contentRoot }).put(Readable.from([mediaBytes]));
      await seedCases(client, prefix, [
        {
          reportId: exampleCase.reportId,
          case: exampleCase,
          items: userRoles.map((_, index) => itemCarrying(exampleCase.reportId, mediaSha256, true, index)),
        },
      ]);
      const authDir = path.join(root, 'auth');
      const api = await startTriageApiProcess({
        connection: kafka.connection,
        elasticsearchUrl,
        authDir,
        env: { CONTENT_STORE_ROOT: contentRoot },
      });
      try {
        const document = (await call(`${api.url}/openapi.json`)).body as {
          paths: Record<string, Record<string, { security?: unknown[] }>>;
        };
        const documented = Object.entries(document.paths).flatMap(([route, methods]) =>
          Object.entries(methods).map(([method, operation]) => ({
            name: `${method.toUpperCase()} ${route}`,
            secured: (operation.security ?? []).length > 0,
          })),
        );
        // The matrix is the document's: every secured operation has its row, the rest are the public list.
        expect(
          documented
            .filter((op) => op.secured)
            .map((op) => op.name)
            .sort(),
        ).toEqual(Object.keys(operations).sort());
        expect(
          documented
            .filter((op) => !op.secured)
            .map((op) => op.name)
            .sort(),
        ).toEqual([...publicOperations].sort());

        const send = (name: string, role: UserRole, authorization: string | null) => {
          const row = operations[name]!;
          const [method] = name.split(' ');
          return call(`${api.url}${row.url(role)}`, {
            method,
            headers: {
              ...(authorization === null ? {} : { authorization }),
              ...(row.body ? { 'content-type': 'application/json' } : {}),
            },
            ...(row.body ? { body: JSON.stringify(row.body(role)) } : {}),
          });
        };

        // Forged and broken tokens, each on a supervisor's read of the queue.
        for (const [forgery, authorization] of Object.entries(await forgedTokens(authDir))) {
          const answer = await send('GET /v1/cases', 'supervisor', authorization);
          // Another scheme is no bearer token at all.
          const expected =
            forgery === 'Basic scheme' ? '401 TRIAGE_TOKEN_MISSING' : '401 TRIAGE_TOKEN_INVALID';
          table.add({
            service: 'triage API',
            who: `token: ${forgery}`,
            what: 'GET /v1/cases',
            expected,
            got: statusAndCode(answer.status, answer.body),
          });
          expectRefusal(answer, expected);
          expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="triage"/);
        }

        const expectedAudit: {
          requestId: string;
          action: string;
          outcome: 'allowed' | 'denied';
          role: UserRole;
        }[] = [];
        for (const [name, row] of Object.entries(operations)) {
          const anonymous = await send(name, row.roles[0]!, null);
          expectRefusal(anonymous, '401 TRIAGE_TOKEN_MISSING');
          const got: string[] = [`none ${anonymous.status}`];
          for (const role of userRoles) {
            const answer = await send(name, role, await api.bearer(role));
            const requestId = answer.headers.get('x-request-id')!;
            if (row.roles.includes(role)) {
              expect({ name, role, status: answer.status }).toEqual({ name, role, status: row.ok });
              if (row.audit !== null)
                expectedAudit.push({ requestId, action: row.audit, outcome: 'allowed', role });
            } else {
              expectRefusal(answer, '403 TRIAGE_ROLE_FORBIDDEN');
              if (row.audit !== null)
                expectedAudit.push({ requestId, action: row.audit, outcome: 'denied', role });
            }
            got.push(`${role} ${answer.status}`);
          }
          const allowed = row.roles.length === userRoles.length ? 'every role' : row.roles.join(', ');
          table.add({
            service: 'triage API',
            who: 'none, then each role',
            what: name,
            expected: [
              '401',
              `${allowed}: ${row.ok}${row.audit ? ` audited \`${row.audit}\`` : ''}`,
              ...(row.roles.length === userRoles.length
                ? []
                : [`others 403${row.audit ? ' audited denied' : ''}`]),
            ].join('; '),
            got: got.join(', '),
          });
        }

        // Every allowed read and every role refusal of an audited route is on the audit topic, by its request id.
        const wanted = new Set(expectedAudit.map((entry) => entry.requestId));
        const records = await kafka.readTopic(
          pipelineTopics.audit.name,
          (read) =>
            read.filter((record) => wanted.has(codec.decode('AuditEvent', record.value!).requestId ?? ''))
              .length >= wanted.size,
          30_000,
        );
        const events = new Map(
          records
            .map((record) => codec.decode('AuditEvent', record.value!))
            .map((event) => [event.requestId, event]),
        );
        for (const entry of expectedAudit) {
          expect({ ...entry, event: events.get(entry.requestId) }).toMatchObject({
            event: { action: entry.action, outcome: entry.outcome, role: entry.role },
          });
        }
      } finally {
        await api.stop();
        await deletePrefixedIndices(client, prefix).catch(() => undefined);
        await client.close();
        await rm(root, { recursive: true, force: true });
      }
    },
  );
});

describe('hash-check: hoster keys and policies', () => {
  kafkaTest(
    'given every kind of key and every field or list a policy does not grant, then refused with its code; each authenticated batch audited',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.hashsets, pipelineTopics.audit]);
      const root = await mkdtemp(path.join(tmpdir(), 'auth-matrix-hash-check-'));
      const hostersFile = path.join(root, 'hosters.json');
      const keys = {
        plain: createHosterKey(),
        category: createHosterKey(),
        idle: createHosterKey(),
        expired: createHosterKey(),
        revoked: createHosterKey(),
      };
      const policy = { lists: ['police-confirmed'], pdqMaxDistance: 31 };
      let hosters = withHosterKey(
        { hosters: [] },
        'host-plain',
        { id: 'k1', sha256: keys.plain.sha256 },
        policy,
      );
      hosters = withHosterKey(hosters, 'host-plain', {
        id: 'k-expired',
        sha256: keys.expired.sha256,
        notAfter: '2026-01-01T00:00:00Z',
      });
      hosters = withHosterKey(hosters, 'host-plain', { id: 'k-revoked', sha256: keys.revoked.sha256 });
      hosters = withHosterKey(
        hosters,
        'host-category',
        { id: 'k1', sha256: keys.category.sha256 },
        { ...policy, category: true },
      );
      hosters = withHosterKey(hosters, 'host-idle', { id: 'k1', sha256: keys.idle.sha256 });
      await writeHostersFile(hostersFile, hosters);
      const service = await startHashCheckProcess({ connection: kafka.connection, hostersFile });
      try {
        const batch = { hashes: [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }] };
        const check = (authorization: string | null, extra: object = {}) =>
          call(`${service.url}/v1/hash-check`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            body: JSON.stringify({ ...batch, ...extra }),
          });
        const bearer = (key: { key: string }) => `Bearer ${key.key}`;
        const audited: string[] = [];

        // The revoked key works until it is revoked (the service re-reads the file every 2 s; the
        // polls' batches are audited too, as many as the poll took).
        expect((await check(bearer(keys.revoked))).status).toBe(200);
        await writeHostersFile(hostersFile, withoutHosterKey(hosters, 'host-plain', 'k-revoked'));
        await expect
          .poll(async () => (await check(bearer(keys.revoked))).status, { timeout: 20_000 })
          .toBe(401);

        const rows: {
          who: string;
          what: string;
          answer: () => Promise<Answer>;
          expected: string;
          audit?: string;
        }[] = [
          {
            who: 'host-plain, its key',
            what: 'a batch on its list',
            answer: () => check(bearer(keys.plain)),
            expected: '200',
            audit: 'host-plain/k1 allowed',
          },
          {
            who: 'host-category (policy gives the category)',
            what: 'include `category`',
            answer: () => check(bearer(keys.category), { include: ['category'] }),
            expected: '200',
            audit: 'host-category/k1 allowed',
          },
          {
            who: 'anyone, no key',
            what: 'a batch',
            answer: () => check(null),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'a malformed key',
            what: 'a batch',
            answer: () => check('Bearer thk_not-a-key'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'a partner key (`tpk_`) at hash-check',
            what: 'a batch',
            answer: () => check(`Bearer ${createPartnerKey().key}`),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'host-plain, an expired key',
            what: 'a batch',
            answer: () => check(bearer(keys.expired)),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'host-plain, a key revoked while the service runs',
            what: 'a batch',
            answer: () => check(bearer(keys.revoked)),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          ...(['category', 'label', 'listName', 'reportId', 'distance'] as const).map((field) => ({
            who: 'host-plain (no category in its policy)',
            what: `include \`${field}\``,
            answer: () => check(bearer(keys.plain), { include: [field] }),
            expected: '403 TRIAGE_HASH_CHECK_FIELD_REFUSED',
            audit: 'host-plain/k1 denied TRIAGE_HASH_CHECK_FIELD_REFUSED',
          })),
          {
            who: 'host-category',
            what: 'include `label`',
            answer: () => check(bearer(keys.category), { include: ['category', 'label'] }),
            expected: '403 TRIAGE_HASH_CHECK_FIELD_REFUSED',
            audit: 'host-category/k1 denied TRIAGE_HASH_CHECK_FIELD_REFUSED',
          },
          {
            who: 'host-plain',
            what: 'lists `["analyst-confirmed"]` (not granted)',
            answer: () => check(bearer(keys.plain), { lists: ['analyst-confirmed'] }),
            expected: '403 TRIAGE_AUTH_FORBIDDEN',
            audit: 'host-plain/k1 denied TRIAGE_AUTH_FORBIDDEN',
          },
          {
            who: 'host-idle (no list granted)',
            what: 'a batch',
            answer: () => check(bearer(keys.idle)),
            expected: '403 TRIAGE_AUTH_FORBIDDEN',
            audit: 'host-idle/k1 denied TRIAGE_AUTH_FORBIDDEN',
          },
        ];
        for (const row of rows) {
          const answer = await row.answer();
          table.add({
            service: 'hash-check',
            who: row.who,
            what: row.what,
            expected: row.expected,
            got: statusAndCode(answer.status, answer.body),
          });
          if (row.expected === '200') {
            expect(answer.status).toBe(200);
            // Never a label, list name, report id or distance (no match here: no category either).
            expect((answer.body as { answers: object[] }).answers).toEqual([{ match: false }]);
          } else {
            expectRefusal(answer, row.expected);
          }
          if (row.audit) audited.push(row.audit);
        }

        // Every batch of a known hoster is audited (allowed, or denied with the refusal's code); no key, no event.
        const describe = (record: { value: Buffer | null }) => {
          const event = codec.decode('AuditEvent', record.value!);
          return `${event.actor} ${event.outcome}${event.reason ? ` ${event.reason}` : ''}`;
        };
        const beforeRevocation = 'host-plain/k-revoked allowed';
        const records = await kafka.readTopic(
          pipelineTopics.audit.name,
          (read) => read.filter((record) => describe(record) !== beforeRevocation).length >= audited.length,
          30_000,
        );
        const events = records.map(describe);
        expect(events).toContain(beforeRevocation);
        expect(events.filter((event) => event !== beforeRevocation).sort()).toEqual(audited.sort());
      } finally {
        await service.stop();
        await rm(root, { recursive: true, force: true });
      }
    },
  );
});

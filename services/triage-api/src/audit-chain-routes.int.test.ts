// GET /v1/audit/chain on the real Elasticsearch: events sealed by a real AuditTrail (its producer
// keeps them in memory), indexed with the indexer's document builder into this file's own audit
// index, verified through the API as the audit page asks; then one document edited in place.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditTrail } from '@triage/audit';
import { signLocalToken } from '@triage/auth';
import { createLogger } from '@triage/logging';
import type { OutboundRecord } from '@triage/messaging';
import { createCodec } from '@triage/schemas';
import { auditDocument, indexNames, searchIndices } from '@triage/search';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localApp, type TestIndices, testIndices } from './testing/local-app.ts';
import { type MemoryRecorder, memoryRecorder } from './testing/read-fixtures.ts';

const logger = createLogger({ name: 'triage-api-chain-test', level: 'silent' });
const codec = createCodec();

let dir: string;
let indices: TestIndices;
let index: string;
let app: Awaited<ReturnType<typeof localApp>>;
const trail: MemoryRecorder = memoryRecorder();

/** Four chained events of one writer, as the indexer would write them. */
async function sealedEvents() {
  const written: OutboundRecord[] = [];
  const writer = new AuditTrail({
    producer: {
      async send(records) {
        written.push(...records);
      },
      async close() {},
    },
    topic: 'audit.v1',
    writerId: 'chain-test',
    logger,
  });
  for (let n = 0; n < 4; n++) {
    await writer.record({
      actor: `analyst-${n % 2}`,
      role: 'analyst',
      action: 'search',
      target: { type: 'query', id: null },
      query: 'tier=P1',
      resultCount: n,
      reason: null,
      requestId: `req-${n}`,
      outcome: 'allowed',
    });
  }
  return written.map((record) => auditDocument(codec.decode('AuditEvent', record.value!)));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-chain-'));
  indices = await testIndices('ac');
  index = indexNames(indices.prefix, searchIndices.audit).index;
  app = await localApp({ dir, search: indices, trail, logger });
});
afterAll(async () => {
  await app?.close();
  await indices?.drop();
  await rm(dir, { recursive: true, force: true });
});

const chainStatus = async () =>
  app.inject({
    url: '/v1/audit/chain',
    headers: {
      authorization: `Bearer ${await signLocalToken({ dir, role: 'auditor', sub: 'auditor-1', ttlSeconds: 300 })}`,
    },
  });

describe('GET /v1/audit/chain', () => {
  it('given no audit events indexed, then empty, and the check is audited', async () => {
    const response = await chainStatus();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'empty', complete: true, records: 0, chains: [] });
    expect(trail.events.at(-1)).toMatchObject({
      actor: 'auditor-1',
      action: 'view_audit',
      target: { type: 'none', id: null },
      outcome: 'allowed',
    });
  });

  it('given a sealed chain indexed, then verified with its head; given one document edited, then broken there', async () => {
    const documents = await sealedEvents();
    await indices.client.bulk({
      refresh: true,
      operations: documents.flatMap(({ id, document }) => [{ create: { _index: index, _id: id } }, document]),
    });
    const verified = (await chainStatus()).json();
    expect(verified).toMatchObject({ status: 'verified', complete: true, records: 4, findingCount: 0 });
    expect(verified.chains).toEqual([
      expect.objectContaining({
        chainId: documents[0]!.document.chain!.chainId,
        events: 4,
        lastSequence: 3,
        lastHash: documents[3]!.document.chain!.hash,
      }),
    ]);

    // Someone rewrites who made the third search, in the index only.
    await indices.client.update({
      index,
      id: documents[2]!.id,
      doc: { actor: 'someone-else' },
      refresh: true,
    });
    const broken = (await chainStatus()).json();
    expect(broken.status).toBe('broken');
    expect(broken.findings).toEqual([
      expect.objectContaining({
        kind: 'edited',
        chainId: documents[2]!.document.chain!.chainId,
        sequence: 2,
      }),
    ]);
  });

  it('given an analyst, then 403', async () => {
    const response = await app.inject({
      url: '/v1/audit/chain',
      headers: {
        authorization: `Bearer ${await signLocalToken({ dir, role: 'analyst', sub: 'analyst-1', ttlSeconds: 300 })}`,
      },
    });
    expect(response.statusCode).toBe(403);
  });
});

// The category routes on the real Kafka and Elasticsearch, with the confirmed list's writer
// running: categorise -> confirm -> the item's four hashes on hashsets.v1; a self-confirmation
// refused with its code; a disagreement settled by a supervisor; a withdrawal tombstoned; the
// audited export of the list, read back by the project's own importer.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signLocalToken, type UserRole } from '@triage/auth';
import { ConfirmedListWriter, readHashList, readListEntries } from '@triage/hash-lists';
import { createLogger } from '@triage/logging';
import { createRecordProducer, deployedTopic, pipelineTopics } from '@triage/messaging';
import { kafkaTest, type ReadRecord } from '@triage/messaging/testing/fixtures';
import { createCodec, type EnrichedItem, type KnownHash, recordExamples } from '@triage/schemas';
import { type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
import { describe, expect, vi } from 'vitest';
import { ActionLog } from './actions/action-log.ts';
import { followedCategoryBook } from './actions/category-book.ts';
import { localApp } from './testing/local-app.ts';
import { itemCarrying } from './testing/media-fixtures.ts';
import { memoryRecorder, seedCases } from './testing/read-fixtures.ts';

const codec = createCodec();
const logger = createLogger({ name: 'category-test', level: 'silent' });
const exampleCase = recordExamples.Case;
const reportId = exampleCase.reportId;
const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');

/** An item of the example report with its own (synthetic) MD5, SHA-1, SHA-256 and PDQ. */
function hashedItem(index: number): EnrichedItem {
  const seed = `synthetic file ${index}`;
  const carrying = itemCarrying(reportId, hex('sha256', seed), null, index);
  return {
    ...carrying,
    hashes: {
      ...carrying.hashes!,
      md5: hex('md5', seed),
      sha1: hex('sha1', seed),
      sha256: carrying.item.sha256!,
      pdq: hex('sha256', `pdq ${seed}`),
    },
  };
}

const first = hashedItem(0);
const second = hashedItem(1);
const test = kafkaTest.extend<{ search: SearchFixture }>({
  search: async ({ kafka }, use) => {
    await kafka.createTopics([pipelineTopics.audit, pipelineTopics.triageActions, pipelineTopics.hashsets]);
    await useSearchFixture(kafka.connection.topicPrefix ?? '', async (fixture) => {
      await seedCases(fixture.client, fixture.prefix, [
        { reportId, case: exampleCase, items: [first, second] },
      ]);
      await use(fixture);
    });
  },
});

function latestByKey(records: readonly ReadRecord[]): Map<string, KnownHash | null> {
  const latest = new Map<string, KnownHash | null>();
  for (const record of records) {
    latest.set(record.key, record.value === null ? null : codec.decode('KnownHash', record.value));
  }
  return latest;
}

const keysOf = (item: EnrichedItem) => {
  const hashes = item.hashes!;
  return [
    `police-confirmed:MD5:${hashes.md5}`,
    `police-confirmed:PDQ:${hashes.pdq}`,
    `police-confirmed:SHA1:${hashes.sha1}`,
    `police-confirmed:SHA256:${hashes.sha256}`,
  ];
};

describe('category routes and the confirmed list', () => {
  test('given set, confirm, settle and withdraw through the API, then the rules hold, the list follows, and its export reads back', async ({
    kafka,
    search,
  }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'category-routes-'));
    const producer = createRecordProducer(kafka.connection, 'test-triage-api');
    const trail = memoryRecorder();
    const categories = followedCategoryBook({
      connection: kafka.connection,
      logger,
      dir: path.join(dir, 'state'),
    });
    const writer = new ConfirmedListWriter({
      connection: kafka.connection,
      logger,
      stateDir: path.join(dir, 'writer-state'),
    });
    await Promise.all([categories.start(), writer.start()]);
    const app = await localApp({
      dir,
      logger,
      trail,
      search: { client: search.client, prefix: search.prefix },
      actions: new ActionLog({
        producer,
        topic: deployedTopic(kafka.connection, pipelineTopics.triageActions.name),
      }),
      categories,
      listEntries: (list) => readListEntries(kafka.connection, list),
    });
    const bearer = async (role: UserRole, sub: string) =>
      `Bearer ${await signLocalToken({ dir, role, sub, ttlSeconds: 300 })}`;
    const act = async (item: EnrichedItem, role: UserRole, sub: string, body: object) =>
      app.inject({
        method: 'POST',
        url: `/v1/cases/${encodeURIComponent(reportId)}/items/${encodeURIComponent(item.item.itemId)}/category`,
        headers: { authorization: await bearer(role, sub) },
        payload: body,
      });
    try {
      const set = await act(first, 'analyst', 'analyst-1', { action: 'set', category: 1 });
      expect(set.statusCode, set.body).toBe(202);
      expect(set.json()).toMatchObject({
        action: {
          type: 'categorise',
          actor: 'analyst-1',
          payload: {
            itemId: first.item.itemId,
            category: '1',
            md5: first.hashes!.md5,
            sha1: first.hashes!.sha1,
            sha256: first.hashes!.sha256,
            pdq: first.hashes!.pdq,
          },
        },
        state: { status: 'proposed', category: 1, proposedBy: ['analyst-1'] },
      });

      // Nobody confirms their own call: refused with a code, audited as denied, nothing written.
      const own = await act(first, 'analyst', 'analyst-1', { action: 'confirm', category: 1 });
      expect(own.statusCode).toBe(403);
      expect(own.json()).toMatchObject({ code: 'TRIAGE_CATEGORY_SELF_CONFIRMATION' });
      expect(trail.events.at(-1)).toMatchObject({ action: 'triage_action', outcome: 'denied' });

      const confirm = await act(first, 'analyst', 'analyst-2', { action: 'confirm', category: 1 });
      expect(confirm.statusCode, confirm.body).toBe(202);
      expect(confirm.json().state).toMatchObject({ status: 'confirmed', confirmedBy: 'analyst-2' });
      await vi.waitFor(() => expect(writer.version).toBe(1), { timeout: 20_000 });
      const listed = latestByKey(await kafka.readTopic(pipelineTopics.hashsets.name, 4));
      expect([...listed.keys()].sort()).toEqual(keysOf(first));
      expect([...listed.values()].every((entry) => entry?.category === 1 && entry.listVersion === '1')).toBe(
        true,
      );

      // A disagreement: not confirmable; an analyst may not settle; a supervisor must give a reason.
      expect((await act(second, 'analyst', 'analyst-1', { action: 'set', category: 1 })).statusCode).toBe(
        202,
      );
      expect(
        (await act(second, 'analyst', 'analyst-2', { action: 'set', category: 2 })).json().state,
      ).toMatchObject({ status: 'disputed' });
      const disputed = await act(second, 'analyst', 'analyst-3', { action: 'confirm', category: 2 });
      expect(disputed.json()).toMatchObject({ status: 409, code: 'TRIAGE_CATEGORY_DISPUTED' });
      const byAnalyst = await act(second, 'analyst', 'analyst-3', {
        action: 'settle',
        category: 2,
        reason: 'r',
      });
      expect(byAnalyst.json()).toMatchObject({ status: 403, code: 'TRIAGE_CATEGORY_SETTLE_FORBIDDEN' });
      const noReason = await act(second, 'supervisor', 'supervisor-1', { action: 'settle', category: 2 });
      expect(noReason.json()).toMatchObject({ status: 400, code: 'TRIAGE_CATEGORY_REASON_REQUIRED' });
      const settled = await act(second, 'supervisor', 'supervisor-1', {
        action: 'settle',
        category: 2,
        reason: 'invented reason',
      });
      expect(settled.statusCode, settled.body).toBe(202);
      expect(settled.json().state).toMatchObject({
        status: 'confirmed',
        category: 2,
        confirmedBy: 'supervisor-1',
        settledReason: 'invented reason',
      });
      expect(trail.events.at(-1)).toMatchObject({ outcome: 'allowed', reason: 'invented reason' });
      await vi.waitFor(() => expect(writer.version).toBe(2), { timeout: 20_000 });

      // The case's states, audited as a view.
      const states = await app.inject({
        method: 'GET',
        url: `/v1/cases/${encodeURIComponent(reportId)}/categories`,
        headers: { authorization: await bearer('auditor', 'auditor-1') },
      });
      expect(states.json().items.map((item: { status: string }) => item.status)).toEqual([
        'confirmed',
        'confirmed',
      ]);
      expect(trail.events.at(-1)).toMatchObject({ action: 'view_case', resultCount: 2 });

      // The audited export: analysts may not; a supervisor's VICS reads back to the list's entries.
      const url = '/v1/hash-lists/police-confirmed/export';
      const refused = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: await bearer('analyst', 'a') },
      });
      expect(refused.statusCode).toBe(403);
      const exported = await app.inject({
        method: 'GET',
        url: `${url}?format=vics`,
        headers: { authorization: await bearer('supervisor', 'supervisor-1') },
      });
      expect(exported.statusCode, exported.body).toBe(200);
      expect(trail.events.at(-1)).toMatchObject({ action: 'export', resultCount: 8 });
      const reader = await readHashList(
        (async function* () {
          yield Buffer.from(exported.body);
        })(),
      );
      const read: { hashType: string; value: string; category: number | null; mediaId: string | null }[] = [];
      for await (const item of reader.items) if (item.kind === 'entry') read.push(item.entry);
      const onTopic = await readListEntries(kafka.connection, 'police-confirmed');
      const core = (entry: (typeof read)[number]) =>
        `${entry.hashType}:${entry.value}:${entry.category}:${entry.mediaId}`;
      expect(read.map(core).sort()).toEqual(onTopic.map(core).sort());
      const csv = await app.inject({
        method: 'GET',
        url: `${url}?format=csv`,
        headers: { authorization: await bearer('auditor', 'auditor-1') },
      });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.body.split('\n')[0]).toBe('hash,type,category,label');

      // Withdrawn: the confirmer takes it back, the list tombstones the item's four entries.
      const withdraw = await act(first, 'analyst', 'analyst-2', {
        action: 'withdraw',
        reason: 'invented reason',
      });
      expect(withdraw.statusCode, withdraw.body).toBe(202);
      await vi.waitFor(() => expect(writer.version).toBe(3), { timeout: 20_000 });
      const after = latestByKey(await kafka.readTopic(pipelineTopics.hashsets.name, 12));
      for (const key of keysOf(first)) expect(after.get(key), key).toBeNull();
      for (const key of keysOf(second)) expect(after.get(key), key).toMatchObject({ category: 2 });
    } finally {
      await app.close();
      await Promise.all([categories.close(), writer.close()]);
      await producer.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

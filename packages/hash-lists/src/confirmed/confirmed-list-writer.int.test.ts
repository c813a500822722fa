// The confirmed list's writer on the real broker: confirmed items' four hashes on hashsets.v1
// under the next version, a withdrawal's tombstones, a restart that writes nothing, and an import
// of the same list fencing it. The ledger lies on disk: the restart resumes it from its checkpoint.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@triage/logging';
import { createRecordProducer, pipelineTopics } from '@triage/messaging';
import { kafkaTest, type ReadRecord } from '@triage/messaging/testing/fixtures';
import { createCodec, type KnownHash, type TriageAction } from '@triage/schemas';
import { describe, expect, vi } from 'vitest';
import { importHashList } from '../index.ts';
import { ConfirmedListWriter } from './confirmed-list-writer.ts';

const codec = createCodec();
const logger = createLogger({ name: 'confirmed-list-test', level: 'silent' });
const hashes = { md5: 'a'.repeat(32), sha1: 'b'.repeat(40), sha256: 'c'.repeat(64), pdq: 'd'.repeat(64) };
let at = 1_700_000_000_000;

const action = (
  actionId: string,
  type: TriageAction['type'],
  actor: string,
  payload: Record<string, string>,
): TriageAction => ({
  actionId,
  reportId: 'partner-a:1',
  reportVersion: 1,
  actor,
  role: 'analyst',
  type,
  payload,
  at: at++,
  requestId: null,
});

function latestByKey(records: readonly ReadRecord[]): Map<string, KnownHash | null> {
  const latest = new Map<string, KnownHash | null>();
  for (const record of records) {
    latest.set(record.key, record.value === null ? null : codec.decode('KnownHash', record.value));
  }
  return latest;
}

describe('ConfirmedListWriter', () => {
  kafkaTest(
    'given a confirmation then a withdrawal, then four entries at version 1, then their tombstones at version 2; a restart writes nothing',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.hashsets, pipelineTopics.triageActions]);
      const producer = createRecordProducer(kafka.connection, 'test-actions');
      const send = (...actions: TriageAction[]) =>
        producer.send(
          actions.map((value) => ({
            topic: kafka.topic(pipelineTopics.triageActions.name),
            key: value.reportId,
            value: codec.encode('TriageAction', value),
          })),
        );
      const stateDir = await mkdtemp(join(tmpdir(), 'confirmed-writer-'));
      try {
        await send(
          action('a-1', 'categorise', 'analyst-1', { itemId: 'i-1', category: '1', ...hashes }),
          // Refused by the rules (own call): it must not count.
          action('a-2', 'confirmCategory', 'analyst-1', { itemId: 'i-1', category: '1' }),
          action('a-3', 'categorise', 'analyst-1', { itemId: 'i-2', category: '2', md5: 'e'.repeat(32) }),
        );
        const writer = new ConfirmedListWriter({
          connection: kafka.connection,
          logger,
          clock: () => 5,
          stateDir,
        });
        await writer.start();
        expect(writer.version).toBe(0);

        await send(action('a-4', 'confirmCategory', 'analyst-2', { itemId: 'i-1', category: '1' }));
        await vi.waitFor(() => expect(writer.version).toBe(1), { timeout: 15_000 });
        const first = latestByKey(await kafka.readTopic(pipelineTopics.hashsets.name, 4));
        expect([...first.keys()].sort()).toEqual([
          `police-confirmed:MD5:${hashes.md5}`,
          `police-confirmed:PDQ:${hashes.pdq}`,
          `police-confirmed:SHA1:${hashes.sha1}`,
          `police-confirmed:SHA256:${hashes.sha256}`,
        ]);
        for (const entry of first.values()) {
          expect(entry).toMatchObject({
            listName: 'police-confirmed',
            listVersion: '1',
            category: 1,
            categoryLabel: 'child abuse material',
            source: 'triage-confirmed',
            mediaId: hashes.sha256,
          });
        }

        await send(
          action('a-5', 'withdrawCategory', 'analyst-2', { itemId: 'i-1', reason: 'invented reason' }),
        );
        await vi.waitFor(() => expect(writer.version).toBe(2), { timeout: 15_000 });
        const second = latestByKey(await kafka.readTopic(pipelineTopics.hashsets.name, 8));
        expect([...second.values()]).toEqual([null, null, null, null]);
        await writer.close();

        // A restart derives the same list from the two logs: nothing to write, the version kept.
        const restarted = new ConfirmedListWriter({ connection: kafka.connection, logger, stateDir });
        await restarted.start();
        expect(restarted.version).toBe(2);

        // An import of the same list takes the list's transactional id: the writer is fenced, and
        // its next write fails instead of racing the import.
        const file = join(tmpdir(), `confirmed-${Date.now()}.csv`);
        await writeFile(file, `hash,type,category\n${'f'.repeat(32)},MD5,1\n`);
        await importHashList({ file, list: 'police-confirmed', mode: 'merge', connection: kafka.connection });
        await send(action('a-6', 'categorise', 'analyst-3', { itemId: 'i-1', category: '3', ...hashes }));
        await send(action('a-7', 'confirmCategory', 'analyst-4', { itemId: 'i-1', category: '3' }));
        await expect(restarted.failed).rejects.toThrow();
        expect(restarted.version).toBe(2);
        await restarted.close();
      } finally {
        await producer.close();
        await rm(stateDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

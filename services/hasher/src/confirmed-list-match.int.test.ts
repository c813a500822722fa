// Confirmed content flows back into matching: two analysts confirm a synthetic image's category,
// the confirmed list's writer puts its hashes on hashsets.v1, and the hasher then matches a later
// exact copy (MD5, SHA-1, SHA-256) and a later resized copy (PDQ) of it, and nothing else.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from '@triage/content-store';
import { ConfirmedListWriter } from '@triage/hash-lists';
import { hashMedia } from '@triage/hashing';
import { createLogger } from '@triage/logging';
import { allTopics, createRecordProducer, deployedTopic, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, type HashedItem, type Item, type TriageAction } from '@triage/schemas';
import { nearDuplicateEdits, syntheticImage } from '@triage/testkit';
import { expect, vi } from 'vitest';
import { createHasherService } from './hasher-service.ts';
import { createPooledMediaHasher } from './media-hasher.ts';

const codec = createCodec();
const logger = createLogger({ name: 'confirmed-match-test', level: 'warn' });
const encryption = { keys: new Map([['test-2026', randomBytes(32)]]), writeKeyId: 'test-2026' };
const at = Date.UTC(2026, 9, 1);

const fileItem = (reportId: string, sha256: string): Item =>
  codec.decode(
    'Item',
    codec.encode('Item', {
      itemId: `${reportId}/file-0`,
      reportId,
      reportVersion: 1,
      partnerId: 'tipline-test',
      bundleId: `bundle-${reportId}`,
      receivedAt: at,
      kind: 'file',
      itemIndex: 0,
      itemCount: 1,
      fileId: 'file-0',
      sha256,
    }),
  );

const action = (
  actionId: string,
  type: TriageAction['type'],
  actor: string,
  payload: Record<string, string>,
) => ({
  actionId,
  reportId: 'tipline-test:1',
  reportVersion: 1,
  actor,
  role: 'analyst' as const,
  type,
  payload: { itemId: 'tipline-test:1/file-0', ...payload },
  at,
  requestId: null,
});

kafkaTest(
  'given a confirmed image on the list, then a later exact copy and a later resized copy match it, an unrelated image does not',
  async ({ kafka }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'confirmed-match-'));
    const producer = createRecordProducer(kafka.connection, 'test-feed');
    const writer = new ConfirmedListWriter({ connection: kafka.connection, logger });
    let service: ReturnType<typeof createHasherService> | undefined;
    try {
      await kafka.createTopics(allTopics);
      const store = new ContentStore({ root, encryption });
      const original = await syntheticImage(61);
      const put = async (bytes: Buffer) => (await store.put(Readable.from([bytes]))).sha256;
      const [resized, unrelated] = [
        await put(await nearDuplicateEdits.resize(original)),
        await put(await syntheticImage(62)),
      ];
      const originalSha = await put(original);
      const hashes = await hashMedia(await store.open(originalSha));

      // Two analysts: the first categorises (with the hashes the pipeline computed), a second confirms.
      await producer.send(
        [
          action('a-1', 'categorise', 'analyst-1', {
            category: '1',
            md5: hashes.md5,
            sha1: hashes.sha1,
            sha256: hashes.sha256,
            pdq: hashes.pdq!,
          }),
          action('a-2', 'confirmCategory', 'analyst-2', { category: '1' }),
        ].map((value) => ({
          topic: deployedTopic(kafka.connection, pipelineTopics.triageActions.name),
          key: value.reportId,
          value: codec.encode('TriageAction', value),
        })),
      );
      await writer.start();
      expect(writer.version).toBe(1);

      service = createHasherService({
        connection: kafka.connection,
        codec,
        mediaHasher: createPooledMediaHasher({
          contentStore: { root, encryption },
          maxPixels: 50_000_000,
          threads: 1,
        }),
        logger,
        hasherGroupId: 'hasher-confirmed',
        dedupeGroupId: 'dedupe-confirmed',
        pdqMatchDistance: 31,
        pdqMinQuality: 50,
        stateDir: path.join(root, 'hasher-state'),
      });
      await service.start();
      await vi.waitFor(() => expect(service!.knownHashes.size).toBe(4), { timeout: 20_000 });

      const later = [
        fileItem('tipline-test:2', originalSha),
        fileItem('tipline-test:3', resized),
        fileItem('tipline-test:4', unrelated),
      ];
      await producer.send(
        later.map((item) => ({
          topic: deployedTopic(kafka.connection, pipelineTopics.items.name),
          key: item.reportId,
          value: codec.encode('Item', item),
        })),
      );
      const byReport = new Map<string, HashedItem>();
      for (const record of await kafka.readTopic(pipelineTopics.itemsHashed.name, later.length, 60_000)) {
        const hashed = codec.decode('HashedItem', record.value!);
        byReport.set(hashed.item.reportId, hashed);
      }
      const typesOf = (reportId: string) =>
        byReport
          .get(reportId)!
          .matches.filter((match) => match.listName === 'police-confirmed')
          .map((match) => match.hashType)
          .sort();
      expect(typesOf('tipline-test:2')).toEqual(['MD5', 'PDQ', 'SHA1', 'SHA256']);
      expect(typesOf('tipline-test:3')).toEqual(['PDQ']);
      expect(byReport.get('tipline-test:3')!.matches[0]).toMatchObject({
        listName: 'police-confirmed',
        listVersion: '1',
        category: 1,
      });
      expect(byReport.get('tipline-test:4')!.matches).toEqual([]);
    } finally {
      await service?.stop();
      await writer.close();
      await producer.close();
      await rm(root, { recursive: true, force: true });
    }
  },
  120_000,
);

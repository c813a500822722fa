import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@triage/logging';
import { createRecordProducer, openLmdbStore, pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { type BundleStatus, createCodec, recordExamples } from '@triage/schemas';
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { ReceiptBook } from './receipt-book.ts';
import { receiptTableNames } from './receipt-rows.ts';

const logger = createLogger({ name: 'receipt-book-test', level: 'silent' });
const codec = createCodec();
const receivedAt = Date.parse('2026-12-05T10:00:00Z');

function receipt(index: number, version = 1): BundleStatus {
  return {
    ...recordExamples.BundleStatus,
    bundleId: `bundle-${index}`,
    partnerId: 'hotline-test',
    partnerBundleRef: `ref-${index}`,
    stage: 'received',
    receivedAt,
    byteCount: 100,
    reports: [{ ...recordExamples.BundleStatus.reports[0]!, reportId: `hotline-test:${index}`, version }],
  };
}

describe('receipt book on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'receipt-book-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const publish = async (kafka: KafkaFixture, receipts: BundleStatus[]) => {
    const producer = createRecordProducer(kafka.connection, 'status-writer');
    await producer.send(
      receipts.map((value) => ({
        topic: kafka.topic(pipelineTopics.bundleStatus.name),
        key: value.bundleId,
        value: codec.encode('BundleStatus', value),
      })),
    );
    await producer.close();
  };
  const book = (kafka: KafkaFixture) =>
    new ReceiptBook({
      connection: kafka.connection,
      topic: kafka.topic(pipelineTopics.bundleStatus.name),
      codec,
      logger,
      dir,
      batchSize: 7,
    });
  const storePath = (kafka: KafkaFixture) => path.join(dir, kafka.topic(pipelineTopics.bundleStatus.name));
  /**
   * A row the topic never held, and bundle-5's receipt changed behind the topic's back: both
   * survive a restart only if the store was reused and the topic was read from the checkpoint.
   */
  const plantMarker = async (kafka: KafkaFixture) => {
    const store = await openLmdbStore({
      path: storePath(kafka),
      tables: receiptTableNames,
      format: 'receipts-1',
      logger,
    });
    store.writeSync(() => {
      store.table('receipts').put('marker', receipt(999));
      store.table('receipts').put('bundle-5', { ...receipt(5), partnerBundleRef: 'planted' });
    });
    await store.close();
  };

  kafkaTest(
    'given a store at a checkpoint, when intake restarts, then it reads only the tail and keeps its answers',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.bundleStatus]);
      await publish(
        kafka,
        Array.from({ length: 20 }, (_, index) => receipt(index)),
      );
      const first = book(kafka);
      await first.start();
      expect(first.ready).toBe(true);
      expect(first.receipt('bundle-19')?.partnerBundleRef).toBe('ref-19');
      expect(first.usage('hotline-test', receivedAt)).toEqual({ bundles: 20, reports: 20, bytes: 2_000 });
      // A receipt this instance published, applied before the table reads it back: counted once.
      const own = receipt(20);
      await publish(kafka, [own]);
      first.recordAll([own]);
      await first.close();

      await plantMarker(kafka);
      await publish(kafka, [receipt(3, 2), receipt(21)]);
      const second = book(kafka);
      await second.start();
      // The planted rows survive: the store was reused and only the tail was read on top of it.
      expect(second.receipt('marker')).toBeDefined();
      expect(second.receipt('bundle-5')?.partnerBundleRef).toBe('planted');
      expect(second.receipt('bundle-21')).toBeDefined();
      expect(second.latestVersion('hotline-test:3')).toBe(2);
      // 20 + the one recorded (once, though also read back) + bundle-21; bundle-3's new receipt replaces its old one.
      expect(second.usage('hotline-test', receivedAt)).toEqual({ bundles: 22, reports: 22, bytes: 2_200 });
      await second.close();
    },
  );

  kafkaTest.for([
    ['missing', async (folder: string) => rm(folder, { recursive: true, force: true })],
    [
      'damaged',
      async (folder: string) => writeFile(path.join(folder, 'data.mdb'), Buffer.alloc(64 * 1024, 0x5a)),
    ],
  ] as const)(
    'given a %s store, when intake restarts, then it is rebuilt from the whole topic',
    async ([, damage], { kafka }) => {
      await kafka.createTopics([pipelineTopics.bundleStatus]);
      await publish(
        kafka,
        Array.from({ length: 15 }, (_, index) => receipt(index)),
      );
      const first = book(kafka);
      await first.start();
      await first.close();
      await plantMarker(kafka);
      await damage(storePath(kafka));

      const second = book(kafka);
      await second.start();
      expect(second.receipt('marker')).toBeUndefined();
      expect(second.receipt('bundle-5')?.partnerBundleRef).toBe('ref-5');
      expect(second.receipt('bundle-14')?.partnerBundleRef).toBe('ref-14');
      expect(second.usage('hotline-test', receivedAt).bundles).toBe(15);
      await second.close();
    },
  );

  kafkaTest(
    'given a store ahead of the topic (the topic was recreated), when intake starts, then it rebuilds',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.bundleStatus]);
      await publish(kafka, [receipt(1)]);
      const store = await openLmdbStore({
        path: storePath(kafka),
        tables: receiptTableNames,
        format: 'receipts-1',
        logger,
      });
      await store.write(() => store.table('receipts').put('marker', receipt(999)), {
        source: kafka.topic(pipelineTopics.bundleStatus.name),
        offsets: new Map([[0, 1_000n]]),
      });
      await store.close();
      const reader = book(kafka);
      await reader.start();
      expect(reader.receipt('marker')).toBeUndefined();
      expect(reader.receipt('bundle-1')).toBeDefined();
      await reader.close();
    },
  );
});

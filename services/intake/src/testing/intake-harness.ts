// Test support: an intake app on the real broker with a temp content store and partners file.

import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BundleLimits, defaultBundleLimits } from '@triage/bundles';
import { ContentStore } from '@triage/content-store';
import { createLogger } from '@triage/logging';
import {
  createTransactionalProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
  type RecordProducer,
} from '@triage/messaging';
import { committedRecordCount } from '@triage/messaging/testing';
import { createPartnerKey, type PartnersFile, writePartnersFile } from '@triage/partners';
import { createCodec } from '@triage/schemas';
import { buildApp } from '../app.ts';
import { ZipSpool } from '../bundles/zip-spool.ts';
import { intakeTransactionalId } from '../intake-deps.ts';
import { PartnerDirectory } from '../partners/partner-directory.ts';
import { KeyedSerialQueue } from '../pipeline/keyed-serial-queue.ts';
import { PipelineGate } from '../pipeline/pipeline-gate.ts';
import { ReceiptBook } from '../pipeline/receipt-book.ts';
import { StagingSpace } from '../pipeline/staging-space.ts';
import type { UnpublishedMedia } from '../pipeline/unpublished-media.ts';
import { UploadSlots } from '../pipeline/upload-slots.ts';

export const codec = createCodec();
export const testLogger = createLogger({ name: 'intake-test', level: 'warn' });
const ncmecDir = new URL('../../../../../shared/data/ncmec/', import.meta.url);

export async function ncmecDocument(name: string): Promise<Buffer> {
  return readFile(new URL(name, ncmecDir));
}

/** Keys of the test partners: `hotline` has two active keys and an expired one; `platform` a slow rate limit. */
interface TestKeys {
  hotline: string;
  hotlineSecond: string;
  hotlineExpired: string;
  platform: string;
}

export interface IntakeHarness {
  app: Awaited<ReturnType<typeof buildApp>>;
  keys: TestKeys;
  root: string;
  partnersFile: string;
  partners: PartnerDirectory;
  receipts: ReceiptBook;
  gate: PipelineGate;
  store: ContentStore;
  topics: { bundles: string; status: string };
  /** Another app on the same clients with other limits, Kafka connection or producer. */
  variant(options: VariantOptions): Promise<Awaited<ReturnType<typeof buildApp>>>;
  /** Files in the content store (stored and staged) and the spool folder. */
  storedFiles(): Promise<string[]>;
  /** Sum of the end offsets of the bundles and status topics. */
  publishedCount(): Promise<{ bundles: bigint; status: bigint }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  limits?: Partial<BundleLimits>;
  maxPendingBundles?: number;
  /** Rate limit of the `platform` partner. */
  platformRateLimit?: { max: number; timeWindow: number };
}

interface VariantOptions {
  limits?: Partial<BundleLimits>;
  bodyIdleTimeoutMs?: number;
  recordMaxBytes?: number;
  receipts?: ReceiptBook;
  producer?: RecordProducer;
  gate?: PipelineGate;
  unpublished?: UnpublishedMedia;
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

export async function startIntake(
  connection: KafkaConnection,
  options: HarnessOptions = {},
): Promise<IntakeHarness> {
  const root = await mkdtemp(path.join(tmpdir(), 'intake-test-'));
  const topics = {
    bundles: deployedTopic(connection, pipelineTopics.bundles.name),
    status: deployedTopic(connection, pipelineTopics.bundleStatus.name),
  };
  const made = {
    hotline: createPartnerKey(),
    hotlineSecond: createPartnerKey(),
    hotlineExpired: createPartnerKey(),
    platform: createPartnerKey(),
  };
  const partnersFile = path.join(root, 'partners.json');
  const content: PartnersFile = {
    partners: [
      {
        partnerId: 'hotline-test',
        keys: [
          { id: 'k1', sha256: made.hotline.sha256 },
          { id: 'k2', sha256: made.hotlineSecond.sha256, notAfter: '2999-01-01T00:00:00Z' },
          { id: 'k0', sha256: made.hotlineExpired.sha256, notAfter: '2020-01-01T00:00:00Z' },
        ],
        rateLimit: { max: 1_000, timeWindow: 60_000 },
      },
      {
        partnerId: 'platform-test',
        keys: [{ id: 'p1', sha256: made.platform.sha256 }],
        rateLimit: options.platformRateLimit ?? { max: 1_000, timeWindow: 60_000 },
      },
    ],
  };
  await writePartnersFile(partnersFile, content);
  const partners = await PartnerDirectory.open({ file: partnersFile, logger: testLogger, pollIntervalMs: 0 });
  const store = new ContentStore({ root: path.join(root, 'content') });
  const receipts = new ReceiptBook({
    connection,
    topic: topics.status,
    codec,
    logger: testLogger,
    dir: path.join(root, 'receipts'),
  });
  await receipts.start();
  const gate = new PipelineGate({
    connection,
    bundlesTopic: topics.bundles,
    splitterGroupId: 'splitter-test',
    maxPendingBundles: options.maxPendingBundles ?? 1_000,
    checkIntervalMs: 600_000,
    logger: testLogger,
  });
  await gate.start();
  // As intake runs: bundle and receipt in one transaction.
  const producer = createTransactionalProducer(connection, 'intake-test', {
    transactionalId: intakeTransactionalId(connection, `test-${randomUUID()}`),
    deliveryTimeoutMs: 5_000,
  });
  const apps: { close(): Promise<unknown> }[] = [];
  const build = async (variant: VariantOptions) => {
    const app = await buildApp({
      logger: testLogger,
      partners,
      store,
      gate: variant.gate ?? gate,
      receipts: variant.receipts ?? receipts,
      producer: variant.producer ?? producer,
      ...(variant.recordMaxBytes === undefined ? {} : { recordMaxBytes: variant.recordMaxBytes }),
      ...(variant.unpublished === undefined ? {} : { unpublished: variant.unpublished }),
      ...(variant.bodyIdleTimeoutMs === undefined
        ? {}
        : { uploadPace: { idleMs: variant.bodyIdleTimeoutMs } }),
      codec,
      topics,
      limits: { ...defaultBundleLimits, ...options.limits, ...variant.limits },
      // Spooled from the first byte: the tests look at spool files (the in-memory path: zip-spool.int.test.ts).
      spool: new ZipSpool({ dir: path.join(root, 'spool'), encrypt: store.encrypted, memoryBytes: 0 }),
      uploads: new UploadSlots({ maxPerPartner: 1_000 }),
      staging: new StagingSpace({ folders: [root], minFreeBytes: 0 }),
      queue: new KeyedSerialQueue(),
      clock: Date.now,
    });
    apps.push(app);
    return app;
  };
  const app = await build({});
  return {
    app,
    keys: {
      hotline: made.hotline.key,
      hotlineSecond: made.hotlineSecond.key,
      hotlineExpired: made.hotlineExpired.key,
      platform: made.platform.key,
    },
    root,
    partnersFile,
    partners,
    receipts,
    gate,
    store,
    topics,
    variant: build,
    storedFiles: async () => [
      ...(await listFiles(path.join(root, 'content'))),
      ...(await listFiles(path.join(root, 'spool'))),
    ],
    publishedCount: async () => ({
      bundles: await committedRecordCount(connection, topics.bundles),
      status: await committedRecordCount(connection, topics.status),
    }),
    async close() {
      for (const built of apps) await built.close();
      await Promise.all([producer.close(), receipts.close(), gate.close()]);
      partners.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body for `inject`. */
export function multipartBody(parts: readonly MultipartPart[]): { payload: Buffer; contentType: string } {
  const boundary = '----triage-test-boundary-7d1c';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n` +
          `${part.contentType === undefined ? '' : `Content-Type: ${part.contentType}\r\n`}\r\n`,
      ),
      Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The smallest valid JSON bundle, with overrides. */
export function jsonBundle(bundleRef: string, reports: object[] = [minimalReport('100234')]): Buffer {
  return Buffer.from(JSON.stringify({ bundleRef, reports }));
}

export function minimalReport(reportId: string, extra: object = {}): object {
  return {
    reportId,
    incidentType: 'Online Enticement of Children for Sexual Acts',
    incidentDateTime: '2026-11-20T21:14:00Z',
    reporter: { companyName: 'Example Social', espService: 'Photos' },
    internetDetails: [{ type: 'webPage', urls: ['https://host.example/page'] }],
    ...extra,
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

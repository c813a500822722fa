// `pnpm openapi:generate` writes docs/openapi/intake.json from the route schemas;
// `pnpm openapi:check` fails when the committed document is stale.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultBundleLimits } from '@triage/bundles';
import { ContentStore } from '@triage/content-store';
import { createLogger } from '@triage/logging';
import type { RecordProducer } from '@triage/messaging';
import { createCodec } from '@triage/schemas';
import { buildApp } from '../app.ts';
import { ZipSpool } from '../bundles/zip-spool.ts';
import { PartnerDirectory } from '../partners/partner-directory.ts';
import { KeyedSerialQueue } from '../pipeline/keyed-serial-queue.ts';
import { PipelineGate } from '../pipeline/pipeline-gate.ts';
import { ReceiptBook } from '../pipeline/receipt-book.ts';
import { StagingSpace } from '../pipeline/staging-space.ts';
import { UploadSlots } from '../pipeline/upload-slots.ts';
import { TakedownBook } from '../takedowns/takedown-book.ts';

const documentPath = new URL('../../../../docs/openapi/intake.json', import.meta.url);

/** The OpenAPI document of an app that is built but never started: no Kafka, no partners. */
async function renderOpenapi(): Promise<string> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'intake-openapi-'));
  const logger = createLogger({ name: 'intake-openapi', level: 'silent' });
  const connection = { brokers: ['127.0.0.1:9'], clientId: 'intake-openapi' };
  const codec = createCodec();
  const gate = new PipelineGate({
    connection,
    bundlesTopic: 'unused',
    splitterGroupId: 'unused',
    maxPendingBundles: 0,
    checkIntervalMs: 60_000,
    logger,
  });
  const unusedProducer: RecordProducer = { send: async () => undefined, close: async () => undefined };
  await writeFile(path.join(scratch, 'partners.json'), '{"partners":[]}\n');
  const partners = await PartnerDirectory.open({
    file: path.join(scratch, 'partners.json'),
    logger,
    pollIntervalMs: 0,
  });
  try {
    const app = await buildApp({
      logger,
      partners,
      store: new ContentStore({ root: scratch }),
      gate,
      receipts: new ReceiptBook({ connection, topic: 'unused', codec, logger, dir: 'unused' }),
      producer: unusedProducer,
      codec,
      topics: { bundles: 'unused', status: 'unused' },
      limits: defaultBundleLimits,
      spool: new ZipSpool({ dir: scratch, encrypt: false, memoryBytes: 0 }),
      uploads: new UploadSlots({ maxPerPartner: 1 }),
      staging: new StagingSpace({ folders: [scratch], minFreeBytes: 0 }),
      queue: new KeyedSerialQueue(),
      clock: Date.now,
      takedowns: {
        book: new TakedownBook({ connection, topic: 'unused', codec, logger, dir: 'unused' }),
        topic: 'unused',
      },
    });
    await app.ready();
    const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
    await app.close();
    return document;
  } finally {
    partners.close();
    await gate.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

const document = await renderOpenapi();
if (process.argv.includes('--check')) {
  const current = await readFile(documentPath, 'utf8').catch(() => '');
  if (current !== document) {
    console.error('docs/openapi/intake.json is stale: run `pnpm openapi:generate`');
    process.exitCode = 1;
  }
} else {
  await writeFile(documentPath, document);
  console.error('wrote docs/openapi/intake.json');
}

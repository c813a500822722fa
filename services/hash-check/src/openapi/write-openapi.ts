// `pnpm hash-check-openapi:generate` writes docs/openapi/hash-check.json from the route schemas;
// `pnpm hash-check-openapi:check` fails when the committed document is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { TriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import { buildApp } from '../app.ts';
import { hashCheckEnv } from '../config.ts';
import { DailyHashQuota } from '../policy/daily-quota.ts';
import { ProbeDetector } from '../policy/probe-detector.ts';

const documentPath = new URL('../../../../docs/openapi/hash-check.json', import.meta.url);

/** The OpenAPI document of an app that is built but never started: no Kafka, no hosters. */
async function renderOpenapi(): Promise<string> {
  const refuse = () => {
    throw new TriageError('TRIAGE_AUTH_REQUIRED', 'not serving');
  };
  const app = await buildApp({
    logger: createLogger({ name: 'hash-check-openapi', level: 'silent' }),
    hosters: { authenticate: refuse },
    lists: { lookup: () => [], ready: () => false },
    audit: { record: async () => undefined },
    detector: new ProbeDetector({ nearBits: 8, maxBoundaryPairs: 16, windowMs: 60_000, cooldownMs: 60_000 }),
    quota: new DailyHashQuota(),
    // The documented limits are the defaults of the configuration.
    limits: {
      maxBatch: hashCheckEnv.HASH_CHECK_MAX_BATCH.parse(undefined),
      maxPdqDistance: hashCheckEnv.HASH_CHECK_MAX_PDQ_DISTANCE.parse(undefined),
    },
    answerFloorMs: 0,
    clock: Date.now,
  });
  await app.ready();
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  return document;
}

const document = await renderOpenapi();
if (process.argv.includes('--check')) {
  const current = await readFile(documentPath, 'utf8').catch(() => '');
  if (current !== document) {
    console.error('docs/openapi/hash-check.json is stale: run `pnpm hash-check-openapi:generate`');
    process.exitCode = 1;
  }
} else {
  await writeFile(documentPath, document);
  console.error('wrote docs/openapi/hash-check.json');
}

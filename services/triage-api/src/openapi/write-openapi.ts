// `pnpm triage-openapi:generate` writes docs/openapi/triage.json from the route schemas;
// `pnpm triage-openapi:check` fails when the committed document is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { createLogger } from '@triage/logging';
import { createSearchClient } from '@triage/search';
import { ActionLog } from '../actions/action-log.ts';
import { ledgerBook } from '../actions/category-book.ts';
import { buildApp } from '../app.ts';
import { loadTriageApiConfig, mediaDepsFromConfig } from '../config.ts';

const documentPath = new URL('../../../../docs/openapi/triage.json', import.meta.url);

/** The OpenAPI document of an app that is built but never started: no keys, no Elasticsearch. */
async function renderOpenapi(): Promise<string> {
  const app = await buildApp({
    logger: createLogger({ name: 'triage-openapi', level: 'silent' }),
    verifyToken: async () => {
      throw new Error('the OpenAPI build verifies no token');
    },
    keysReady: async () => false,
    kafkaReady: async () => false,
    trail: {
      record: async () => {
        throw new Error('the OpenAPI build audits nothing');
      },
    },
    actions: new ActionLog({
      producer: {
        send: async () => {
          throw new Error('the OpenAPI build writes no action');
        },
        close: async () => {},
      },
      topic: 'triage.actions.v1',
    }),
    // A client that is never asked anything: building the routes contacts no server.
    search: { client: createSearchClient({ url: 'http://127.0.0.1:9' }), prefix: '' },
    // A store that is never opened, with the default limits.
    media: mediaDepsFromConfig(loadTriageApiConfig({}), {
      size: async () => {
        throw new Error('the OpenAPI build reads no media');
      },
      open: async () => {
        throw new Error('the OpenAPI build reads no media');
      },
    }),
    // The category routes and the list export, documented; nothing is folded or read here.
    categories: ledgerBook(),
    listEntries: async () => {
      throw new Error('the OpenAPI build reads no list');
    },
    // The development login is documented as the local issuer serves it; no token is signed here.
    devLogin: { dir: '/nonexistent/the-openapi-build-signs-no-token' },
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
    console.error('docs/openapi/triage.json is stale: run `pnpm triage-openapi:generate`');
    process.exitCode = 1;
  }
} else {
  await writeFile(documentPath, document);
  console.error('wrote docs/openapi/triage.json');
}

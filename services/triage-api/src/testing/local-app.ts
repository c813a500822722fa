// The triage API as main.ts builds it from its configuration (the local issuer's keys in a test's
// folder), with the audit and the actions in memory, on a test file's own (empty) indices. Tests only.
import type { Env } from '@triage/config';
import type { Logger } from '@triage/logging';
import { createSearchClient, indexPrefix, type SearchClient } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { buildApp } from '../app.ts';
import type { AuditRecorder } from '../audit/audited.ts';
import { createTriageApiAuth } from '../auth-deps.ts';
import { loadTriageApiConfig } from '../config.ts';
import type { SearchDeps } from '../search/case-store.ts';
import { memoryActionLog } from './action-fixtures.ts';
import { seedCases } from './read-fixtures.ts';

export interface LocalAppOptions {
  /** Folder of the local issuer's keys (TRIAGE_AUTH_LOCAL_DIR). */
  dir: string;
  search: SearchDeps;
  trail: AuditRecorder;
  logger: Logger;
  /** More configuration (a JWKS URL, TRIAGE_API_DEV_LOGIN...). */
  env?: Env;
}

/** Built and ready; the caller closes it. */
export async function localApp(options: LocalAppOptions) {
  const config = loadTriageApiConfig({ TRIAGE_AUTH_LOCAL_DIR: options.dir, ...options.env });
  const app = await buildApp({
    logger: options.logger,
    ...(await createTriageApiAuth(config, options.logger)),
    kafkaReady: async () => true,
    trail: options.trail,
    actions: memoryActionLog().log,
    search: options.search,
  });
  await app.ready();
  return app;
}

export interface TestIndices extends SearchDeps {
  client: SearchClient;
  /** Deletes the indices and closes the client. */
  drop(): Promise<void>;
}

/** Every search index, empty, under a prefix of this test file's own (`tag` + pid + time). */
export async function testIndices(tag: string): Promise<TestIndices> {
  const prefix = indexPrefix(`${tag}${process.pid}x${Date.now().toString(36)}.`);
  const client = createSearchClient({ url: elasticsearchUrl });
  await seedCases(client, prefix, []);
  return {
    client,
    prefix,
    async drop() {
      await deletePrefixedIndices(client, prefix);
      await client.close();
    },
  };
}

// The triage API as main.ts builds it from its configuration (the local issuer's keys in a test's
// folder), with the audit and the actions in memory, on a test file's own (empty) indices. Tests only.
import type { Env } from '@triage/config';
import { createLogger } from '@triage/logging';
import { createSearchClient, indexPrefix, type SearchClient } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { buildApp, type TriageApiDeps } from '../app.ts';
import { createTriageApiAuth } from '../auth-deps.ts';
import { loadTriageApiConfig } from '../config.ts';
import type { SearchDeps } from '../search/case-store.ts';
import { memoryActionLog } from './action-fixtures.ts';
import { memoryRecorder, seedCases } from './read-fixtures.ts';

/** The search deployment, and any dependency the test wants to see or break; the rest stands in. */
export type LocalAppOptions = Pick<TriageApiDeps, 'search'> &
  Partial<Omit<TriageApiDeps, 'search' | 'verifyToken' | 'keysReady'>> & {
    /** Folder of the local issuer's keys (TRIAGE_AUTH_LOCAL_DIR). */
    dir: string;
    /** More configuration (a JWKS URL, TRIAGE_API_DEV_LOGIN...). */
    env?: Env;
  };

export type LocalApp = Awaited<ReturnType<typeof buildApp>>;

/**
 * Built and ready; the caller closes it. Unless given: a silent logger, Kafka ready, an audit
 * trail and an action log in memory.
 */
export async function localApp(options: LocalAppOptions): Promise<LocalApp> {
  const { dir, env, ...deps } = options;
  const logger = deps.logger ?? createLogger({ name: 'triage-api-test', level: 'silent' });
  const config = loadTriageApiConfig({ TRIAGE_AUTH_LOCAL_DIR: dir, ...env });
  const app = await buildApp({
    kafkaReady: async () => true,
    trail: memoryRecorder(),
    actions: memoryActionLog().log,
    ...deps,
    logger,
    ...(await createTriageApiAuth(config, logger)),
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

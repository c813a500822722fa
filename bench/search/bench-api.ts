// The triage API as main.ts builds it, for the search suite: the local development issuer in a
// temp folder, a real AuditTrail (acks=all) on the bench's own audit topic, Elasticsearch through
// the client given (the suite's recording one). Requests go through `inject`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditTrail } from '@triage/audit';
import { signLocalToken } from '@triage/auth';
import { createLogger } from '@triage/logging';
import { createRecordProducer, deployedTopic, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import type { SearchClient } from '@triage/search';
import { loadTriageApiConfig } from '@triage/triage-api/config';
import { buildApp, createTriageApiAuth } from '@triage/triage-api/service';

export interface BenchApi {
  /** GET `url` as an analyst: status and body. */
  get(url: string): Promise<{ statusCode: number; body: string }>;
  close(): Promise<void>;
}

// Errors only: the API warns that it takes local-issuer tokens, which is the point here.
const logger = createLogger({ name: 'bench-search-api', level: 'error' });

/** `connection`: where the API's audit events go (its topics must exist). */
export async function startBenchApi(options: {
  connection: KafkaConnection;
  client: SearchClient;
  prefix: string;
}): Promise<BenchApi> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-search-'));
  const producer = createRecordProducer(options.connection, 'bench-search-audit');
  const app = await buildApp({
    logger,
    ...(await createTriageApiAuth(loadTriageApiConfig({ TRIAGE_AUTH_LOCAL_DIR: dir }), logger)),
    trail: new AuditTrail({
      producer,
      topic: deployedTopic(options.connection, pipelineTopics.audit.name),
      writerId: 'bench-search',
      logger,
    }),
    search: { client: options.client, prefix: options.prefix },
  });
  await app.ready();
  const authorization = `Bearer ${await signLocalToken({ dir, role: 'analyst', sub: 'bench-analyst', ttlSeconds: 3_600 })}`;
  return {
    get: (url) => app.inject({ method: 'GET', url, headers: { authorization } }),
    async close() {
      await app.close();
      await producer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

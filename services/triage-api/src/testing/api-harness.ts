// The triage API as main.ts builds it, on a test's own deployment: the local development issuer
// in a temp folder, a real AuditTrail on the audit topic and a real ActionLog on the actions
// topic (one acks=all producer), Elasticsearch under the test's prefix. Tests only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditTrail } from '@triage/audit';
import { signLocalToken, type UserRole } from '@triage/auth';
import { createLogger } from '@triage/logging';
import {
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
  type RecordProducer,
} from '@triage/messaging';
import { ActionLog } from '../actions/action-log.ts';
import type { AuditRecorder } from '../audit/audited.ts';
import type { SearchDeps } from '../search/case-store.ts';
import { type LocalApp, localApp } from './local-app.ts';

export interface TestApiOptions {
  connection: KafkaConnection;
  search: SearchDeps;
  /** Instead of the real trail (a recorder that refuses, or one that waits). */
  trail?: AuditRecorder;
  /** Instead of the real producer of the actions (one that refuses). */
  actionProducer?: RecordProducer;
  /** TRIAGE_API_HOSTER_REFRESH_MS (0: the hoster routes read Elasticsearch on every request). */
  hosterRefreshMs?: number;
}

export interface TestApi {
  app: LocalApp;
  /** The real trail, when none was given. */
  trail: AuditRecorder;
  /** `Bearer <token>` of the local issuer for `role` (subject `<role>-1` unless given). */
  bearer(role: UserRole, sub?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApi(options: TestApiOptions): Promise<TestApi> {
  const logger = createLogger({ name: 'triage-api-test', level: 'silent' });
  const dir = await mkdtemp(path.join(tmpdir(), 'triage-api-harness-'));
  const producer = createRecordProducer(options.connection, 'test-triage-api');
  const trail =
    options.trail ??
    new AuditTrail({
      producer,
      topic: deployedTopic(options.connection, pipelineTopics.audit.name),
      writerId: 'triage-api-test',
      logger,
    });
  const actions = new ActionLog({
    producer: options.actionProducer ?? producer,
    topic: deployedTopic(options.connection, pipelineTopics.triageActions.name),
  });
  const app = await localApp({
    dir: dir,
    logger,
    trail,
    actions,
    search: options.search,
    hosterRefreshMs: options.hosterRefreshMs,
  });
  return {
    app,
    trail,
    bearer: async (role, sub = `${role}-1`) =>
      `Bearer ${await signLocalToken({ dir, role, sub, ttlSeconds: 300 })}`,
    async close() {
      await app.close();
      await producer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

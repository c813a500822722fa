import { AuditTrail } from '@triage/audit';
import type { Logger } from '@triage/logging';
import { createRecordProducer, deployedTopic, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { createCodec } from '@triage/schemas';
import type { HashCheckAppDeps } from './app.ts';
import type { HashCheckConfig } from './config.ts';
import { HosterDirectory } from './hoster-directory.ts';
import { createKnownLists } from './known-lists.ts';
import { DailyHashQuota } from './policy/daily-quota.ts';
import { ProbeDetector } from './policy/probe-detector.ts';

/** What the service needs of its configuration (main.ts passes the loaded config; tests their own). */
export type HashCheckSettings = Pick<
  HashCheckConfig,
  | 'HASH_CHECK_HOSTERS_FILE'
  | 'HASH_CHECK_MAX_BATCH'
  | 'HASH_CHECK_MAX_PDQ_DISTANCE'
  | 'HASH_CHECK_ANSWER_FLOOR_MS'
  | 'HASH_CHECK_PROBE_NEAR_BITS'
  | 'HASH_CHECK_PROBE_MAX_PAIRS'
  | 'HASH_CHECK_PROBE_WINDOW_MS'
  | 'HASH_CHECK_PROBE_COOLDOWN_MS'
  | 'HASH_CHECK_INSTANCE_ID'
>;

export interface HashCheckClients {
  deps: Omit<HashCheckAppDeps, 'logger' | 'tls'>;
  /** Reads the lists to the end of hashsets.v1 (the service answers 503 until then). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The service's clients: the hosters file, the lists from Kafka, the audit trail, policy state. */
export async function createHashCheckClients(
  settings: HashCheckSettings,
  connection: KafkaConnection,
  logger: Logger,
): Promise<HashCheckClients> {
  const codec = createCodec();
  const hosters = await HosterDirectory.open({ file: settings.HASH_CHECK_HOSTERS_FILE, logger });
  const lists = createKnownLists({
    connection,
    codec,
    logger,
    maxPdqDistance: settings.HASH_CHECK_MAX_PDQ_DISTANCE,
  });
  // acks=all: a batch's audit event is acknowledged by every in-sync replica before the answer.
  const producer = createRecordProducer(connection, 'hash-check-audit');
  const audit = new AuditTrail({
    producer,
    topic: deployedTopic(connection, pipelineTopics.audit.name),
    writerId: settings.HASH_CHECK_INSTANCE_ID,
    logger,
    codec,
  });
  return {
    deps: {
      hosters,
      lists: {
        lookup: (type, value, maxDistance) => lists.index.lookup(type, value, maxDistance),
        ready: () => lists.ready,
      },
      audit,
      detector: new ProbeDetector({
        nearBits: settings.HASH_CHECK_PROBE_NEAR_BITS,
        maxBoundaryPairs: settings.HASH_CHECK_PROBE_MAX_PAIRS,
        windowMs: settings.HASH_CHECK_PROBE_WINDOW_MS,
        cooldownMs: settings.HASH_CHECK_PROBE_COOLDOWN_MS,
      }),
      quota: new DailyHashQuota(),
      limits: {
        maxBatch: settings.HASH_CHECK_MAX_BATCH,
        maxPdqDistance: settings.HASH_CHECK_MAX_PDQ_DISTANCE,
      },
      answerFloorMs: settings.HASH_CHECK_ANSWER_FLOOR_MS,
      clock: Date.now,
    },
    start: () => lists.start(),
    async close() {
      hosters.close();
      await lists.close();
      await producer.close();
    },
  };
}

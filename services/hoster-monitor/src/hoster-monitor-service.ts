import type { NetworkEnricher } from '@triage/enrichment';
import { TriageError } from '@triage/errors';
import { type Attribute, hosterIndices } from '@triage/hoster-figures';
import type { Logger } from '@triage/logging';
import {
  ConsumerRunner,
  createRecordProducer,
  type FailedRecord,
  type FlushResult,
  type InboundRecord,
  type KafkaConnection,
  pipelineTopics,
  type RunnerMetricsSnapshot,
  type StageSnapshot,
} from '@triage/messaging';
import type { Codec, TakedownEvent } from '@triage/schemas';
import {
  classifyBulkItem,
  ensureSearchIndicesWhenReachable,
  indexNames,
  type SearchClient,
  searchError,
} from '@triage/search';
import { type CaseWrite, caseWrites } from './case-writes.ts';

export interface HosterMonitorServiceDeps {
  connection: KafkaConnection;
  codec: Codec;
  logger: Logger;
  client: SearchClient;
  /** Opened by the caller, who also closes it (after `stop`). */
  enricher: NetworkEnricher;
  groupId: string;
  /** Replicas of the indices created at start. */
  replicas: number;
  /** Events per batch (one bulk). Default 1000. */
  maxBatchRecords?: number;
}

export interface HosterMonitorService {
  start(): Promise<void>;
  stop(): Promise<void>;
  metrics(): RunnerMetricsSnapshot & { documentsWritten: number };
  snapshot(): StageSnapshot;
}

/** The hoster of an IP from the offline databases: no DNS, the IP the hotline recorded is the attribution. */
export function attributeWith(enricher: NetworkEnricher): Attribute {
  return (ip) => {
    const answer = enricher.enrichIp(ip, 'takedown', { lookedUpAt: 0 });
    return answer.error !== null
      ? { asn: null, asOrganisation: null, country: null }
      : { asn: answer.asn, asOrganisation: answer.asOrganization, country: answer.countryCode };
  };
}

/**
 * The hoster monitor: one consumer group on takedowns.v1. Each batch's events become one bulk of
 * case documents (partial updates, upserted, by the case's deterministic id) and reappearance
 * documents, written before the batch's offsets are committed. A batch delivered again after a
 * crash writes the same documents (ADR 0017), so the figures read from them are exactly once in
 * effect.
 */
export function createHosterMonitorService(deps: HosterMonitorServiceDeps): HosterMonitorService {
  const { connection, codec, logger, client } = deps;
  const prefix = connection.topicPrefix ?? '';
  const indices = {
    cases: indexNames(prefix, hosterIndices.cases).index,
    reappearances: indexNames(prefix, hosterIndices.reappearances).index,
  };
  const attribute = attributeWith(deps.enricher);
  const abort = new AbortController();
  let documentsWritten = 0;
  let staged: { record: InboundRecord; event: TakedownEvent }[] = [];

  async function flush(): Promise<FlushResult> {
    const batch = staged;
    staged = [];
    if (batch.length === 0) return { outputs: [] };
    const writes = caseWrites(
      batch.map(({ event }) => event),
      attribute,
    );
    const rejected = await bulkWrite(writes);
    documentsWritten += writes.length - rejected.size;
    return { outputs: [], failed: failedRecords(batch, writes, rejected) };
  }

  /** Writes every document; ids Elasticsearch refused for good, with the reason. Throws (retryable) when it could not take them now. */
  async function bulkWrite(writes: readonly CaseWrite[]): Promise<Map<string, string>> {
    const operations = writes.flatMap((write): object[] =>
      write.action === 'update'
        ? [
            { update: { _index: indices.cases, _id: write.id, retry_on_conflict: 3 } },
            { doc: write.fields, doc_as_upsert: true },
          ]
        : [{ index: { _index: indices.reappearances, _id: write.id } }, write.document],
    );
    let response: Awaited<ReturnType<SearchClient['bulk']>>;
    try {
      response = await client.bulk({ operations });
    } catch (error) {
      throw searchError(error, 'write hoster cases');
    }
    const rejected = new Map<string, string>();
    response.items.forEach((item, index) => {
      const result = Object.values(item)[0] as {
        status: number;
        error?: { type?: string; reason?: string | null };
      };
      const outcome = classifyBulkItem(result, { immutable: false });
      if (outcome.kind === 'reject') rejected.set((writes[index] as CaseWrite).id, outcome.reason);
      else if (outcome.kind !== 'ok') {
        // 429 or 5xx: the whole batch again (the writes are idempotent).
        throw new TriageError(
          'TRIAGE_ELASTICSEARCH_UNAVAILABLE',
          'Elasticsearch could not take a hoster case now',
          {
            retryable: true,
          },
        );
      }
    });
    return rejected;
  }

  const producer = createRecordProducer(connection, 'hoster-monitor');
  const runner = new ConsumerRunner({
    stage: 'hoster-monitor',
    connection,
    groupId: deps.groupId,
    input: pipelineTopics.takedowns,
    producer,
    logger,
    codec,
    maxBatchRecords: deps.maxBatchRecords ?? 1_000,
    handle(record) {
      if (record.value === null) {
        throw new TriageError('TRIAGE_RECORD_INVALID', `${record.topic}: a takedown record without a value`);
      }
      staged.push({ record, event: codec.decode('TakedownEvent', record.value) });
      return [];
    },
    flush,
  });

  /** The two indices; while Elasticsearch is unreachable, waits for it (stop() ends the wait). */
  const setUpIndices = () =>
    ensureSearchIndicesWhenReachable({
      client,
      prefix,
      replicas: deps.replicas,
      specs: Object.values(hosterIndices),
      signal: abort.signal,
      onWait: (failure, attempt) =>
        logger.warn(
          { code: failure.code, attempt },
          'Elasticsearch unavailable; waiting to set up the indices',
        ),
    });

  return {
    async start() {
      await setUpIndices();
      await runner.start();
    },
    async stop() {
      abort.abort();
      await runner.stop();
      await producer.close();
    },
    metrics: () => ({ ...runner.metrics(), documentsWritten }),
    snapshot: () => ({ runners: [runner.metrics()], tables: {} }),
  };
}

/** The records behind documents Elasticsearch refused for good: the runner dead-letters them. */
function failedRecords(
  batch: readonly { record: InboundRecord; event: TakedownEvent }[],
  writes: readonly CaseWrite[],
  rejected: Map<string, string>,
): FailedRecord[] {
  if (rejected.size === 0) return [];
  const failed: FailedRecord[] = [];
  for (const write of writes) {
    const reason = rejected.get(write.id);
    if (reason === undefined) continue;
    const [partnerId, key] =
      write.action === 'update'
        ? [write.fields.partnerId, write.fields.noticeId]
        : [write.document.partnerId, write.document.eventId];
    for (const { record, event } of batch) {
      const own = write.action === 'update' ? event.noticeId : event.eventId;
      if (event.partnerId === partnerId && own === key) {
        failed.push({
          record,
          error: new TriageError('TRIAGE_ELASTICSEARCH_REJECTED', `${write.id}: ${reason}`),
        });
      }
    }
  }
  return failed;
}

import { TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import {
  ConsumerRunner,
  createRecordProducer,
  deployedTopic,
  ErasureLedger,
  type KafkaConnection,
  pipelineTopics,
  type RunnerMetricsSnapshot,
  type StageSnapshot,
  type TopicSpec,
} from '@triage/messaging';
import type { Codec } from '@triage/schemas';
import {
  ensureSearchIndicesWhenReachable,
  eraseReportDocuments,
  findReportDocuments,
  type IndexerGroup,
  type IndexSpec,
  indexerGroupId,
  indexerGroups,
  indexerGroupsIn,
  indexNames,
  indicesWrittenIn,
  type SearchClient,
  searchIndices,
} from '@triage/search';
import { auditBatch } from './audit-batch.ts';
import { caseBatch } from './case-batch.ts';
import { createIndexerStage, type IndexerBatch } from './indexer-batch.ts';
import { itemBatch } from './item-batch.ts';
import { mediaBatch } from './media-batch.ts';
import { SearchWriter } from './search-writer.ts';

export interface IndexerServiceDeps {
  connection: KafkaConnection;
  codec: Codec;
  logger: Logger;
  client: SearchClient;
  /** Prefix of the consumer groups; each group's id adds its inputs and index versions. */
  groupId: string;
  /** Replicas of the indices created at start. */
  replicas: number;
  /** Records per batch. Default 500. */
  maxBatchRecords?: number;
  /** Rounds at a document before the batch is handed back (Elasticsearch down). Default 5. */
  writeAttempts?: number;
  /** First pause between those rounds. Default 200 ms. */
  writeBackoffMs?: number;
}

export interface IndexerCounters {
  written: number;
  retriedItems: number;
  conflicts: number;
  rejected: number;
  staleCases: number;
}

export interface IndexerService {
  start(): Promise<void>;
  stop(): Promise<void>;
  metrics(): { groups: Record<string, RunnerMetricsSnapshot>; indexer: IndexerCounters };
  /** Every runner's counters and the global tables' sizes, for the ops server's /metrics and /readyz. */
  snapshot(): StageSnapshot;
}

/**
 * The indexer deployable: four consumer groups, each staging a batch's documents and writing them
 * in one bulk (or a few guarded read-merge-write rounds) at flush:
 * - cases: cases.v1 + triage.actions.v1 + reports.v1 (co-partitioned by reportId) -> cases, actions;
 * - items: items.enriched.v1 -> items, media (hashes, reports that carry a file);
 * - media: media.v1 -> media (PDQ, cluster, first sighting);
 * - audit: audit.v1 -> audit.
 */
export function createIndexerService(deps: IndexerServiceDeps): IndexerService {
  const { connection, codec, logger, client } = deps;
  const prefix = connection.topicPrefix ?? '';
  const lane = connection.lane;
  // In a rebuild lane only the groups that read a rebuilt topic run, into the lane's indices.
  const groups = indexerGroupsIn(lane);
  const index = (spec: IndexSpec) => indexNames(prefix, spec, lane?.name).index;
  const topic = (spec: TopicSpec) => deployedTopic(connection, spec.name);
  const abort = new AbortController();
  const writer = new SearchWriter({
    client,
    signal: abort.signal,
    ...(deps.writeAttempts === undefined ? {} : { attempts: deps.writeAttempts }),
    ...(deps.writeBackoffMs === undefined ? {} : { backoffMs: deps.writeBackoffMs }),
  });
  let staleCases = 0;
  const { cases, actions, items, media, audit } = searchIndices;
  const batches: Record<IndexerGroup['name'], () => IndexerBatch> = {
    cases: caseBatch({
      codec,
      topics: {
        cases: topic(pipelineTopics.cases),
        actions: topic(pipelineTopics.triageActions),
        reports: topic(pipelineTopics.reports),
      },
      indices: { cases: index(cases), actions: index(actions) },
      onStaleCase: () => {
        staleCases += 1;
      },
    }),
    items: itemBatch({ codec, indices: { items: index(items), media: index(media) } }),
    media: mediaBatch({ codec, index: index(media) }),
    audit: auditBatch({ codec, index: index(audit) }),
  };
  const producer = createRecordProducer(connection, 'indexer');
  // The groups of report-keyed topics drop erased reports' records (ADR 0020); media and audit are
  // keyed by file and chain: a media document loses the report when it is erased, the audit trail never.
  const reportKeyed = new Set<IndexerGroup['name']>(['cases', 'items']);
  const erasures = new ErasureLedger({
    name: 'indexer-erasures',
    connection,
    codec,
    logger,
    onErased: ({ reportId }) => void eraseHere(reportId),
  });
  const runners = groups.map((group) => {
    const stage = createIndexerStage({
      writer,
      newBatch: batches[group.name],
      ...(reportKeyed.has(group.name) ? { erased: erasures.erased } : {}),
    });
    const runner = new ConsumerRunner({
      stage: 'indexer',
      connection,
      groupId: indexerGroupId(deps.groupId, group),
      input: group.inputs.map(topicSpec),
      producer,
      logger,
      codec,
      maxBatchRecords: deps.maxBatchRecords ?? 500,
      handle: stage.handle,
      flush: stage.flush,
    });
    return { name: group.name, runner };
  });

  /**
   * A report erased while this indexer runs: its documents deleted again between batches of the
   * report-keyed groups, in case a batch in flight when the erase command deleted them wrote them back.
   */
  async function eraseHere(reportId: string): Promise<void> {
    const exclusive = runners.filter(({ name }) => reportKeyed.has(name)).map(({ runner }) => runner);
    const erase = async () => {
      const found = await findReportDocuments(client, prefix, reportId);
      const erased = await eraseReportDocuments(client, { reportId, found, deleteMedia: new Set() });
      logger.info({ reportId, ...erased }, 'erased report removed from the indices');
      return [];
    };
    // Nested: no batch of either group runs meanwhile.
    const task = exclusive.reduceRight<() => Promise<never[]>>(
      (inner, runner) => async () => {
        await runner.runExclusive(inner);
        return [];
      },
      erase,
    );
    await task().catch((error: unknown) =>
      logger.warn({ err: error, reportId }, 'erased report not removed from the indices yet'),
    );
  }

  /** Templates, indices and aliases; while Elasticsearch is unreachable, waits for it (stop() ends the wait). */
  const setUpIndices = () =>
    ensureSearchIndicesWhenReachable({
      client,
      prefix,
      replicas: deps.replicas,
      ...(lane === undefined ? {} : { lane: lane.name, specs: indicesWrittenIn(lane) }),
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
      await erasures.start();
      await Promise.all(runners.map(({ runner }) => runner.start()));
      logger.info(
        { groups: groups.map((group) => indexerGroupId(deps.groupId, group)), lane: lane?.name },
        'indexer started',
      );
    },
    async stop() {
      abort.abort();
      await Promise.all(runners.map(({ runner }) => runner.stop()));
      await erasures.close();
      await producer.close();
    },
    metrics: () => ({
      groups: Object.fromEntries(runners.map(({ name, runner }) => [name, runner.metrics()])),
      indexer: { ...writer.counters, staleCases },
    }),
    snapshot: () => ({ runners: runners.map(({ runner }) => runner.metrics()), tables: {} }),
  };
}

/** Every topic the indexer reads, the erasure ledger included (what a deployment or a test creates before starting it). */
export function indexerInputs(): TopicSpec[] {
  return [...indexerGroups.flatMap((group) => group.inputs.map(topicSpec)), pipelineTopics.erasures];
}

/** A catalogue topic by its name. */
function topicSpec(name: string): TopicSpec {
  const spec = Object.values(pipelineTopics).find((candidate) => candidate.name === name);
  if (spec === undefined)
    throw new TriageError('TRIAGE_TOPIC_UNKNOWN', `${name} is not in the topic catalogue`);
  return spec;
}

import { TriageError } from '@triage/errors';
import { KnownHashIndex } from '@triage/hash-lists';
import type { Logger } from '@triage/logging';
import { pdqDefaults } from '@triage/matching';
import {
  ConsumerRunner,
  createGlobalTable,
  createKeyedStore,
  createRecordProducer,
  deployedTopic,
  ErasureLedger,
  GlobalTable,
  type KafkaConnection,
  type KeyedStore,
  type Outputs,
  pipelineTopics,
  type RunnerMetricsSnapshot,
  recordCodec,
  type StageSnapshot,
  stateTopics,
} from '@triage/messaging';
import type { Codec, EnrichedItem, KnownHash, Report, SuspectIdentifier } from '@triage/schemas';
import type { IdentifierKey, IdentifierKeying, ScoringRules } from '@triage/scoring';
import type { ReportEnricher } from './case-writer.ts';
import { openReportsFile } from './open-reports-file.ts';
import { QuietTimer } from './quiet-timer.ts';
import { RelinkScheduler } from './relink-scheduler.ts';
import { itemGroup, storeState } from './report-state.ts';
import { createScorerStage, type ScorerCounters } from './scorer-stage.ts';

/**
 * Records per batch. Each batch costs a produce and an offset commit (the group coordinator
 * lingers ~5 ms on each): on `pnpm bench scorer`, batches of 100 gave 1 200 cases/s, 500 gave 2 800.
 */
export const scorerBatchRecords = 500;

/**
 * How long a report stays on the heap after its last change: ten quiet times, so a bundle's
 * reports, their links to each other and a late redriven item find their reports still open.
 */
export const defaultOpenWindowMs = 600_000;

export interface ScorerServiceDeps {
  connection: KafkaConnection;
  codec: Codec;
  logger: Logger;
  groupId: string;
  rules: ScoringRules;
  /** Report-level lookups (NetworkEnricher); its home country must be the rules' one. */
  enricher: ReportEnricher & { readonly homeCountry?: string };
  provisionalEvery: number;
  quietMs: number;
  /**
   * How long a report stays on the heap after its last change once it owes no case (at least
   * `quietMs`; default 10 minutes): afterwards it is on disk only until an item, a link or a
   * re-match touches it.
   */
  openWindowMs?: number;
  /**
   * This instance's folder for the reports and items (`DiskKeyedStateStore`: one store per held
   * partition) and the suspect-identifier table (`DiskGlobalTable`, links read from its rows);
   * null keeps them in memory (the benchmark's baseline, unit-sized tests).
   */
  stateDir: string | null;
  /** Reports, items and identifier rows kept decoded on the heap, per store. */
  stateCacheEntries?: number;
  /** The shared secret repeat-suspect identifiers are keyed with (and a second one in a rotation): `suspectIdKeys(config)`. */
  identifierKeys: Pick<IdentifierKeying, 'key' | 'secondKey'>;
  /**
   * At start, identifier rows of reports received within this window (default 2 days) re-link
   * the local reports they name: links made while this instance was down. Older rows are taken
   * as applied already.
   */
  startupRelinkWindowMs?: number;
  /**
   * Hash lists whose changes re-score the cases held here (default `police-confirmed`, the
   * analysts' confirmed list; empty: none), matched with the hasher's default PDQ distance and
   * quality (Meta's; `pdq` for a deployment that changed the hasher's).
   */
  rescoreLists?: readonly string[];
  pdq?: { matchDistance: number; minQuality: number };
  /** Records per batch: a batch's items are written to the item changelog in one go. Default `scorerBatchRecords`. */
  maxBatchRecords?: number;
  clock?: () => number;
}

export interface ScorerService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The runner's counters, plus cases written by cause, the partitions this instance holds and its open reports. */
  metrics(): RunnerMetricsSnapshot & {
    scorer: ScorerCounters & { partitions: readonly number[]; openReports: number };
  };
  /**
   * The two stores (a `DiskKeyedStateStore` each with a `stateDir`: `restores` tells what each
   * partition's last restore read), for tests and the state benchmark.
   */
  readonly stores: { reports: KeyedStore<Report>; items: KeyedStore<EnrichedItem> };
  /** Whether a report is open here (on the heap); otherwise it is on disk only. */
  isOpen(reportId: string): boolean;
  /** Every runner's counters and the global tables' sizes, for the ops server's /metrics and /readyz. */
  snapshot(): StageSnapshot;
}

/**
 * The scorer deployable: one consumer group over reports.v1 and items.enriched.v1 (co-partitioned,
 * so one instance holds a whole report), two state stores, the repeat-suspect table read in full,
 * and a timer for reports whose last items never come.
 */
export function createScorerService(deps: ScorerServiceDeps): ScorerService {
  const { connection, codec, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const topic = (name: string) => deployedTopic(connection, name);
  const producer = createRecordProducer(connection, 'scorer');
  const { reports, items } = scorerStores(deps);
  // Erased reports (ADR 0020): their records are dropped, and a report erased while it is held
  // here is deleted from the stores between batches (tombstones on the changelogs).
  const erasures = new ErasureLedger({
    name: 'scorer-erasures',
    connection,
    codec,
    logger,
    onErased: ({ reportId }) => {
      runExclusive(async () => {
        await Promise.all(
          reports.assigned.map(async (partition) => {
            await reports.ensureRestored(partition);
            await items.ensureRestored(partition);
          }),
        );
        const deleted = stage.erase(reportId);
        logger.info({ reportId, deleted }, 'erased report removed from the scorer state');
        return [];
      }).catch((error: unknown) =>
        logger.warn({ err: error, reportId }, 'erased report not removed from the state yet'),
      );
    },
  });
  const stage = createScorerStage({
    codec,
    state: storeState(reports, items),
    rules: deps.rules,
    enricher: deps.enricher,
    logger,
    topics: {
      reports: topic(pipelineTopics.reports.name),
      itemsEnriched: topic(pipelineTopics.itemsEnriched.name),
      cases: topic(pipelineTopics.cases.name),
      suspectIdentifiers: topic(stateTopics.suspectIdentifiers.name),
    },
    provisionalEvery: deps.provisionalEvery,
    quietMs: deps.quietMs,
    openWindowMs: deps.openWindowMs ?? defaultOpenWindowMs,
    ...(deps.stateDir === null
      ? {}
      : {
          openBook: openReportsFile({
            stateDir: deps.stateDir,
            reportsChangelog: topic(stateTopics.scorerReports.name),
            stores: [reports, items],
            logger,
          }),
        }),
    identifiers: { phoneRegion: deps.rules.homeCountry, ...deps.identifierKeys },
    erased: erasures.erased,
    ...(deps.stateDir === null ? {} : { identifierRows: { keys: (prefix) => table.keys(prefix) } }),
    clock,
  });
  const runner = new ConsumerRunner({
    stage: 'scorer',
    connection,
    groupId: deps.groupId,
    input: [pipelineTopics.reports, pipelineTopics.itemsEnriched],
    producer,
    logger,
    codec,
    stores: [reports, items],
    maxBatchRecords: deps.maxBatchRecords ?? scorerBatchRecords,
    handle: stage.handle,
    flush: stage.flush,
    clock,
  });
  const runExclusive = runner.runExclusive.bind(runner);
  // Identifier changes from the table, re-linked between batches, many changes per task.
  const relinks = new RelinkScheduler<IdentifierKey>({
    runExclusive,
    logger,
    async relink(identifiers) {
      // Not assigned yet (or no partitions for this instance): kept for the next tick.
      if (reports.assigned.length === 0) return null;
      // A report nothing was consumed for since the restart still gets its new links.
      await Promise.all(
        reports.assigned.map(async (partition) => {
          await reports.ensureRestored(partition);
          await items.ensureRestored(partition);
        }),
      );
      return stage.relink(identifiers);
    },
  });
  const quiet = new QuietTimer({
    runExclusive,
    quietCases: () => stage.quietCases(),
    onTick: () => relinks.soon(),
    quietMs: deps.quietMs,
    logger,
  });
  const rescore = listRescore(deps, runExclusive, async () => {
    if (reports.assigned.length === 0) return null;
    await Promise.all(
      reports.assigned.map(async (partition) => {
        await reports.ensureRestored(partition);
        await items.ensureRestored(partition);
      }),
    );
    return stage.rematch(rescore.index, rescore.lists);
  });
  let started = false;
  const relinkWindowMs = deps.startupRelinkWindowMs ?? 2 * 86_400_000;
  // One row per (identifier, report): on disk, links are read from the rows by identifier prefix.
  const table = createGlobalTable<SuspectIdentifier>({
    name: 'scorer-suspect-identifiers',
    connection,
    topic: topic(stateTopics.suspectIdentifiers.name),
    codec: recordCodec(codec, 'SuspectIdentifier'),
    logger,
    dir: deps.stateDir,
    ...(deps.stateCacheEntries === undefined ? {} : { cacheEntries: deps.stateCacheEntries }),
    // In memory the link index keeps what it needs (report and type per identifier hash); rows are not kept twice.
    keepRows: false,
    onChange: (key, value, previous) => {
      const identifier = stage.onIdentifierRow(key, value, previous);
      if (identifier === null) return;
      // While catching up at start, only recent rows are re-linked: links written while this
      // instance was down reach its reports without re-emitting every linked case at each restart.
      if (!started && value !== null && value.receivedAt < clock() - relinkWindowMs) return;
      relinks.add(identifier);
    },
  });

  return {
    async start() {
      checkHomeCountry(deps);
      // Links need every identifier written before the first report is scored; the ledger, every erasure.
      await Promise.all([table.start(), erasures.start()]);
      await rescore.table?.start();
      rescore.index.optimize();
      await runner.start();
      started = true;
      relinks.start();
      // Confirmations made while this instance was down reach its cases too (one pass over the state).
      if (rescore.index.size > 0) rescore.scheduler.add('startup');
      rescore.scheduler.start();
      quiet.start();
      logger.info({ ruleVersion: deps.rules.ruleVersion }, 'scorer started');
    },
    async stop() {
      started = false;
      const settled = Promise.all([quiet.stop(), relinks.stop(), rescore.scheduler.stop()]);
      await runner.stop();
      await settled;
      // After the last batch, before the stores close: the restart finds the open reports again.
      stage.saveOpen();
      await table.close();
      await erasures.close();
      await rescore.table?.close();
      await producer.close();
      await Promise.all([reports.close(), items.close()]);
    },
    metrics: () => ({
      ...runner.metrics(),
      scorer: {
        ...structuredClone(stage.counters),
        partitions: reports.assigned,
        openReports: stage.open.size,
      },
    }),
    stores: { reports, items },
    isOpen: (reportId) => stage.open.has(reportId),
    snapshot: () => ({ runners: [runner.metrics()], tables: {} }),
  };
}

/**
 * The re-scoring trigger: the scorer's own index of the re-scored lists' entries, kept in step
 * with hashsets.v1 (other lists are only looked at), and a scheduler that re-matches the held
 * cases between batches, many list changes per run (the relinks' scheduler, keyed by list).
 */
function listRescore(
  deps: ScorerServiceDeps,
  runExclusive: (task: () => Promise<Outputs>) => Promise<void>,
  rematch: () => Promise<Outputs | null>,
) {
  const lists = new Set(deps.rescoreLists ?? ['police-confirmed']);
  const index = new KnownHashIndex({
    pdqMatchDistance: deps.pdq?.matchDistance ?? pdqDefaults.matchDistance,
    pdqMinQuality: deps.pdq?.minQuality ?? pdqDefaults.minQuality,
  });
  const scheduler = new RelinkScheduler<string>({ runExclusive, logger: deps.logger, relink: rematch });
  const listOf = (key: string) => key.slice(0, key.indexOf(':'));
  const table =
    lists.size === 0
      ? undefined
      : new GlobalTable<KnownHash>({
          name: 'scorer-rescore-lists',
          connection: deps.connection,
          topic: deployedTopic(deps.connection, pipelineTopics.hashsets.name),
          codec: recordCodec(deps.codec, 'KnownHash'),
          logger: deps.logger,
          keepRows: false,
          onChange: (key, value) => {
            const list = listOf(key);
            if (!lists.has(list)) return;
            index.apply(key, value);
            scheduler.add(list);
          },
        });
  return { lists, index, table, scheduler };
}

/** The scorer's two stores: the latest version of each report, and its items grouped by report. */
function scorerStores(deps: ScorerServiceDeps): {
  reports: KeyedStore<Report>;
  items: KeyedStore<EnrichedItem>;
} {
  const { connection, codec, logger } = deps;
  const changelog = (name: string) => deployedTopic(connection, name);
  const common = {
    connection,
    logger,
    dir: deps.stateDir,
    ...(deps.stateCacheEntries === undefined ? {} : { cacheEntries: deps.stateCacheEntries }),
  };
  const reports = createKeyedStore<Report>({
    ...common,
    name: 'scorer.reports',
    changelogTopic: changelog(stateTopics.scorerReports.name),
    codec: recordCodec(codec, 'Report'),
  });
  const items = createKeyedStore<EnrichedItem>({
    ...common,
    name: 'scorer.items',
    changelogTopic: changelog(stateTopics.scorerItems.name),
    codec: recordCodec(codec, 'EnrichedItem'),
    groupOf: itemGroup,
  });
  return { reports, items };
}

/** The enricher's home country and the rules' must agree: phone numbers and scores both use it. */
function checkHomeCountry(deps: ScorerServiceDeps): void {
  const homeCountry = deps.enricher.homeCountry;
  if (homeCountry !== undefined && homeCountry !== deps.rules.homeCountry) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `ENRICH_HOME_COUNTRY ${homeCountry} differs from the scoring rules' homeCountry ${deps.rules.homeCountry}`,
      { details: { variables: ['ENRICH_HOME_COUNTRY', 'SCORING_RULES_FILE'] } },
    );
  }
}

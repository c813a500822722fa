import { MediaIndex } from '@triage/dedupe';
import { hashTypeOfKey, KnownHashIndex } from '@triage/hash-lists';
import type { Logger } from '@triage/logging';
import {
  ConsumerRunner,
  createGlobalTable,
  createKeyedStore,
  createRecordProducer,
  deployedTopic,
  GlobalTable,
  type KafkaConnection,
  pipelineTopics,
  recordCodec,
  type StageSnapshot,
  stateTopics,
} from '@triage/messaging';
import type { Codec, KnownHash, Media, MediaSighting, MediaSummary } from '@triage/schemas';
import { createDedupeStage } from './dedupe-stage.ts';
import { createHashHandler } from './hash-stage.ts';
import type { LicensedSignal } from './licensed-signal.ts';
import type { MediaHasher } from './media-hasher.ts';

// What an embedder (the e2e tests, the pipeline benchmark) needs to build the deps.
export { createPooledMediaHasher, type MediaHasher } from './media-hasher.ts';

export interface HasherServiceDeps {
  connection: KafkaConnection;
  codec: Codec;
  mediaHasher: MediaHasher;
  logger: Logger;
  hasherGroupId: string;
  dedupeGroupId: string;
  pdqMatchDistance: number;
  pdqMinQuality: number;
  /** Adapters for licensed hash types (PhotoDNA): they get that type's list entries and match items. */
  licensedSignals?: readonly LicensedSignal[];
  /**
   * This instance's folder for dedupe's state (`DiskKeyedStateStore`: one store per held
   * partition) and the media.v1 table (`DiskGlobalTable`); null keeps them in memory (the
   * benchmark's baseline).
   */
  stateDir: string | null;
  /** Dedupe summaries, sightings and media rows kept decoded on the heap, per store. */
  stateCacheEntries?: number;
}

export interface HasherService {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly knownHashes: KnownHashIndex;
  /** Every runner's counters and the global tables' sizes, for the ops server's /metrics and /readyz. */
  snapshot(): StageSnapshot;
}

/**
 * The hasher deployable: two consumer groups in one process. `hasher` hashes items (CPU, keyed
 * by report) and matches the known lists; `dedupe` takes the same items re-keyed by sha256 and
 * adds first-seen, report counts and near-duplicate clusters.
 */
export function createHasherService(deps: HasherServiceDeps): HasherService {
  const { connection, codec, logger } = deps;
  const topic = (name: string) => deployedTopic(connection, name);
  const producer = createRecordProducer(connection, 'hasher');

  const licensedSignals = deps.licensedSignals ?? [];
  const knownHashes = new KnownHashIndex({
    pdqMatchDistance: deps.pdqMatchDistance,
    pdqMinQuality: deps.pdqMinQuality,
  });
  const knownHashTable = new GlobalTable<KnownHash>({
    name: 'hasher-known-hashes',
    connection,
    topic: topic(pipelineTopics.hashsets.name),
    codec: recordCodec(codec, 'KnownHash'),
    logger,
    // The index keeps its own compact form: a list of millions must not also live as objects.
    keepRows: false,
    onChange: (key, value) => {
      const hashType = hashTypeOfKey(key);
      const licensed = licensedSignals.find((signal) => signal.hashType === hashType);
      if (licensed) licensed.apply(key, value);
      else knownHashes.apply(key, value);
    },
  });

  const mediaIndex = new MediaIndex(deps.pdqMatchDistance);
  let onMediaRead: (sha256: string) => void = () => undefined;
  // One row per file ever seen: on disk under the state folder. Its PDQ index stays in memory
  // (every query walks it): rebuilt from the rows at each start, about 260 bytes per file.
  const mediaTable = createGlobalTable<Media>({
    name: 'dedupe-media',
    connection,
    topic: topic(pipelineTopics.media.name),
    codec: recordCodec(codec, 'Media'),
    logger,
    dir: deps.stateDir,
    ...(deps.stateCacheEntries === undefined ? {} : { cacheEntries: deps.stateCacheEntries }),
    onChange: (sha256, media) => {
      if (media?.pdq && (media.pdqQuality ?? 0) >= deps.pdqMinQuality) mediaIndex.add(sha256, media.pdq);
      onMediaRead(sha256);
    },
  });
  const state = {
    connection,
    logger,
    dir: deps.stateDir,
    ...(deps.stateCacheEntries === undefined ? {} : { cacheEntries: deps.stateCacheEntries }),
  };
  const summaries = createKeyedStore<MediaSummary>({
    ...state,
    name: 'dedupe.media',
    changelogTopic: topic(stateTopics.dedupeMedia.name),
    codec: recordCodec(codec, 'MediaSummary'),
  });
  const sightings = createKeyedStore<MediaSighting>({
    ...state,
    name: 'dedupe.sightings',
    changelogTopic: topic(stateTopics.dedupeSightings.name),
    codec: recordCodec(codec, 'MediaSighting'),
  });
  const dedupe = createDedupeStage({
    codec,
    summaries,
    sightings,
    media: mediaTable,
    mediaIndex,
    pdqMatchDistance: deps.pdqMatchDistance,
    pdqMinQuality: deps.pdqMinQuality,
    topics: { itemsHashed: topic(pipelineTopics.itemsHashed.name), media: topic(pipelineTopics.media.name) },
  });
  onMediaRead = dedupe.onMediaRead;

  const hashRunner = new ConsumerRunner({
    stage: 'hasher',
    connection,
    groupId: deps.hasherGroupId,
    input: pipelineTopics.items,
    producer,
    logger,
    codec,
    // Hashing is CPU-bound: small batches keep commits frequent and rebalances quick.
    maxBatchRecords: 50,
    handle: createHashHandler({
      codec,
      mediaHasher: deps.mediaHasher,
      knownHashes,
      licensedSignals,
      logger,
      topics: {
        itemsHashed: topic(pipelineTopics.itemsHashed.name),
        mediaObserved: topic(pipelineTopics.mediaObserved.name),
      },
    }),
  });
  const dedupeRunner = new ConsumerRunner({
    stage: 'dedupe',
    connection,
    groupId: deps.dedupeGroupId,
    input: pipelineTopics.mediaObserved,
    producer,
    logger,
    codec,
    stores: [summaries, sightings],
    handle: dedupe.handle,
  });

  // In a rebuild lane from dedupe, hashing stays live: only the dedupe group runs.
  const lane = connection.lane;
  const runners = [
    ...(lane === undefined || lane.stages.has('hasher') ? [hashRunner] : []),
    ...(lane === undefined || lane.stages.has('dedupe') ? [dedupeRunner] : []),
  ];

  return {
    knownHashes,
    async start() {
      // Matching and clustering need the whole tables before the first item is decided.
      await Promise.all([knownHashTable.start(), mediaTable.start()]);
      // One build now, rather than many small ones on the first items.
      knownHashes.optimize();
      mediaIndex.optimize();
      logger.info({ knownHashes: knownHashes.size, media: mediaIndex.size }, 'hasher tables loaded');
      await Promise.all(runners.map((runner) => runner.start()));
    },
    async stop() {
      await Promise.all(runners.map((runner) => runner.stop()));
      await Promise.all([knownHashTable.close(), mediaTable.close()]);
      await Promise.all([producer.close(), deps.mediaHasher.close()]);
    },
    snapshot: () => ({
      runners: [hashRunner.metrics(), dedupeRunner.metrics()],
      // The known-hash table keeps no rows of its own: its index is what holds the list.
      tables: { 'hasher-known-hashes': knownHashes.size, 'dedupe-media': mediaTable.size },
    }),
  };
}

import { KnownHashIndex } from '@triage/hash-lists';
import type { Logger } from '@triage/logging';
import {
  deployedTopic,
  GlobalTable,
  type KafkaConnection,
  pipelineTopics,
  recordCodec,
} from '@triage/messaging';
import type { Codec, KnownHash } from '@triage/schemas';

export interface KnownListsOptions {
  connection: KafkaConnection;
  codec: Codec;
  logger: Logger;
  /** The service's PDQ cap: the index never searches further. */
  maxPdqDistance: number;
}

/** The known lists as the service holds them: the index, and whether it has read the topic. */
export interface KnownLists {
  readonly index: KnownHashIndex;
  readonly ready: boolean;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every list on hashsets.v1 in a KnownHashIndex, followed as the hasher follows it: a global table
 * read from the beginning, each change (a tombstone removes its entry) applied to the index, the
 * rows themselves not kept. Answers wait for the whole topic (`ready`), then the PDQ index is
 * built once; later changes go into its tail.
 */
export function createKnownLists(options: KnownListsOptions): KnownLists {
  // Quality is the client's business: a hoster sends the PDQ it computed, weak or not.
  const index = new KnownHashIndex({ pdqMatchDistance: options.maxPdqDistance, pdqMinQuality: 0 });
  let ready = false;
  const table = new GlobalTable<KnownHash>({
    name: 'hash-check-known-hashes',
    connection: options.connection,
    topic: deployedTopic(options.connection, pipelineTopics.hashsets.name),
    codec: recordCodec(options.codec, 'KnownHash'),
    logger: options.logger,
    // In memory, not on disk: every check walks the index (48-75 bytes per entry, `pnpm bench
    // known-lists`), and its size follows the lists, not the traffic.
    keepRows: false,
    onChange: (key, value) => index.apply(key, value),
  });
  return {
    index,
    get ready() {
      return ready;
    },
    async start() {
      await table.start();
      index.optimize();
      ready = true;
      options.logger.info({ knownHashes: index.size }, 'hash-check lists loaded');
    },
    close: () => table.close(),
  };
}

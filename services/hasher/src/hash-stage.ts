import { isTriageError, TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { OutboundRecord, RecordHandler } from '@triage/messaging';
import type { Codec, HashedItem, Hashes, HashMatch, Item } from '@triage/schemas';
import type { LicensedSignal } from './licensed-signal.ts';
import type { MediaHasher } from './media-hasher.ts';

/** Known-list lookups, materialised from the hash-list topic. */
interface KnownHashLookup {
  match(hashes: Hashes): HashMatch[];
}

export interface HashStageDeps {
  codec: Codec;
  mediaHasher: MediaHasher;
  knownHashes: KnownHashLookup;
  /** Adapters for licensed hashes (PhotoDNA); none by default. */
  licensedSignals?: readonly LicensedSignal[];
  logger: Logger;
  /** Deployed topic names. */
  topics: { itemsHashed: string; mediaObserved: string };
}

/**
 * items (key reportId) -> hashes and list matches. File items go on to the dedupe stage keyed
 * by sha256; URL items (nothing to hash) go straight to items.hashed.
 */
export function createHashHandler(deps: HashStageDeps): RecordHandler {
  return async (record) => {
    const item = deps.codec.decode('Item', record.value ?? Buffer.alloc(0));
    if (item.sha256 === null) {
      const hashed: HashedItem = { item, hashes: null, matches: [], dedupe: null };
      return [
        {
          topic: deps.topics.itemsHashed,
          key: item.reportId,
          value: deps.codec.encode('HashedItem', hashed),
        },
      ];
    }
    const hashes = await hashStored(deps, item, item.sha256);
    const matches = hashes ? deps.knownHashes.match(hashes) : [];
    if (hashes) {
      for (const signal of deps.licensedSignals ?? []) matches.push(...(await signal.match(item.sha256)));
    }
    const observed: HashedItem = { item, hashes, matches, dedupe: null };
    const output: OutboundRecord = {
      topic: deps.topics.mediaObserved,
      key: item.sha256,
      value: deps.codec.encode('HashedItem', observed),
    };
    return [output];
  };
}

async function hashStored(deps: HashStageDeps, item: Item, sha256: string): Promise<Hashes | null> {
  try {
    const hashes = await deps.mediaHasher.hash(sha256);
    if (hashes.sha256 !== sha256) {
      // The store's bytes no longer hash to their name: never match or dedupe on them.
      throw new TriageError('TRIAGE_MEDIA_CORRUPT', 'stored bytes do not match their sha256', {
        details: { itemId: item.itemId },
      });
    }
    return hashes;
  } catch (error) {
    if (isTriageError(error) && error.code === 'TRIAGE_MEDIA_MISSING') {
      deps.logger.warn(
        { itemId: item.itemId, code: error.code },
        'item has no stored bytes; passed on without hashes',
      );
      return null;
    }
    throw error;
  }
}

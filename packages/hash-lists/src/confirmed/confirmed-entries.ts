// What the confirmed list should hold, as a pure function of the items' category states: one
// entry per hash of every confirmed item (MD5, SHA-1, SHA-256, PDQ, as the pipeline computed
// them), and the difference to what the topic holds (entries to write, keys to tombstone).
import type { HashType, KnownHashInput } from '@triage/schemas';
import { knownHashKey, noMediaFacts } from '../known-hash.ts';
import { usCategoryLabels } from '../normalise.ts';
import type { CategoryState, ItemHashes } from './category-rules.ts';

/** `source` of the confirmed list's entries (the imports say `vics-json` or `csv`). */
const confirmedSource = 'triage-confirmed';

/** One wanted entry, without the list version and time the writer stamps on it. */
export interface WantedEntry {
  hashType: HashType;
  value: string;
  category: number;
  /** The sha256 of the confirmed file: the entries of one file share it (VICS MediaID). */
  mediaId: string | null;
  /** When the confirmation that put it there was made, so the latest of two wins. */
  confirmedAt: number;
}

const hashFields: [keyof ItemHashes, HashType][] = [
  ['md5', 'MD5'],
  ['sha1', 'SHA1'],
  ['sha256', 'SHA256'],
  ['pdq', 'PDQ'],
];

/**
 * The entries `states` want on `list`, by topic key. Two confirmed items sharing a hash (one file
 * in two reports) give one entry: the later confirmation's category. Withdrawn items want none.
 */
export function wantedEntries(list: string, states: Iterable<CategoryState>): Map<string, WantedEntry> {
  const wanted = new Map<string, WantedEntry>();
  for (const state of states) {
    if (state.status !== 'confirmed') continue;
    for (const [field, hashType] of hashFields) {
      const value = state.hashes[field];
      if (value === null) continue;
      const key = knownHashKey(list, hashType, value);
      const earlier = wanted.get(key);
      if (earlier !== undefined && earlier.confirmedAt > state.at) continue;
      wanted.set(key, {
        hashType,
        value,
        category: state.category,
        mediaId: state.hashes.sha256,
        confirmedAt: state.at,
      });
    }
  }
  return wanted;
}

/** What the list holds on the topic, per key: the category (null: a tombstone or never written). */
export type HeldEntries = ReadonlyMap<string, number | null>;

export interface ListChanges {
  /** Keys to write (new, or another category now). */
  upserts: Map<string, WantedEntry>;
  /** Keys held but no longer wanted: tombstones. */
  removals: string[];
}

/** The changes that take the held list to the wanted one (nothing when they agree). */
export function listChanges(held: HeldEntries, wanted: ReadonlyMap<string, WantedEntry>): ListChanges {
  const upserts = new Map<string, WantedEntry>();
  for (const [key, entry] of wanted) {
    if (held.get(key) !== entry.category) upserts.set(key, entry);
  }
  const removals = [...held]
    .filter(([key, category]) => category !== null && !wanted.has(key))
    .map(([key]) => key)
    .sort();
  return { upserts, removals };
}

/** The KnownHash record of a wanted entry at `version`. */
export function confirmedKnownHash(
  list: string,
  entry: WantedEntry,
  stamp: { listVersion: string; importedAt: number },
): KnownHashInput {
  return {
    listName: list,
    listVersion: stamp.listVersion,
    hashType: entry.hashType,
    value: entry.value,
    category: entry.category,
    categoryLabel: usCategoryLabels[entry.category] ?? null,
    source: confirmedSource,
    mediaId: entry.mediaId,
    ...noMediaFacts,
    tags: [],
    importedAt: stamp.importedAt,
  };
}

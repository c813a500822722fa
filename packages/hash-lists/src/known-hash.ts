import type { HashType, KnownHashInput } from '@triage/schemas';
import type { HashEntry } from './types.ts';

/** List names go into record keys (`<list>:<hashType>:<value>`), so they may not hold a colon. */
export const listNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** The key of an entry on the compacted hashsets topic. */
export function knownHashKey(listName: string, hashType: HashType, value: string): string {
  return `${listName}:${hashType}:${value}`;
}

/** The VICS facts of an entry that has none but its hashes and category (the confirmed list's). */
export const noMediaFacts: Readonly<
  Pick<
    HashEntry,
    'mediaSize' | 'series' | 'victimIdentified' | 'offenderIdentified' | 'isDistributed' | 'photoDnaVerbatim'
  >
> = {
  mediaSize: null,
  series: null,
  victimIdentified: null,
  offenderIdentified: null,
  isDistributed: null,
  photoDnaVerbatim: null,
};

export interface ListStamp {
  listName: string;
  listVersion: string;
  importedAt: number;
}

/** The KnownHash record of an entry: the entry plus list name, version and import time. */
export function toKnownHash(entry: HashEntry, stamp: ListStamp): KnownHashInput {
  return {
    listName: stamp.listName,
    listVersion: stamp.listVersion,
    hashType: entry.hashType,
    value: entry.value,
    category: entry.category,
    categoryLabel: entry.categoryLabel,
    source: entry.source,
    mediaId: entry.mediaId,
    mediaSize: entry.mediaSize,
    series: entry.series,
    tags: entry.tags,
    victimIdentified: entry.victimIdentified,
    offenderIdentified: entry.offenderIdentified,
    isDistributed: entry.isDistributed,
    photoDnaVerbatim: entry.photoDnaVerbatim,
    importedAt: stamp.importedAt,
  };
}

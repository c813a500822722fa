import { DIHEDRAL_NAMES } from '@triage/hashing';
import { ExactHashSet, PdqIndex } from '@triage/matching';
import type { Hashes, HashMatch, KnownHash } from '@triage/schemas';
import type { KnownHashLookup } from './hash-stage.ts';

export interface KnownHashIndexOptions {
  pdqMatchDistance: number;
  pdqMinQuality: number;
  /** PDQ matches kept per item, closest first: an item near a large family of list entries would otherwise carry thousands. */
  maxPdqMatches?: number;
}

/**
 * Every known-list entry, held as exact sets (MD5, SHA-1, SHA-256) and a PDQ multi-index, kept
 * in step with the compacted hash-list topic: `apply` takes each change the global table reads.
 * PhotoDNA entries are kept on the topic but not matched (the algorithm is licensed).
 */
export class KnownHashIndex implements KnownHashLookup {
  readonly #options: KnownHashIndexOptions;
  readonly #refs = new Map<string, number>();
  readonly #entries: (KnownHash | undefined)[] = [];
  readonly #freeRefs: number[] = [];
  readonly #exact = {
    MD5: new ExactHashSet({ algorithm: 'md5' }),
    SHA1: new ExactHashSet({ algorithm: 'sha1' }),
    SHA256: new ExactHashSet({ algorithm: 'sha256' }),
  };
  readonly #pdq: PdqIndex;

  constructor(options: KnownHashIndexOptions) {
    this.#options = options;
    this.#pdq = new PdqIndex({ maxDistance: options.pdqMatchDistance });
  }

  get size(): number {
    return this.#refs.size;
  }

  /** Applies one change of the hash-list topic (`entry` null = tombstone). */
  apply(key: string, entry: KnownHash | null): void {
    const ref = this.#refs.get(key);
    if (ref !== undefined) this.#unindex(key, ref);
    if (entry) this.#index(key, entry);
  }

  /** Builds the PDQ index in one piece: call once the table has loaded, before the first match. */
  optimize(): void {
    this.#pdq.optimize();
  }

  match(hashes: Hashes): HashMatch[] {
    const matches: HashMatch[] = [];
    for (const [type, value] of [
      ['MD5', hashes.md5],
      ['SHA1', hashes.sha1],
      ['SHA256', hashes.sha256],
    ] as const) {
      for (const ref of this.#exact[type].get(value)) matches.push(toMatch(this.#entries[ref]!, 0, null));
    }
    if (hashes.pdq && (hashes.pdqQuality ?? 0) >= this.#options.pdqMinQuality) {
      const variants = hashes.pdqDihedral.length > 0 ? hashes.pdqDihedral : [hashes.pdq];
      const hits = this.#pdq.query(variants, this.#options.pdqMatchDistance);
      for (const hit of hits.slice(0, this.#options.maxPdqMatches ?? 100)) {
        matches.push(toMatch(this.#entries[hit.id]!, hit.distance, DIHEDRAL_NAMES[hit.variant] ?? null));
      }
    }
    return matches;
  }

  #index(key: string, entry: KnownHash): void {
    const ref = this.#freeRefs.pop() ?? this.#entries.length;
    this.#entries[ref] = entry;
    this.#refs.set(key, ref);
    if (entry.hashType === 'MD5' || entry.hashType === 'SHA1' || entry.hashType === 'SHA256') {
      this.#exact[entry.hashType].add(entry.value, ref);
    } else if (entry.hashType === 'PDQ') {
      this.#pdq.add(ref, entry.value);
    }
  }

  #unindex(key: string, ref: number): void {
    const entry = this.#entries[ref];
    if (entry?.hashType === 'MD5' || entry?.hashType === 'SHA1' || entry?.hashType === 'SHA256') {
      this.#exact[entry.hashType].remove(entry.value, ref);
    } else if (entry?.hashType === 'PDQ') {
      this.#pdq.remove(ref);
    }
    this.#entries[ref] = undefined;
    this.#refs.delete(key);
    this.#freeRefs.push(ref);
  }
}

function toMatch(entry: KnownHash, distance: number, variant: string | null): HashMatch {
  return {
    listName: entry.listName,
    listVersion: entry.listVersion,
    hashType: entry.hashType,
    category: entry.category,
    categoryLabel: entry.categoryLabel,
    distance,
    variant,
  };
}

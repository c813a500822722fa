import { DIHEDRAL_NAMES } from '@triage/hashing';
import { ExactHashSet, PdqIndex } from '@triage/matching';
import type { Hashes, HashMatch, HashType, KnownHash } from '@triage/schemas';

export interface KnownHashIndexOptions {
  pdqMatchDistance: number;
  pdqMinQuality: number;
  /** PDQ matches kept per item, closest first: an item near a large family of list entries would otherwise carry thousands. */
  maxPdqMatches?: number;
}

/** What a match reports about the entry it hit: shared by every entry of one list version and category. */
type MatchTag = Omit<HashMatch, 'distance' | 'variant'>;

/** The hash types the index holds and `lookup` takes. */
export type IndexedType = 'MD5' | 'SHA1' | 'SHA256' | 'PDQ';

/** What `lookup` reports of an entry it hit: its list, version, type, category, and the distance. */
export type KnownHashHit = MatchTag & { distance: number };
const indexedTypes = new Set<HashType>(['MD5', 'SHA1', 'SHA256', 'PDQ']);

/**
 * Every known-list entry, held as exact sets (MD5, SHA-1, SHA-256) and a PDQ multi-index, kept in
 * step with the compacted hash-list topic: `apply` takes each change the global table reads.
 * Built for lists of millions: an entry costs its slot in the binary hash tables plus one 32-bit
 * reference to a shared match tag (list, version, type, category), never a JS object or a key
 * string. Entries are found again by their hash (PDQ too, through an exact 256-bit set), so an
 * update or a tombstone needs no key map. PhotoDNA entries stay on the topic but are not matched.
 */
export class KnownHashIndex {
  readonly #options: KnownHashIndexOptions;
  readonly #exact: Record<IndexedType, ExactHashSet> = {
    MD5: new ExactHashSet({ algorithm: 'md5' }),
    SHA1: new ExactHashSet({ algorithm: 'sha1' }),
    SHA256: new ExactHashSet({ algorithm: 'sha256' }),
    // PDQ hashes are 256 bits too: this set finds a PDQ entry by its exact value for updates.
    PDQ: new ExactHashSet({ algorithm: 'sha256' }),
  };
  readonly #pdq: PdqIndex;
  readonly #tags: MatchTag[] = [];
  readonly #tagIds = new Map<string, number>();
  #tagOf = new Uint32Array(1024);
  #nextRef = 0;
  readonly #freeRefs: number[] = [];
  #size = 0;

  constructor(options: KnownHashIndexOptions) {
    this.#options = options;
    this.#pdq = new PdqIndex({ maxDistance: options.pdqMatchDistance });
  }

  /** Entries held (PhotoDNA and other unmatched types are not held). */
  get size(): number {
    return this.#size;
  }

  /**
   * Applies one change of the hash-list topic. The key is `<list>:<hashType>:<value>`; a null
   * entry is its tombstone. A malformed hash throws TRIAGE_HASH_INVALID (the table skips the row).
   */
  apply(key: string, entry: KnownHash | null): void {
    const [listName, hashType, value] = splitKey(key);
    if (!indexedTypes.has(hashType as HashType)) return;
    const type = hashType as IndexedType;
    const existing = this.#refOf(type, value, listName);
    if (existing !== undefined) this.#remove(type, value, existing);
    if (entry) this.#add(type, entry.value, entry);
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
      for (const ref of this.#exact[type].get(value))
        matches.push({ ...this.#tagAt(ref), distance: 0, variant: null });
    }
    if (hashes.pdq && (hashes.pdqQuality ?? 0) >= this.#options.pdqMinQuality) {
      const variants = hashes.pdqDihedral.length > 0 ? hashes.pdqDihedral : [hashes.pdq];
      const hits = this.#pdq.query(variants, this.#options.pdqMatchDistance);
      for (const hit of hits.slice(0, this.#options.maxPdqMatches ?? 100)) {
        matches.push({
          ...this.#tagAt(hit.id),
          distance: hit.distance,
          variant: DIHEDRAL_NAMES[hit.variant] ?? null,
        });
      }
    }
    return matches;
  }

  /**
   * One hash against every list, for a caller that checks hashes one at a time (the hash-check
   * service): the entries it hits with their list, category and distance (0 unless PDQ). PDQ is
   * searched within `maxDistance`, never beyond the index's own `pdqMatchDistance`, with no
   * dihedral variants and no quality check (the caller sends what it hashed). The value must be
   * lower-case hex of its type's length; anything else throws TRIAGE_HASH_INVALID.
   */
  lookup(hashType: IndexedType, value: string, maxDistance = 0): KnownHashHit[] {
    const hits: KnownHashHit[] = [];
    if (hashType !== 'PDQ') {
      for (const ref of this.#exact[hashType].get(value)) hits.push({ ...this.#tagAt(ref), distance: 0 });
      return hits;
    }
    const distance = Math.min(maxDistance, this.#options.pdqMatchDistance);
    for (const hit of this.#pdq.query([value], distance))
      hits.push({ ...this.#tagAt(hit.id), distance: hit.distance });
    return hits;
  }

  /** Bytes held by the hash tables and the multi-index (a lower bound of the process's share). */
  memoryBytes(): number {
    const sets = Object.values(this.#exact).reduce((sum, set) => sum + set.memoryBytes(), 0);
    return sets + this.#pdq.memoryBytes() + this.#tagOf.byteLength;
  }

  #refOf(type: IndexedType, value: string, listName: string): number | undefined {
    return this.#exact[type].get(value).find((ref) => this.#tagAt(ref).listName === listName);
  }

  #add(type: IndexedType, value: string, entry: KnownHash): void {
    const ref = this.#freeRefs.pop() ?? this.#nextRef++;
    if (ref >= this.#tagOf.length) {
      const grown = new Uint32Array(this.#tagOf.length * 2);
      grown.set(this.#tagOf);
      this.#tagOf = grown;
    }
    this.#tagOf[ref] = this.#tagId({
      listName: entry.listName,
      listVersion: entry.listVersion,
      hashType: entry.hashType,
      category: entry.category,
      categoryLabel: entry.categoryLabel,
    });
    this.#exact[type].add(value, ref);
    if (type === 'PDQ') this.#pdq.add(ref, value);
    this.#size += 1;
  }

  #remove(type: IndexedType, value: string, ref: number): void {
    this.#exact[type].remove(value, ref);
    if (type === 'PDQ') this.#pdq.remove(ref);
    this.#freeRefs.push(ref);
    this.#size -= 1;
  }

  #tagId(tag: MatchTag): number {
    const id = `${tag.listName}\u0000${tag.listVersion}\u0000${tag.hashType}\u0000${tag.category}\u0000${tag.categoryLabel}`;
    let tagId = this.#tagIds.get(id);
    if (tagId === undefined) {
      tagId = this.#tags.length;
      this.#tags.push(Object.freeze(tag));
      this.#tagIds.set(id, tagId);
    }
    return tagId;
  }

  #tagAt(ref: number): MatchTag {
    return this.#tags[this.#tagOf[ref]!]!;
  }
}

/** The hash type named by a hash-list key. */
export function hashTypeOfKey(key: string): string {
  return splitKey(key)[1];
}

/** `<list>:<hashType>:<value>`; list names never hold `:` (the importer enforces it). */
function splitKey(key: string): [string, string, string] {
  const first = key.indexOf(':');
  const second = key.indexOf(':', first + 1);
  return [key.slice(0, first), key.slice(first + 1, second), key.slice(second + 1)];
}

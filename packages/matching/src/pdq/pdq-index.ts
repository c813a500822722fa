import { TriageError } from '@triage/errors';
import { clusterRows } from './cluster-rows.ts';
import { IdTable } from './id-table.ts';
import {
  maxRows,
  type PdqIndexOptions,
  type ResolvedPdqIndexOptions,
  resolvePdqIndexOptions,
} from './options.ts';
import { formatPdqHash, type PdqHashInput, pdqWords, popcount32, writePdqHash } from './pdq-hash.ts';
import { buildSegment, type Segment } from './segment.ts';
import { maskCount, maskTable, type SlotLayout, slotKey, slotLayout, slotRadii } from './slots.ts';
import type { PdqIndexStats, PdqMatch } from './types.ts';

/**
 * Exact PDQ matching by multi-index hashing (Norouzi et al.) over an in-memory row store.
 *
 * Rows hold the 8 words of each hash, its id and an alive flag. Rows are covered by immutable
 * segments (CSR slot tables, see segment.ts) plus a tail of recent rows that queries scan linearly.
 * `remove` only clears the alive flag; a query drops such rows from its results, and compaction
 * (automatic past `compactRatio`, or `optimize()`) renumbers the rows and rebuilds.
 *
 * A query probes every slot of every segment at the radius given by the pigeonhole bound
 * (slots.ts), gathers the candidate rows of all probes first, then verifies them by full popcount, so
 * results are exactly those of a linear scan. Single-threaded and synchronous, like the rest of a
 * Node process: a build of 10M rows blocks for seconds (see docs/adr/0004-pdq-index.md).
 */
export class PdqIndex {
  readonly #options: ResolvedPdqIndexOptions;
  readonly #layout: SlotLayout;

  // Row store.
  #hashes: Uint32Array;
  #ids: Uint32Array;
  #alive: Uint8Array;
  #rows = 0;
  #live = 0;
  #ids2rows: IdTable;

  // Index.
  #segments: Segment[] = [];
  /** First row not covered by a segment. */
  #tailStart = 0;

  // Query scratch (grown on demand, reused).
  #queryWords = new Uint32Array(8 * pdqWords);
  #rangeStart = new Uint32Array(4096);
  #rangeEnd = new Uint32Array(4096);
  #rangeBudget = new Uint8Array(4096);
  #candidates = new Uint32Array(4096);
  #matchRows = new Uint32Array(4096);
  #matchDistances = new Uint16Array(4096);
  #seen = new Uint32Array(32);
  #firstWords = new Uint32Array(verifyChunk);
  /** Written by the touch loops so the engine cannot drop them. */
  #sink = 0;

  constructor(options: PdqIndexOptions = {}) {
    this.#options = resolvePdqIndexOptions(options);
    this.#layout = slotLayout(this.#options.slots);
    const capacity = this.#options.initialCapacity;
    this.#hashes = new Uint32Array(capacity * pdqWords);
    this.#ids = new Uint32Array(capacity);
    this.#alive = new Uint8Array(capacity);
    this.#ids2rows = new IdTable(capacity);
  }

  /** Entries that can match (added and not removed). */
  get size(): number {
    return this.#live;
  }

  get options(): ResolvedPdqIndexOptions {
    return this.#options;
  }

  has(id: number): boolean {
    return this.#ids2rows.get(id) >= 0;
  }

  /** The hash stored for `id` (lower-case hex), or undefined. */
  hashOf(id: number): string | undefined {
    const row = this.#ids2rows.get(id);
    return row < 0 ? undefined : formatPdqHash(this.#hashes, row * pdqWords);
  }

  /**
   * Adds `id` with `hash`, or replaces the hash of an existing `id`. `id` is a uint32 other than
   * 0xffffffff. Returns false when `id` already had this very hash (nothing changes). Throws
   * TRIAGE_HASH_INVALID for a hash that is not 64 hex digits or 8 words.
   */
  add(id: number, hash: PdqHashInput): boolean {
    checkId(id);
    this.#reserve(this.#rows + 1);
    const row = this.#rows;
    writePdqHash(hash, this.#hashes, row * pdqWords);
    return this.#commitRow(id, row);
  }

  /**
   * Adds many entries at once: `ids[i]` with the hash in `words[8i .. 8i + 8)`. Same rules as `add`,
   * without parsing; the fast path for loading a list.
   */
  addMany(ids: ArrayLike<number>, words: Uint32Array): void {
    if (words.length !== ids.length * pdqWords)
      throw new TriageError(
        'TRIAGE_HASH_INVALID',
        `addMany needs 8 words per id: ${ids.length} ids, ${words.length} words`,
      );
    this.#reserve(this.#rows + ids.length);
    const hashes = this.#hashes;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      checkId(id);
      const row = this.#rows;
      for (let w = 0; w < pdqWords; w++) hashes[row * pdqWords + w] = words[i * pdqWords + w]!;
      this.#commitRow(id, row);
    }
  }

  /** Removes `id`; returns false when it was not there. */
  remove(id: number): boolean {
    const row = this.#ids2rows.delete(id);
    if (row < 0) return false;
    this.#alive[row] = 0;
    this.#live--;
    return true;
  }

  /**
   * Entries within `maxDistance` of any of the query `variants` (a PDQ hash and, usually, its 8
   * dihedral variants), one per entry with its smallest distance and the variant that gave it, sorted
   * by distance then id. Exact: the same entries a linear scan returns.
   */
  query(variants: readonly PdqHashInput[], maxDistance: number = this.#options.maxDistance): PdqMatch[] {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 256)
      throw new TriageError(
        'TRIAGE_INTERNAL',
        `maxDistance must be an integer in 0..256, got ${maxDistance}`,
      );
    if (variants.length > maxVariants)
      throw new TriageError(
        'TRIAGE_INTERNAL',
        `at most ${maxVariants} query variants, got ${variants.length}`,
      );
    if (this.#queryWords.length < variants.length * pdqWords)
      this.#queryWords = new Uint32Array(variants.length * pdqWords);
    const q = this.#queryWords;
    for (let v = 0; v < variants.length; v++) writePdqHash(variants[v]!, q, v * pdqWords);
    if (this.#options.autoMaintain) this.#maintain();
    const radii = slotRadii(this.#layout, maxDistance);

    if (variants.length === 1) {
      const found = this.#search(q, 0, maxDistance, radii);
      const keys = new Float64Array(found);
      for (let j = 0; j < found; j++)
        keys[j] = matchKey(this.#matchDistances[j]!, this.#ids[this.#matchRows[j]!]!, 0);
      return decodeMatches(keys);
    }
    // Best per row: distance * 2^12 + variant, so the smaller number wins both ways.
    const best = new Map<number, number>();
    for (let v = 0; v < variants.length; v++) {
      const found = this.#search(q, v * pdqWords, maxDistance, radii);
      for (let j = 0; j < found; j++) {
        const row = this.#matchRows[j]!;
        const score = this.#matchDistances[j]! * maxVariants + v;
        const previous = best.get(row);
        if (previous === undefined || score < previous) best.set(row, score);
      }
    }
    const keys = new Float64Array(best.size);
    let j = 0;
    for (const [row, score] of best) {
      const variant = score % maxVariants;
      keys[j++] = matchKey((score - variant) / maxVariants, this.#ids[row]!, variant);
    }
    return decodeMatches(keys);
  }

  /** Indexes every row into one segment, dropping removed rows. Blocks for ~0.3 s per million rows. */
  optimize(): void {
    if (this.#rows > this.#live) this.#compact();
    else if (this.#segments.length !== 1 || this.#tailStart < this.#rows) {
      this.#segments = this.#rows === 0 ? [] : [this.#build(0, this.#rows)];
      this.#tailStart = this.#rows;
    }
  }

  /** Bytes held in typed arrays (store, id table, slot tables, scratch): the index's memory estimate. */
  memoryBytes(): number {
    const stats = this.stats();
    return stats.indexBytes + stats.storeBytes + stats.idTableBytes + stats.scratchBytes;
  }

  stats(): PdqIndexStats {
    return {
      entries: this.#live,
      rows: this.#rows,
      removedRows: this.#rows - this.#live,
      tailRows: this.#rows - this.#tailStart,
      segments: this.#segments.map((s) => ({ rows: s.end - s.start, live: s.live, bytes: s.bytes })),
      indexBytes: this.#segments.reduce((sum, s) => sum + s.bytes, 0),
      storeBytes: this.#hashes.byteLength + this.#ids.byteLength + this.#alive.byteLength,
      idTableBytes: this.#ids2rows.bytes,
      scratchBytes:
        this.#queryWords.byteLength +
        this.#rangeStart.byteLength * 2 +
        this.#rangeBudget.byteLength +
        this.#candidates.byteLength +
        this.#matchRows.byteLength +
        this.#matchDistances.byteLength +
        this.#seen.byteLength,
    };
  }

  /** Stores the id of a freshly written row, or undoes the row when the id already had that hash. */
  #commitRow(id: number, row: number): boolean {
    const previous = this.#ids2rows.put(id, row);
    if (previous >= 0) {
      if (sameHash(this.#hashes, previous * pdqWords, row * pdqWords)) {
        this.#ids2rows.put(id, previous);
        return false;
      }
      this.#alive[previous] = 0;
      this.#live--;
    }
    this.#ids[row] = id;
    this.#alive[row] = 1;
    this.#rows++;
    this.#live++;
    return true;
  }

  #reserve(rows: number): void {
    if (rows > maxRows)
      throw new TriageError(
        'TRIAGE_INTERNAL',
        `PdqIndex holds at most ${maxRows} rows (optimize() drops removed ones)`,
      );
    const capacity = this.#ids.length;
    if (rows <= capacity) return;
    const grown = Math.min(maxRows, Math.max(rows, Math.ceil(capacity * 1.5)));
    const hashes = new Uint32Array(grown * pdqWords);
    hashes.set(this.#hashes.subarray(0, this.#rows * pdqWords));
    const ids = new Uint32Array(grown);
    ids.set(this.#ids.subarray(0, this.#rows));
    const alive = new Uint8Array(grown);
    alive.set(this.#alive.subarray(0, this.#rows));
    this.#hashes = hashes;
    this.#ids = ids;
    this.#alive = alive;
  }

  #build(start: number, end: number): Segment {
    const o = this.#options;
    if (o.clusterRows) this.#cluster(start, end);
    return buildSegment(this.#hashes, this.#alive, start, end, this.#layout, o.bucketTarget);
  }

  /** Clusters rows [start, end) (see cluster-rows.ts) and points the id table at their new rows. */
  #cluster(start: number, end: number): void {
    if (end - start < 2) return;
    // About 8 rows per key group: rows with one full key stay together, the count tables stay small.
    const bits = Math.min(this.#layout.widths[0]!, Math.max(1, Math.ceil(Math.log2(end - start)) - 3));
    const store = { hashes: this.#hashes, ids: this.#ids, alive: this.#alive };
    const live = clusterRows(store, start, end, bits);
    for (let row = start; row < start + live; row++) this.#ids2rows.put(this.#ids[row]!, row);
  }

  /** Automatic upkeep before a query: compact past the removed-row ratio, index a full tail, merge. */
  #maintain(): void {
    const o = this.#options;
    const removed = this.#rows - this.#live;
    if (removed > o.tailLimit && removed > o.compactRatio * this.#rows) {
      this.#compact();
      return;
    }
    if (this.#rows - this.#tailStart < o.tailLimit) return;
    this.#segments.push(this.#build(this.#tailStart, this.#rows));
    this.#tailStart = this.#rows;
    for (let n = this.#segments.length; n >= 2; n = this.#segments.length) {
      const older = this.#segments[n - 2]!;
      const newer = this.#segments[n - 1]!;
      if (older.live > o.mergeFactor * newer.live) break;
      this.#segments.splice(n - 2, 2, this.#build(older.start, newer.end));
    }
  }

  /** Renumbers the live rows from 0 (in their order), shrinks the store and indexes it all. */
  #compact(): void {
    const live = this.#live;
    const capacity = Math.max(this.#options.initialCapacity, live + (live >>> 3));
    const hashes = new Uint32Array(capacity * pdqWords);
    const ids = new Uint32Array(capacity);
    const alive = new Uint8Array(capacity);
    const table = new IdTable(capacity);
    const oldHashes = this.#hashes;
    let next = 0;
    for (let row = 0; row < this.#rows; row++) {
      if (this.#alive[row] !== 1) continue;
      for (let w = 0; w < pdqWords; w++) hashes[next * pdqWords + w] = oldHashes[row * pdqWords + w]!;
      ids[next] = this.#ids[row]!;
      alive[next] = 1;
      table.put(ids[next]!, next);
      next++;
    }
    this.#hashes = hashes;
    this.#ids = ids;
    this.#alive = alive;
    this.#ids2rows = table;
    this.#rows = live;
    this.#segments = live === 0 ? [] : [this.#build(0, live)];
    this.#tailStart = live;
  }

  /**
   * Rows within `maxDistance` of the hash at `q[qo ..]`, each once, alive only: written to
   * `#matchRows` / `#matchDistances`, count returned.
   */
  #search(q: Uint32Array, qo: number, maxDistance: number, radii: Int8Array): number {
    const layout = this.#layout;
    const segments = this.#segments;
    let matches = 0;

    // 1. Probe: the runs of every slot key within radius, as (start, end, low-bit budget) ranges.
    //    Independent loads of the offset tables, so the CPU can overlap their cache misses.
    type Group = { segment: Segment; slot: number; first: number; last: number; qLow: number };
    const groups: Group[] = [];
    let ranges = 0;
    let total = 0;
    for (let si = 0; si < segments.length; si++) {
      const segment = segments[si]!;
      let probes = 0;
      for (let slot = 0; slot < layout.count; slot++)
        if (radii[slot]! >= 0) probes += maskCount(segment.topBits[slot]!, radii[slot]!);
      if (probes * 4 > segment.end - segment.start) {
        // Cheaper to scan this segment than to probe it (small segment or a large maxDistance).
        matches = this.#scan(q, qo, maxDistance, segment.start, segment.end, matches);
        continue;
      }
      if (ranges + probes > this.#rangeStart.length) this.#growRanges(ranges + probes);
      const rangeStart = this.#rangeStart;
      const rangeEnd = this.#rangeEnd;
      const rangeBudget = this.#rangeBudget;
      for (let slot = 0; slot < layout.count; slot++) {
        const radius = radii[slot]!;
        if (radius < 0) continue;
        const top = segment.topBits[slot]!;
        const low = segment.lowBits[slot]!;
        const key = slotKey(q, qo, layout.starts[slot]!, layout.widths[slot]!);
        const qTop = key >>> low;
        const { masks, bounds } = maskTable(top, radius);
        const offsets = segment.offsets[slot]!;
        const first = ranges;
        for (let w = 0; w + 1 < bounds.length; w++) {
          const budget = radius - w;
          for (let m = bounds[w]!, end = bounds[w + 1]!; m < end; m++) {
            const t = qTop ^ masks[m]!;
            const s = offsets[t]!;
            const e = offsets[t + 1]!;
            rangeStart[ranges] = s;
            rangeEnd[ranges] = e;
            rangeBudget[ranges] = budget;
            ranges += e > s ? 1 : 0;
            total += e - s;
          }
        }
        if (ranges > first) groups.push({ segment, slot, first, last: ranges, qLow: key & ((1 << low) - 1) });
      }
    }

    // 2. Gather the candidate rows of all ranges (keeping entries whose low key bits are in budget).
    if (total > this.#candidates.length) this.#candidates = new Uint32Array(grow(total));
    const candidates = this.#candidates;
    let n = 0;
    for (const { segment, slot, first, last, qLow } of groups) {
      const entries = segment.entries[slot]!;
      const low = segment.lowBits[slot]!;
      const lowMask = (1 << low) - 1;
      const base = segment.start;
      // Touch the first entry of every range before scanning any: the loads overlap.
      let touched = 0;
      for (let r = first; r < last; r++) touched ^= entries[this.#rangeStart[r]!]!;
      this.#sink ^= touched;
      for (let r = first; r < last; r++) {
        const budget = this.#rangeBudget[r]!;
        const end = this.#rangeEnd[r]!;
        if (budget >= low) {
          for (let p = this.#rangeStart[r]!; p < end; p++) candidates[n++] = (entries[p]! >>> low) + base;
        } else if (budget === 0) {
          for (let p = this.#rangeStart[r]!; p < end; p++) {
            const x = entries[p]!;
            candidates[n] = (x >>> low) + base;
            n += (x & lowMask) === qLow ? 1 : 0;
          }
        } else {
          for (let p = this.#rangeStart[r]!; p < end; p++) {
            const x = entries[p]!;
            candidates[n] = (x >>> low) + base;
            n += popcount32((x ^ qLow) & lowMask) <= budget ? 1 : 0;
          }
        }
      }
    }

    // 3. Deduplicate when the runs were big enough that rows surely repeat (near-duplicate families).
    const seen = this.#seenFor(this.#rows);
    let unique = false;
    if (total > this.#options.dedupeThreshold) {
      let kept = 0;
      for (let k = 0; k < n; k++) {
        const row = candidates[k]!;
        const bit = 1 << (row & 31);
        const word = row >>> 5;
        const marks = seen[word]!;
        candidates[kept] = row;
        kept += marks & bit ? 0 : 1;
        seen[word] = marks | bit;
      }
      for (let k = 0; k < kept; k++) seen[candidates[k]! >>> 5] = 0;
      n = kept;
      unique = true;
    }

    // 4. Verify by full popcount, in chunks: first load word 0 of every candidate of the chunk (a
    //    tight loop, so many cache misses are in flight at once), then finish each from cache,
    //    branch-free: every candidate is written, only matches advance.
    if (matches + n + 1 > this.#matchRows.length) this.#growMatches(matches + n + 1);
    const hashes = this.#hashes;
    const matchRows = this.#matchRows;
    const matchDistances = this.#matchDistances;
    const q0 = q[qo]!;
    const q1 = q[qo + 1]!;
    const q2 = q[qo + 2]!;
    const q3 = q[qo + 3]!;
    const q4 = q[qo + 4]!;
    const q5 = q[qo + 5]!;
    const q6 = q[qo + 6]!;
    const q7 = q[qo + 7]!;
    const first = this.#firstWords;
    for (let from = 0; from < n; from += verifyChunk) {
      const to = Math.min(n, from + verifyChunk);
      for (let k = from; k < to; k++) first[k - from] = hashes[candidates[k]! << 3]!;
      for (let k = from; k < to; k++) {
        const row = candidates[k]!;
        const b = row << 3;
        let x = (first[k - from]! ^ q0) >>> 0;
        let y = (hashes[b + 1]! ^ q1) >>> 0;
        x -= (x >>> 1) & 0x55555555;
        y -= (y >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        let s = x + y;
        let acc = (s & 0x0f0f0f0f) + ((s >>> 4) & 0x0f0f0f0f);
        x = (hashes[b + 2]! ^ q2) >>> 0;
        y = (hashes[b + 3]! ^ q3) >>> 0;
        x -= (x >>> 1) & 0x55555555;
        y -= (y >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        s = x + y;
        acc += (s & 0x0f0f0f0f) + ((s >>> 4) & 0x0f0f0f0f);
        x = (hashes[b + 4]! ^ q4) >>> 0;
        y = (hashes[b + 5]! ^ q5) >>> 0;
        x -= (x >>> 1) & 0x55555555;
        y -= (y >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        s = x + y;
        acc += (s & 0x0f0f0f0f) + ((s >>> 4) & 0x0f0f0f0f);
        x = (hashes[b + 6]! ^ q6) >>> 0;
        y = (hashes[b + 7]! ^ q7) >>> 0;
        x -= (x >>> 1) & 0x55555555;
        y -= (y >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
        s = x + y;
        acc += (s & 0x0f0f0f0f) + ((s >>> 4) & 0x0f0f0f0f);
        acc = (acc & 0x00ff00ff) + ((acc >>> 8) & 0x00ff00ff);
        const distance = (acc & 0xffff) + (acc >>> 16);
        matchRows[matches] = row;
        matchDistances[matches] = distance;
        matches += distance <= maxDistance ? 1 : 0;
      }
    }

    // 5. Rows no segment covers yet.
    matches = this.#scan(q, qo, maxDistance, this.#tailStart, this.#rows, matches);

    // 6. Keep live rows, once each.
    const alive = this.#alive;
    let kept = 0;
    for (let j = 0; j < matches; j++) {
      const row = this.#matchRows[j]!;
      if (alive[row] !== 1) continue;
      if (!unique) {
        const bit = 1 << (row & 31);
        if (seen[row >>> 5]! & bit) continue;
        seen[row >>> 5]! |= bit;
      }
      this.#matchRows[kept] = row;
      this.#matchDistances[kept] = this.#matchDistances[j]!;
      kept++;
    }
    if (!unique) for (let j = 0; j < kept; j++) seen[this.#matchRows[j]! >>> 5] = 0;
    return kept;
  }

  /** Linear scan of rows [from, to), appending matches after `matches`; returns the new count. */
  #scan(q: Uint32Array, qo: number, maxDistance: number, from: number, to: number, matches: number): number {
    const hashes = this.#hashes;
    for (let row = from; row < to; row++) {
      const b = row * pdqWords;
      let distance = 0;
      for (let w = 0; w < pdqWords && distance <= maxDistance; w++)
        distance += popcount32(hashes[b + w]! ^ q[qo + w]!);
      if (distance > maxDistance) continue;
      if (matches + 1 > this.#matchRows.length) this.#growMatches(matches + 1);
      this.#matchRows[matches] = row;
      this.#matchDistances[matches] = distance;
      matches++;
    }
    return matches;
  }

  #growRanges(needed: number): void {
    const size = grow(needed);
    const start = new Uint32Array(size);
    start.set(this.#rangeStart);
    const end = new Uint32Array(size);
    end.set(this.#rangeEnd);
    const budget = new Uint8Array(size);
    budget.set(this.#rangeBudget);
    this.#rangeStart = start;
    this.#rangeEnd = end;
    this.#rangeBudget = budget;
  }

  #growMatches(needed: number): void {
    const size = grow(needed);
    const rows = new Uint32Array(size);
    rows.set(this.#matchRows);
    const distances = new Uint16Array(size);
    distances.set(this.#matchDistances);
    this.#matchRows = rows;
    this.#matchDistances = distances;
  }

  /** The all-zero dedupe bitmap, big enough for `rows` rows. */
  #seenFor(rows: number): Uint32Array {
    const words = (rows >>> 5) + 1;
    if (this.#seen.length < words) this.#seen = new Uint32Array(grow(words));
    return this.#seen;
  }
}

/** Candidates per verification chunk (their cache lines must fit in L1/L2 until the second pass). */
const verifyChunk = 256;

function grow(needed: number): number {
  return Math.max(needed, 2 ** Math.ceil(Math.log2(needed)));
}

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= 0xffffffff)
    throw new TriageError('TRIAGE_INTERNAL', `PdqIndex ids are integers in 0..4294967294, got ${id}`);
}

function sameHash(hashes: Uint32Array, a: number, b: number): boolean {
  for (let w = 0; w < pdqWords; w++) if (hashes[a + w] !== hashes[b + w]) return false;
  return true;
}

/** Variants a query may have (the sort key packs the variant in 12 bits). */
const maxVariants = 4096;
const idSpan = 2 ** 32;

/** A number that sorts like (distance, id) and carries the variant: 9 + 32 + 12 bits, exact in a double. */
function matchKey(distance: number, id: number, variant: number): number {
  return (distance * idSpan + id) * maxVariants + variant;
}

/** Matches sorted by distance then id (a typed-array sort of packed keys: no comparator calls). */
function decodeMatches(keys: Float64Array): PdqMatch[] {
  keys.sort();
  const matches: PdqMatch[] = new Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j]!;
    const variant = key % maxVariants;
    const rest = (key - variant) / maxVariants;
    const id = rest % idSpan;
    matches[j] = { id, distance: (rest - id) / idSpan, variant };
  }
  return matches;
}

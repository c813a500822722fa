import { pdqWords } from './pdq-hash.ts';
import type { SlotLayout } from './slots.ts';

/**
 * An immutable multi-index over the live rows `[start, end)` of the hash store: one table per slot in
 * CSR layout. A slot key of `width` bits is split into `top` high bits and `low = width - top` low
 * bits. `offsets` (2^top + 1 entries) gives each top value its run of `entries`; an entry packs the
 * row (relative to `start`) above the `low` bits of its key: `(row - start) << low | keyLow`. Within a
 * run, entries are in row order.
 *
 * A probe for every key within radius r of the query key walks the top values within r of the query's
 * top and, in each run, keeps the entries whose low bits are within the radius left over. `top` is
 * chosen so that a run holds about `bucketTarget` entries: a direct table over all 23-24 bits would
 * cost 32-64 MB per slot, and runs of a few entries cost little more to scan than a single bucket.
 */
export interface Segment {
  readonly start: number;
  readonly end: number;
  /** Rows indexed (those alive when the segment was built). */
  readonly live: number;
  readonly topBits: Uint8Array;
  readonly lowBits: Uint8Array;
  readonly offsets: readonly Uint32Array[];
  readonly entries: readonly Uint32Array[];
  readonly bytes: number;
}

/** Top bits for a slot of `width` bits over `live` rows in a span of `span` rows. */
function chooseTopBits(width: number, live: number, span: number, bucketTarget: number): number {
  const rowBits = Math.max(1, Math.ceil(Math.log2(Math.max(2, span))));
  const wanted = live > bucketTarget ? Math.ceil(Math.log2(live / bucketTarget)) : 0;
  // The packed entry must hold the row and the low bits in 32 bits.
  return Math.min(width, Math.max(wanted, width - (32 - rowBits)));
}

export function buildSegment(
  hashes: Uint32Array,
  alive: Uint8Array,
  start: number,
  end: number,
  layout: SlotLayout,
  bucketTarget: number,
): Segment {
  const span = end - start;
  let live = 0;
  for (let row = start; row < end; row++) live += alive[row]!;
  const keys = new Uint32Array(span);
  const scratch = { tops: new Uint32Array(0), values: new Uint32Array(0) };
  const topBits = new Uint8Array(layout.count);
  const lowBits = new Uint8Array(layout.count);
  const offsets: Uint32Array[] = [];
  const entries: Uint32Array[] = [];
  let bytes = 0;
  for (let slot = 0; slot < layout.count; slot++) {
    const width = layout.widths[slot]!;
    const first = layout.starts[slot]!;
    const top = chooseTopBits(width, live, span, bucketTarget);
    const low = width - top;
    topBits[slot] = top;
    lowBits[slot] = low;
    extractKeys(hashes, start, end, first, width, keys);

    const offset = new Uint32Array((1 << top) + 1);
    const entry = new Uint32Array(live);
    if (top <= directSortBits) placeDirect(keys, alive, start, low, offset, entry);
    else placeInTwoPasses(keys, alive, start, top, low, offset, entry, scratch);
    offsets.push(offset);
    entries.push(entry);
    bytes += offset.byteLength + entry.byteLength;
  }
  return { start, end, live, topBits, lowBits, offsets, entries, bytes };
}

/** Up to this many top bits, one counting sort over the whole offset table (it stays in cache). */
const directSortBits = 14;

/** Entries of the live rows grouped by the top bits of their key, row order kept: a counting sort. */
export function placeDirect(
  keys: Uint32Array,
  alive: Uint8Array,
  start: number,
  low: number,
  offset: Uint32Array,
  entry: Uint32Array,
): void {
  const lowMask = (1 << low) - 1;
  for (let k = 0; k < keys.length; k++) if (alive[start + k] === 1) offset[(keys[k]! >>> low) + 1]!++;
  for (let t = 1; t < offset.length; t++) offset[t]! += offset[t - 1]!;
  for (let k = 0; k < keys.length; k++) {
    if (alive[start + k] !== 1) continue;
    const key = keys[k]!;
    entry[offset[key >>> low]!++] = (k << low) | (key & lowMask);
  }
  // Placement advanced every offset to the start of the next run: shift them back.
  offset.copyWithin(1, 0, offset.length - 1);
  offset[0] = 0;
}

/**
 * The same result as `placeDirect` for big offset tables, in cache-friendly passes (2-3x faster at
 * 10M rows): scatter the entries by the high half of their top bits into ~2^11 buckets (sequential
 * writes per bucket), then counting-sort each bucket, which fits in L2, by the low half.
 */
export function placeInTwoPasses(
  keys: Uint32Array,
  alive: Uint8Array,
  start: number,
  top: number,
  low: number,
  offset: Uint32Array,
  entry: Uint32Array,
  scratch: { tops: Uint32Array; values: Uint32Array },
): void {
  const live = entry.length;
  if (scratch.tops.length < live) {
    scratch.tops = new Uint32Array(live);
    scratch.values = new Uint32Array(live);
  }
  const { tops, values } = scratch;
  const lowMask = (1 << low) - 1;
  const minorBits = top >>> 1;
  const minorMask = (1 << minorBits) - 1;
  const shift = low + minorBits;
  const buckets = new Uint32Array((1 << (top - minorBits)) + 1);
  for (let k = 0; k < keys.length; k++) if (alive[start + k] === 1) buckets[(keys[k]! >>> shift) + 1]!++;
  for (let b = 1; b < buckets.length; b++) buckets[b]! += buckets[b - 1]!;
  for (let k = 0; k < keys.length; k++) {
    if (alive[start + k] !== 1) continue;
    const key = keys[k]!;
    const at = buckets[key >>> shift]!++;
    tops[at] = (key >>> low) & minorMask;
    values[at] = (k << low) | (key & lowMask);
  }
  // buckets[b] is now the end of bucket b.
  const counts = new Uint32Array((1 << minorBits) + 1);
  let from = 0;
  for (let b = 0; b + 1 < buckets.length; b++) {
    const to = buckets[b]!;
    counts.fill(0);
    for (let p = from; p < to; p++) counts[tops[p]! + 1]!++;
    for (let m = 1; m < counts.length; m++) counts[m]! += counts[m - 1]!;
    const base = b << minorBits;
    for (let m = 0; m <= minorMask; m++) offset[base + m] = from + counts[m]!;
    for (let p = from; p < to; p++) entry[from + counts[tops[p]!]!++] = values[p]!;
    from = to;
  }
  offset[offset.length - 1] = live;
}

/** keys[k] = the slot's value for row start + k. */
function extractKeys(
  hashes: Uint32Array,
  start: number,
  end: number,
  first: number,
  width: number,
  keys: Uint32Array,
): void {
  const word = first >>> 5;
  const last = (first & 31) + width;
  const mask = (1 << width) - 1;
  if (last <= 32) {
    const shift = 32 - last;
    for (let row = start, b = start * pdqWords + word; row < end; row++, b += pdqWords)
      keys[row - start] = (hashes[b]! >>> shift) & mask;
  } else {
    const spill = last - 32;
    const back = 32 - spill;
    for (let row = start, b = start * pdqWords + word; row < end; row++, b += pdqWords)
      keys[row - start] = ((hashes[b]! << spill) | (hashes[b + 1]! >>> back)) & mask;
  }
}

// Probe detection, pure: what a hoster's recent PDQ queries say, given the clock. No I/O.
import { parsePdqHash, pdqWords } from '@triage/matching';

export interface ProbeDetectorOptions {
  /** Two PDQ queries at most this many bits apart (at most 15) are near-identical. */
  nearBits: number;
  /** Near-identical (match, no-match) pairs within the window that mean probing. */
  maxBoundaryPairs: number;
  /** How long a query is remembered. */
  windowMs: number;
  /** How long a hoster caught probing is refused. */
  cooldownMs: number;
  /** Most queries of each kind remembered per hoster (the oldest go first); default 4096. */
  maxRemembered?: number;
}

/** One PDQ query of a batch and its answer. */
export interface ProbeObservation {
  pdq: string;
  matched: boolean;
}

export interface ProbeVerdict {
  /** Near-identical pairs across a match boundary now in the window. */
  boundaryPairs: number;
  /** Set when the hoster is (now or still) throttled: epoch ms when it may ask again. */
  throttledUntil: number | null;
}

interface Remembered {
  words: Uint32Array;
  at: number;
}

/** 16 chunks of 16 bits: two hashes within 15 bits share at least one chunk exactly (pigeonhole). */
const chunks = 16;
/** The largest `nearBits` the chunk buckets find every pair for. */
const maxNearBits = chunks - 1;

const chunkKey = (words: Uint32Array, chunk: number) =>
  chunk * 65_536 + ((words[chunk >>> 1]! >>> ((chunk & 1) * 16)) & 0xffff);

/**
 * Remembered queries of one kind (matching or not), oldest first, with buckets by chunk value so
 * a new query is compared only with those that share a chunk: a handful, not the whole window.
 */
class RememberedQueries {
  readonly #queue: Remembered[] = [];
  readonly #buckets = new Map<number, Remembered[]>();

  get size(): number {
    return this.#queue.length;
  }

  add(entry: Remembered): void {
    this.#queue.push(entry);
    for (let chunk = 0; chunk < chunks; chunk++) {
      const key = chunkKey(entry.words, chunk);
      const bucket = this.#buckets.get(key);
      if (bucket) bucket.push(entry);
      else this.#buckets.set(key, [entry]);
    }
  }

  /** How many remembered queries are within `limit` bits of `words`. */
  countNear(words: Uint32Array, limit: number): number {
    const seen = new Set<Remembered>();
    for (let chunk = 0; chunk < chunks; chunk++) {
      for (const other of this.#buckets.get(chunkKey(words, chunk)) ?? []) {
        if (!seen.has(other) && withinBits(words, other.words, limit)) seen.add(other);
      }
    }
    return seen.size;
  }

  /** Forgets the oldest entries: those at or before `oldest`, and any beyond `max`. */
  forget(oldest: number, max: number): void {
    while (this.#queue.length > 0 && (this.#queue[0]!.at <= oldest || this.#queue.length > max)) {
      const entry = this.#queue.shift()!;
      for (let chunk = 0; chunk < chunks; chunk++) {
        const key = chunkKey(entry.words, chunk);
        const bucket = this.#buckets.get(key)!;
        bucket.splice(bucket.indexOf(entry), 1);
        if (bucket.length === 0) this.#buckets.delete(key);
      }
    }
  }
}

interface HosterWindow {
  matched: RememberedQueries;
  unmatched: RememberedQueries;
  /** Times of the boundary pairs found, oldest first. */
  pairs: number[];
  throttledUntil: number;
}

/**
 * Rebuilding a list from match / no-match answers means walking a hash bit by bit until the
 * answer flips: a run of near-identical queries on both sides of a match boundary. A hoster's
 * genuine files rarely give that: copies of one picture are either all on a list or all off it,
 * and copies that straddle the threshold are a handful, not dozens. So the detector counts pairs
 * of one matching and one non-matching query within `nearBits` (at most 15) of each other over a
 * sliding window; past `maxBoundaryPairs` the hoster is throttled for `cooldownMs`.
 *
 * Cheap on batches of thousands: each query is compared only with remembered queries of the other
 * kind that share one of its 16-bit chunks exactly (two hashes within 15 bits always do).
 */
export class ProbeDetector {
  readonly #options: Required<ProbeDetectorOptions>;
  readonly #hosters = new Map<string, HosterWindow>();

  constructor(options: ProbeDetectorOptions) {
    if (options.nearBits > maxNearBits) throw new RangeError(`nearBits is at most ${maxNearBits}`);
    this.#options = { maxRemembered: 4096, ...options };
  }

  /** When `hosterId` may ask again, or null if it is not throttled. */
  throttledUntil(hosterId: string, now: number): number | null {
    const until = this.#hosters.get(hosterId)?.throttledUntil ?? 0;
    return until > now ? until : null;
  }

  /** Takes a batch's PDQ queries and answers; says whether the hoster is now throttled. */
  observe(hosterId: string, observations: readonly ProbeObservation[], now: number): ProbeVerdict {
    const window = this.#windowOf(hosterId);
    const oldest = now - this.#options.windowMs;
    window.pairs = window.pairs.filter((at) => at > oldest);
    for (const { pdq, matched } of observations) {
      const words = parsePdqHash(pdq);
      const others = matched ? window.unmatched : window.matched;
      const near = others.countNear(words, this.#options.nearBits);
      for (let pair = 0; pair < near; pair++) window.pairs.push(now);
      (matched ? window.matched : window.unmatched).add({ words, at: now });
    }
    window.matched.forget(oldest, this.#options.maxRemembered);
    window.unmatched.forget(oldest, this.#options.maxRemembered);
    if (window.pairs.length > this.#options.maxBoundaryPairs)
      window.throttledUntil = Math.max(window.throttledUntil, now + this.#options.cooldownMs);
    const until = window.throttledUntil > now ? window.throttledUntil : null;
    return { boundaryPairs: window.pairs.length, throttledUntil: until };
  }

  #windowOf(hosterId: string): HosterWindow {
    let window = this.#hosters.get(hosterId);
    if (!window) {
      window = {
        matched: new RememberedQueries(),
        unmatched: new RememberedQueries(),
        pairs: [],
        throttledUntil: 0,
      };
      this.#hosters.set(hosterId, window);
    }
    return window;
  }
}

/** Whether two hashes differ in at most `limit` bits; gives up at the first word past it (most pairs). */
function withinBits(a: Uint32Array, b: Uint32Array, limit: number): boolean {
  let bits = 0;
  for (let w = 0; w < pdqWords; w++) {
    let x = a[w]! ^ b[w]!;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    bits += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    if (bits > limit) return false;
  }
  return true;
}

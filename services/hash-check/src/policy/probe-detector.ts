// Probe detection, pure: what a hoster's recent PDQ queries say, given the clock. No I/O.
import { parsePdqHash, pdqWords } from '@triage/matching';

export interface ProbeDetectorOptions {
  /** Two PDQ queries at most this many bits apart are near-identical. */
  nearBits: number;
  /** Near-identical (match, no-match) pairs within the window that mean probing. */
  maxBoundaryPairs: number;
  /** How long a query is remembered. */
  windowMs: number;
  /** How long a hoster caught probing is refused. */
  cooldownMs: number;
  /** Most queries of each kind remembered per hoster (the oldest go first); default 1024. */
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

interface HosterWindow {
  matched: Remembered[];
  unmatched: Remembered[];
  /** Times of the boundary pairs found, oldest first. */
  pairs: number[];
  throttledUntil: number;
}

/**
 * Rebuilding a list from match / no-match answers means walking a hash bit by bit until the
 * answer flips: a run of near-identical queries on both sides of a match boundary. A hoster's
 * genuine files rarely give that: copies of one picture are either all on a list or all off it,
 * and copies that straddle the threshold are a handful, not dozens. So the detector counts pairs
 * of one matching and one non-matching query within `nearBits` of each other over a sliding
 * window; past `maxBoundaryPairs` the hoster is throttled for `cooldownMs`.
 *
 * Cheap on real traffic: a non-matching query (nearly all of them) is compared with the few
 * matching ones remembered; only a matching query is compared with the non-matching ones.
 */
export class ProbeDetector {
  readonly #options: Required<ProbeDetectorOptions>;
  readonly #hosters = new Map<string, HosterWindow>();

  constructor(options: ProbeDetectorOptions) {
    this.#options = { maxRemembered: 1024, ...options };
  }

  /** When `hosterId` may ask again, or null if it is not throttled. */
  throttledUntil(hosterId: string, now: number): number | null {
    const until = this.#hosters.get(hosterId)?.throttledUntil ?? 0;
    return until > now ? until : null;
  }

  /** Takes a batch's PDQ queries and answers; says whether the hoster is now throttled. */
  observe(hosterId: string, observations: readonly ProbeObservation[], now: number): ProbeVerdict {
    const window = this.#windowOf(hosterId);
    this.#expire(window, now);
    for (const { pdq, matched } of observations) {
      const words = parsePdqHash(pdq);
      const others = matched ? window.unmatched : window.matched;
      for (const other of others) {
        if (withinBits(words, other.words, this.#options.nearBits)) window.pairs.push(now);
      }
      (matched ? window.matched : window.unmatched).push({ words, at: now });
    }
    const max = this.#options.maxRemembered;
    if (window.matched.length > max) window.matched.splice(0, window.matched.length - max);
    if (window.unmatched.length > max) window.unmatched.splice(0, window.unmatched.length - max);
    if (window.pairs.length > this.#options.maxBoundaryPairs)
      window.throttledUntil = Math.max(window.throttledUntil, now + this.#options.cooldownMs);
    const until = window.throttledUntil > now ? window.throttledUntil : null;
    return { boundaryPairs: window.pairs.length, throttledUntil: until };
  }

  #windowOf(hosterId: string): HosterWindow {
    let window = this.#hosters.get(hosterId);
    if (!window) {
      window = { matched: [], unmatched: [], pairs: [], throttledUntil: 0 };
      this.#hosters.set(hosterId, window);
    }
    return window;
  }

  #expire(window: HosterWindow, now: number): void {
    const oldest = now - this.#options.windowMs;
    const keep = (entry: Remembered) => entry.at > oldest;
    window.matched = window.matched.filter(keep);
    window.unmatched = window.unmatched.filter(keep);
    window.pairs = window.pairs.filter((at) => at > oldest);
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

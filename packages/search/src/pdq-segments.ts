import { parsePdqHash, pdqWords } from '@triage/matching';

/**
 * PDQ near search without scripts (the local Elasticsearch has no painless): multi-index hashing.
 * A media document carries its 256-bit PDQ hash as 16 segments of 16 bits, each a keyword
 * `"<position>:<4 hex digits>"` (`pdqSegments`). Two hashes within Hamming distance d differ in at
 * most d bits, spread over 16 segments (pigeonhole):
 * - d <= 15: at least one segment is identical, so the 16 exact segment terms find every match;
 * - d <= 31: at least one segment differs in at most 1 bit, so the exact terms plus the 16 one-bit
 *   neighbours of each segment (16 x 17 = 272 terms) find every match.
 * The terms only select candidates: the caller computes the exact distance and keeps those <= d.
 */
const pdqSegmentCount = 16;
/** Largest distance the segment terms are guaranteed to find every hash within (2 x 16 - 1). */
export const pdqSegmentMaxDistance = 2 * pdqSegmentCount - 1;
/** Above this distance one exact segment is no longer guaranteed, so the neighbours are probed. */
const exactOnlyMaxDistance = pdqSegmentCount - 1;
const segmentBits = 16;

const term = (position: number, segment: number) =>
  `${position}:${segment.toString(16).padStart(segmentBits / 4, '0')}`;

/** The 16-bit segments of a parsed hash, most significant first (word w holds segments 2w, 2w+1). */
function segmentsOf(words: Uint32Array): number[] {
  const segments: number[] = [];
  for (let w = 0; w < pdqWords; w++) segments.push(words[w]! >>> 16, words[w]! & 0xffff);
  return segments;
}

/**
 * The document side: the 16 position-prefixed segment terms of a PDQ hash (64 hex digits, either
 * case), e.g. `["0:ab12", "1:ff00", ...]`. Throws TRIAGE_HASH_INVALID for anything else.
 */
export function pdqSegments(pdqHex: string): string[] {
  return segmentsOf(parsePdqHash(pdqHex)).map((segment, position) => term(position, segment));
}

/** The query side's terms, split by how strongly they suggest a match (a ranking hint only). */
export interface PdqSegmentTerms {
  /** The hash's own 16 segment terms. */
  exact: string[];
  /** The one-bit neighbours of every segment (16 x 16 terms); empty when `maxDistance` <= 15. */
  neighbours: string[];
}

/**
 * The segment terms a document within `maxDistance` (0..31) of `pdqHex` must share at least one of
 * (see above). At most 16 + 256 = 272 terms. Throws TRIAGE_HASH_INVALID for a malformed hash and a
 * RangeError for a distance outside 0..31 (callers validate it first).
 */
export function pdqSegmentTerms(pdqHex: string, maxDistance: number): PdqSegmentTerms {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > pdqSegmentMaxDistance) {
    throw new RangeError(
      `PDQ segment search covers distances 0..${pdqSegmentMaxDistance}, not ${maxDistance}`,
    );
  }
  const segments = segmentsOf(parsePdqHash(pdqHex));
  const exact = segments.map((segment, position) => term(position, segment));
  const neighbours: string[] = [];
  if (maxDistance > exactOnlyMaxDistance) {
    segments.forEach((segment, position) => {
      for (let bit = 0; bit < segmentBits; bit++) neighbours.push(term(position, segment ^ (1 << bit)));
    });
  }
  return { exact, neighbours };
}

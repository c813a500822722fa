import { TriageError } from '@triage/errors';
import { type ParsedIp, parseDottedQuad, parseIpv6Into } from './ip-address.ts';

/** What an ASN database says about an address. */
export interface AsnAnswer {
  readonly asn: number;
  /** AS organisation (the hoster, or the datacentre reselling to it); null when the data has none. */
  readonly organization: string | null;
}

const noOrganization = 0xffff_ffff;

/** Growable columns of one address family while a table is built. */
class Columns {
  readonly width: number;
  starts: Uint32Array;
  ends: Uint32Array;
  asns: Uint32Array;
  orgs: Uint32Array;
  count = 0;

  constructor(width: number, capacity: number) {
    this.width = width;
    this.starts = new Uint32Array(capacity * width);
    this.ends = new Uint32Array(capacity * width);
    this.asns = new Uint32Array(capacity);
    this.orgs = new Uint32Array(capacity);
  }

  push(start: ArrayLike<number>, end: ArrayLike<number>, asn: number, org: number): void {
    if (this.count === this.asns.length) this.#grow();
    const at = this.count * this.width;
    for (let word = 0; word < this.width; word++) {
      this.starts[at + word] = start[word]!;
      this.ends[at + word] = end[word]!;
    }
    this.asns[this.count] = asn;
    this.orgs[this.count] = org;
    this.count++;
  }

  #grow(): void {
    const capacity = Math.max(16, this.asns.length * 2);
    const grown = (from: Uint32Array, size: number) => {
      const next = new Uint32Array(size);
      next.set(from);
      return next;
    };
    this.starts = grown(this.starts, capacity * this.width);
    this.ends = grown(this.ends, capacity * this.width);
    this.asns = grown(this.asns, capacity);
    this.orgs = grown(this.orgs, capacity);
  }
}

/**
 * One address family's ranges as sorted, non-overlapping columns of typed arrays (no object per
 * range): an IPv4 range costs 16 bytes, an IPv6 range 40, and a lookup is a binary search.
 */
class FamilyRanges {
  readonly #width: number;
  readonly #starts: Uint32Array;
  readonly #ends: Uint32Array;
  readonly #asns: Uint32Array;
  readonly #orgs: Uint32Array;
  readonly count: number;
  readonly overlaps: number;

  constructor(columns: Columns) {
    const { width, count } = columns;
    this.#width = width;
    this.count = count;
    const order = sortedOrder(columns);
    this.#starts = new Uint32Array(count * width);
    this.#ends = new Uint32Array(count * width);
    this.#asns = new Uint32Array(count);
    this.#orgs = new Uint32Array(count);
    for (let row = 0; row < count; row++) {
      const from = order === null ? row : order[row]!;
      this.#starts.set(columns.starts.subarray(from * width, from * width + width), row * width);
      this.#ends.set(columns.ends.subarray(from * width, from * width + width), row * width);
      this.#asns[row] = columns.asns[from]!;
      this.#orgs[row] = columns.orgs[from]!;
    }
    this.overlaps = this.#countOverlaps();
  }

  /**
   * Published data is not always clean: the 2026-06 ip-location-db build has one IPv4 row that
   * starts inside the previous one. The search answers with the later-starting range where two
   * overlap (the more specific, as longest-prefix routing would); the count is kept for the logs.
   */
  #countOverlaps(): number {
    const width = this.#width;
    let overlaps = 0;
    for (let row = 1; row < this.count; row++) {
      if (compareWords(this.#starts, row * width, this.#ends, (row - 1) * width, width) <= 0) overlaps++;
    }
    return overlaps;
  }

  get bytes(): number {
    return this.#starts.byteLength + this.#ends.byteLength + this.#asns.byteLength + this.#orgs.byteLength;
  }

  /** Index of the range holding `words`, or -1. */
  find(words: readonly number[]): number {
    const width = this.#width;
    // The last range whose start is <= the address.
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (compareWords(this.#starts, middle * width, words, 0, width) <= 0) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0 || compareWords(this.#ends, found * width, words, 0, width) < 0) return -1;
    return found;
  }

  asn(row: number): number {
    return this.#asns[row]!;
  }

  organization(row: number): number {
    return this.#orgs[row]!;
  }
}

/** Compares the address at `a[aOffset..+width)` with the one at `b[bOffset..+width)`: <0, 0, >0. */
function compareWords(
  a: ArrayLike<number>,
  aOffset: number,
  b: ArrayLike<number>,
  bOffset: number,
  width: number,
): number {
  for (let word = 0; word < width; word++) {
    const difference = a[aOffset + word]! - b[bOffset + word]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Row order by start address, or null when the rows already are in order (the usual case). */
function sortedOrder(columns: Columns): Uint32Array | null {
  const { width, count, starts } = columns;
  let sorted = true;
  for (let row = 1; row < count && sorted; row++) {
    if (compareWords(starts, row * width, starts, (row - 1) * width, width) < 0) sorted = false;
  }
  if (sorted) return null;
  const order = Uint32Array.from({ length: count }, (_, row) => row);
  return order.sort((a, b) => compareWords(starts, a * width, starts, b * width, width));
}

export interface AsnTableStats {
  readonly ipv4Ranges: number;
  readonly ipv6Ranges: number;
  readonly organizations: number;
  /** Bytes held by the typed arrays (organisation strings not counted). */
  readonly rangeBytes: number;
  /** Rows that start inside the previous row's range. */
  readonly overlaps: number;
}

/**
 * The ip-location-db ASN CSV (`ip_range_start,ip_range_end,autonomous_system_number,
 * autonomous_system_organization`, inclusive ranges, IPv4 and IPv6 rows in any mix) as a
 * compact lookup table. Organisation names are stored once each.
 */
export class AsnRangeTable {
  readonly #ipv4: FamilyRanges;
  readonly #ipv6: FamilyRanges;
  readonly #organizations: readonly string[];

  private constructor(ipv4: FamilyRanges, ipv6: FamilyRanges, organizations: readonly string[]) {
    this.#ipv4 = ipv4;
    this.#ipv6 = ipv6;
    this.#organizations = organizations;
  }

  /**
   * Builds the table from CSV texts (e.g. the IPv4 and the IPv6 file). A line that is not a
   * range makes the whole table unreadable: a half-read table would answer wrongly without
   * anyone noticing.
   */
  static fromCsv(texts: readonly string[], source: string): AsnRangeTable {
    const newlines = texts.reduce((sum, text) => sum + countLines(text), 0);
    // Sized for the larger family; the finished table keeps exact-length copies.
    const ipv4 = new Columns(1, newlines);
    const ipv6 = new Columns(4, 1024);
    const organizationIds = new Map<string, number>();
    const organizations: string[] = [];
    const row: CsvRow = {
      family: 4,
      start: new Uint32Array(4),
      end: new Uint32Array(4),
      asn: 0,
      organization: '',
    };
    for (const text of texts) {
      let lineNumber = 0;
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        lineNumber++;
        const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        if (lineEnd > start && !(lineNumber === 1 && text.startsWith('ip_range_start', start))) {
          if (!parseRow(text, start, lineEnd, row)) {
            throw new TriageError(
              'TRIAGE_ENRICH_DATABASE_UNREADABLE',
              `${source}: line ${lineNumber} is not an ASN range`,
              {
                details: { source, line: lineNumber },
              },
            );
          }
          let org = noOrganization;
          if (row.organization !== '') {
            org = organizationIds.get(row.organization) ?? organizations.length;
            if (org === organizations.length) {
              // A copy: a slice would keep the whole file's text alive for as long as the table.
              const copy = Buffer.from(row.organization, 'utf8').toString('utf8');
              organizationIds.set(copy, org);
              organizations.push(copy);
            }
          }
          (row.family === 4 ? ipv4 : ipv6).push(row.start, row.end, row.asn, org);
        }
        start = end + 1;
      }
    }
    return new AsnRangeTable(new FamilyRanges(ipv4), new FamilyRanges(ipv6), organizations);
  }

  lookup(ip: ParsedIp): AsnAnswer | null {
    const ranges = ip.family === 4 ? this.#ipv4 : this.#ipv6;
    const row = ranges.find(ip.words);
    if (row < 0) return null;
    const org = ranges.organization(row);
    return { asn: ranges.asn(row), organization: org === noOrganization ? null : this.#organizations[org]! };
  }

  stats(): AsnTableStats {
    return {
      ipv4Ranges: this.#ipv4.count,
      ipv6Ranges: this.#ipv6.count,
      organizations: this.#organizations.length,
      rangeBytes: this.#ipv4.bytes + this.#ipv6.bytes,
      overlaps: this.#ipv4.overlaps + this.#ipv6.overlaps,
    };
  }
}

/** One CSV line, parsed into reused buffers (no allocation per row but the organisation string). */
interface CsvRow {
  family: 4 | 6;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  asn: number;
  organization: string;
}

/** The first three fields are never quoted; the organisation may be (RFC 4180). */
function parseRow(text: string, start: number, end: number, row: CsvRow): boolean {
  const first = text.indexOf(',', start);
  const second = first < 0 || first >= end ? -1 : text.indexOf(',', first + 1);
  const third = second < 0 || second >= end ? -1 : text.indexOf(',', second + 1);
  if (third < 0 || third >= end) return false;
  let asn = 0;
  for (let index = second + 1; index < third; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return false;
    asn = asn * 10 + digit;
  }
  if (third === second + 1 || asn > 0xffff_ffff) return false;
  row.asn = asn;
  let organization = text.slice(third + 1, end);
  if (organization.startsWith('"')) {
    if (organization.length < 2 || !organization.endsWith('"')) return false;
    organization = organization.slice(1, -1).replaceAll('""', '"');
  }
  row.organization = organization;
  const v4Start = parseDottedQuad(text, start, first);
  if (v4Start !== null) {
    const v4End = parseDottedQuad(text, first + 1, second);
    if (v4End === null || v4End < v4Start) return false;
    row.family = 4;
    row.start[0] = v4Start;
    row.end[0] = v4End;
    return true;
  }
  row.family = 6;
  return (
    parseIpv6Into(text, start, first, row.start) &&
    parseIpv6Into(text, first + 1, second, row.end) &&
    compareWords(row.end, 0, row.start, 0, 4) >= 0
  );
}

function countLines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) count++;
  return count + 1;
}

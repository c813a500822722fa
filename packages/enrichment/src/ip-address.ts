import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A valid IP address in canonical text and as numbers for range lookups. */
export interface ParsedIp {
  readonly family: 4 | 6;
  /** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6 without a zone. */
  readonly text: string;
  /** IPv4: one unsigned 32-bit value; IPv6: four big-endian 32-bit words. */
  readonly words: readonly number[];
}

/**
 * Parses an IPv4 or IPv6 address as reported (surrounding blanks and URL brackets allowed).
 * Only strict forms count: `127.1` or `0x7f.0.0.1` are not addresses here, as in Node's `isIP`.
 * An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is its IPv4 address: that is what the
 * databases index and what the same host's other events show.
 */
export function parseIp(input: string): ParsedIp | null {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const family = isIP(text);
  if (family === 0) return null;
  if (family === 4) {
    const value = parseDottedQuad(text);
    return value === null ? null : { family: 4, text: formatIpv4(value), words: [value] };
  }
  const address = ipaddr.IPv6.parse(text);
  if (address.isIPv4MappedAddress()) {
    const value = ipv4Value(address.toIPv4Address().octets);
    return { family: 4, text: formatIpv4(value), words: [value] };
  }
  address.zoneId = undefined;
  const parts = address.parts;
  const words = [0, 2, 4, 6].map((index) => ((parts[index]! << 16) | parts[index + 1]!) >>> 0);
  return { family: 6, text: address.toRFC5952String(), words };
}

/** The canonical text of an IP address, or null when it is none (for matching addresses across reports). */
export function canonicalIp(input: string): string | null {
  return parseIp(input)?.text ?? null;
}

/**
 * Strict dotted-quad IPv4 (four decimal octets 0-255) to an unsigned 32-bit value, or null.
 * Hand-rolled because the ASN table parses some 400,000 of them at start (8x faster than ipaddr.js).
 */
export function parseDottedQuad(text: string, start = 0, end = text.length): number | null {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 46) {
      if (digits === 0 || dots === 3) return null;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      digits++;
      if (octet > 255 || digits > 3) return null;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return value * 256 + octet;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

function ipv4Value(octets: readonly number[]): number {
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

/**
 * IPv6 text in `text[start..end)` to four big-endian 32-bit words in `out`; false when it is
 * not an IPv6 address (zone ids included). Hand-rolled for the ASN table's 100,000 IPv6 rows at
 * start (ipaddr.js costs ~6 µs a row); tests check it against ipaddr.js.
 */
export function parseIpv6Into(text: string, start: number, end: number, out: Uint32Array): boolean {
  const groups = scratchGroups;
  let count = 0;
  let gap = -1;
  let index = start;
  if (end - start >= 2 && text.charCodeAt(index) === 58 && text.charCodeAt(index + 1) === 58) {
    gap = 0;
    index += 2;
  }
  while (index < end) {
    const groupStart = index;
    let value = 0;
    while (index < end && index - groupStart < 5) {
      const code = text.charCodeAt(index);
      const digit =
        code >= 48 && code <= 57
          ? code - 48
          : code >= 97 && code <= 102
            ? code - 87
            : code >= 65 && code <= 70
              ? code - 55
              : -1;
      if (digit < 0) break;
      value = value * 16 + digit;
      index++;
    }
    if (index < end && text.charCodeAt(index) === 46) {
      // An embedded IPv4 address ends the text and fills the last two groups.
      const v4 = parseDottedQuad(text, groupStart, end);
      if (v4 === null || count > 6) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      index = end;
      break;
    }
    const digits = index - groupStart;
    if (digits === 0 || digits > 4 || count === 8) return false;
    groups[count++] = value;
    if (index === end) break;
    if (text.charCodeAt(index) !== 58) return false;
    index++;
    if (index < end && text.charCodeAt(index) === 58) {
      if (gap >= 0) return false;
      gap = count;
      index++;
    } else if (index === end) {
      return false;
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  const missing = 8 - count;
  for (let word = 0; word < 4; word++) {
    const high = groupAt(groups, 2 * word, gap, missing);
    const low = groupAt(groups, 2 * word + 1, gap, missing);
    out[word] = ((high << 16) | low) >>> 0;
  }
  return true;
}

const scratchGroups = new Array<number>(8).fill(0);

/** Group `position` of the full address, given the parsed groups and where `::` stood. */
function groupAt(groups: readonly number[], position: number, gap: number, missing: number): number {
  if (gap < 0 || position < gap) return groups[position]!;
  if (position < gap + missing) return 0;
  return groups[position - missing]!;
}

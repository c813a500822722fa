import { getDomain } from 'tldts';
import { type ParsedIp, parseDottedQuad, parseIp } from './ip-address.ts';

export interface UrlHost {
  /** Lower-case host as a resolver would see it: IDNs in punycode, IPv6 without brackets, no trailing dot. */
  readonly host: string;
  /** Public suffix + 1 label (`example.co.uk`, `user.github.io`); null for IP hosts and bare suffixes. */
  readonly registrableDomain: string | null;
  /** The host's address when the host is an IP literal (no DNS is ever asked). */
  readonly ip: ParsedIp | null;
}

const schemePattern = /^([a-z][a-z0-9+.-]*):(.?)/i;

/**
 * Without a scheme, only text that reads as a host counts: a dotted name or an IP literal. A bare
 * word (`unknown`) is free text, and digits and dots that are no dotted quad (`1.2.3`) are a
 * mistyped address, not the shorthand IPv4 a browser would make of them.
 */
function looksLikeHost(text: string, hostname: string): boolean {
  const written = text.split(/[/?#]/, 1)[0]!.replace(/^[^@]*@/, '');
  if (written.startsWith('[')) return true;
  const name = written.replace(/:\d*$/, '');
  if (/^[\d.]+$/.test(name)) return parseDottedQuad(name) !== null;
  return hostname.includes('.');
}

/**
 * The host of a reported URL, or null when there is none. Reports carry URLs as users typed
 * them, so a URL without a scheme (`example.com/a`, `//example.com/a`, `example.com:8080/a`) is
 * read as http; a URL whose scheme has no host (`mailto:`, `magnet:`) has none. Credentials,
 * path and query are never kept.
 */
export function parseUrlHost(input: string): UrlHost | null {
  const trimmed = input.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return null;
  const scheme = schemePattern.exec(trimmed);
  // `host:8080/...` looks like a scheme but is a host and port.
  const hasScheme = scheme !== null && !/\d/.test(scheme[2] ?? '');
  const candidate = hasScheme ? trimmed : trimmed.startsWith('//') ? `http:${trimmed}` : `http://${trimmed}`;
  let hostname: string;
  try {
    hostname = new URL(candidate).hostname;
  } catch {
    return null;
  }
  hostname = hostname.toLowerCase().replace(/\.$/, '');
  if (hostname === '') return null;
  if (!hasScheme && !looksLikeHost(trimmed.replace(/^\/\//, ''), hostname)) return null;
  const ip = parseIp(hostname);
  if (ip !== null) return { host: ip.text, registrableDomain: null, ip };
  // Private suffixes count (github.io, blogspot.com): each name under them has its own owner.
  const registrableDomain = getDomain(hostname, {
    allowPrivateDomains: true,
    extractHostname: false,
    detectIp: false,
  });
  return { host: hostname, registrableDomain, ip: null };
}

// Identifiers of a report's reported persons, normalised so the same account, address or device
// written differently in two reports links them. Personal data: never log the result.
import type { Report } from '@triage/schemas';
import { parsePhoneNumber } from 'awesome-phonenumber';
import ipaddr from 'ipaddr.js';

export type SuspectIdentifierType = 'ip' | 'email' | 'screenName' | 'espIdentifier' | 'deviceId' | 'phone';

export interface SuspectIdentifier {
  readonly type: SuspectIdentifierType;
  readonly value: string;
}

export interface SuspectIdentifierOptions {
  /** Region of phone numbers written without a country code (ISO 3166-1 alpha-2, e.g. `NL`). */
  readonly phoneRegion?: string;
}

/**
 * Address ranges many unrelated people share (or that never leave a network): linking on them
 * would join strangers' reports. Carrier-grade NAT (100.64.0.0/10) needs the port and exact time
 * to name a subscriber, which a report-to-report link does not have.
 */
const sharedRanges = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'private',
  'carrierGradeNat',
  'uniqueLocal',
]);

/** Canonical text of an IP: IPv4 dotted quad, IPv6 compressed lower-case (RFC 5952), IPv4-mapped IPv6 as IPv4; null if invalid or shared. */
export function normaliseIp(raw: string): string | null {
  const text = raw.trim().replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(text)) return null;
  // isValid also accepts IPv4 shorthands ("10", "0x7f.1"); partners send dotted quads or IPv6 only.
  if (!ipaddr.IPv4.isValidFourPartDecimal(text) && !ipaddr.IPv6.isValid(text)) return null;
  const address = ipaddr.process(text);
  if (sharedRanges.has(address.range())) return null;
  return address.toString();
}

/** Providers that ignore dots in the local part (and their alias domains). */
const dotlessDomains: Readonly<Record<string, string>> = {
  'gmail.com': 'gmail.com',
  'googlemail.com': 'gmail.com',
};

/**
 * Lower-cased; a `+tag` suffix of the local part dropped (sub-addressing: the same mailbox at the
 * big providers); dots dropped and googlemail.com read as gmail.com where the provider ignores them.
 * Null when it is not `local@domain`.
 */
export function normaliseEmail(raw: string): string | null {
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '');
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1 || /\s/.test(text)) return null;
  let local = text.slice(0, at);
  let domain = text.slice(at + 1).replace(/\.$/, '');
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const dotless = dotlessDomains[domain];
  if (dotless !== undefined) {
    domain = dotless;
    local = local.replaceAll('.', '');
  }
  return local === '' ? null : `${local}@${domain}`;
}

/** Unicode-normalised (NFKC), case-folded, a leading `@` dropped: screen names are case-insensitive handles. */
export function normaliseScreenName(raw: string): string | null {
  const text = raw.normalize('NFKC').trim().replace(/^@+/, '').toLowerCase();
  return text === '' ? null : text;
}

/**
 * E.164 (`+31612345678`) when the number parses as valid (national numbers need `phoneRegion`);
 * otherwise its digits, with a leading `+` for numbers written with `+` or `00`. Null below 6 digits.
 */
export function normalisePhone(raw: string, region?: string): string | null {
  const text = raw.trim();
  const parsed = parsePhoneNumber(
    text.replace(/^00/, '+'),
    region === undefined ? {} : { regionCode: region },
  );
  if (parsed.valid) return parsed.number.e164;
  const digits = text.replace(/\D/g, '');
  if (digits.length < 6) return null;
  if (text.startsWith('+')) return `+${digits}`;
  if (text.startsWith('00')) return `+${digits.slice(2)}`;
  return digits;
}

/**
 * A device id value: lower-cased, separators (space, `-`, `:`, `.`) dropped, so an IMEI, a MAC or an
 * advertising id matches however it was written. The id type is left out: companies label the same
 * kind differently (`IDFA`, `Apple advertising id`). Null below 6 characters (too short to be unique).
 */
export function normaliseDeviceId(raw: string): string | null {
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/[\s\-:.]/g, '');
  return text.length < 6 ? null : text;
}

/** An account id only means something within the company (and service) that issued it. */
function scopedEspIdentifier(id: string, company: string | null, service: string | null): string | null {
  const value = id.trim();
  if (value === '') return null;
  const scope = (text: string | null) =>
    (text ?? '').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return `${scope(company)}/${scope(service)}/${value}`;
}

/**
 * Every identifier of the report's reported persons (suspects; never victims or recipients),
 * normalised and de-duplicated, in the order they appear: e-mail, phone, screen name, ESP user id
 * (scoped as `company/service/id`), device ids, IP capture events. Invalid values are left out.
 */
export function suspectIdentifiers(
  report: Report,
  options: SuspectIdentifierOptions = {},
): SuspectIdentifier[] {
  const out: SuspectIdentifier[] = [];
  const seen = new Set<string>();
  const add = (type: SuspectIdentifierType, value: string | null) => {
    if (value === null) return;
    const key = `${type}\n${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ type, value });
  };
  for (const person of report.personsReported) {
    for (const email of person.emails) add('email', normaliseEmail(email));
    for (const phone of person.phones) add('phone', normalisePhone(phone, options.phoneRegion));
    if (person.screenName !== null) add('screenName', normaliseScreenName(person.screenName));
    if (person.espIdentifier !== null) {
      add(
        'espIdentifier',
        scopedEspIdentifier(
          person.espIdentifier,
          report.reporter?.companyName ?? null,
          person.espService ?? report.reporter?.espService ?? null,
        ),
      );
    }
    for (const device of person.deviceIds) add('deviceId', normaliseDeviceId(device.idValue));
    for (const event of person.ipCaptureEvents) add('ip', normaliseIp(event.ipAddress));
  }
  return out;
}

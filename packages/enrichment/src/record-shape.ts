import type { AsnAnswer } from './asn-ranges.ts';

/** What a country or city database says about an address, whatever its record shape. */
export interface GeoAnswer {
  /** ISO 3166-1 alpha-2 code, upper-case, or a legacy pseudo-code (A1, A2, AP, EU) as the data says. */
  readonly countryCode: string | null;
  readonly city: string | null;
  /** The data marks the address as an anonymous proxy (MaxMind `traits.is_anonymous_proxy`, legacy A1). */
  readonly anonymousProxy: boolean;
  /** The data marks a satellite provider, whose users may be anywhere (`traits.is_satellite_provider`, A2). */
  readonly satelliteProvider: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const countryCodePattern = /^[A-Z][A-Z0-9]$/;

function countryCode(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.trim().toUpperCase();
  return countryCodePattern.test(code) ? code : null;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A MaxMind `names` map: English if there, else the first name given. */
function name(record: unknown): string | null {
  if (!isObject(record) || !isObject(record.names)) return null;
  const names = record.names;
  return (
    text(names.en) ??
    Object.values(names)
      .map(text)
      .find((each) => each !== null) ??
    null
  );
}

/**
 * Maps a country or city record to a GeoAnswer. Two shapes exist:
 * - ip-location-db (flat): `{ country_code: 'NL' }`, city builds add `city: 'Amsterdam'`, `state1`...
 * - MaxMind GeoIP2 / GeoLite2 (nested): `{ country: { iso_code, names }, city: { names: { en } },
 *   registered_country, traits: { is_anonymous_proxy, is_satellite_provider } }`.
 * `registered_country` (where the network is registered) is never taken for the location.
 */
export function geoAnswerOf(record: unknown): GeoAnswer | null {
  if (!isObject(record)) return null;
  const traits = isObject(record.traits) ? record.traits : {};
  const nested = ['country', 'city', 'traits', 'continent', 'registered_country'].some((key) =>
    isObject(record[key]),
  );
  const code = nested
    ? countryCode(isObject(record.country) ? record.country.iso_code : undefined)
    : countryCode(record.country_code);
  const city = nested ? name(record.city) : text(record.city);
  const answer: GeoAnswer = {
    countryCode: code,
    city,
    anonymousProxy: traits.is_anonymous_proxy === true || code === 'A1',
    satelliteProvider: traits.is_satellite_provider === true || code === 'A2',
  };
  const empty =
    answer.countryCode === null &&
    answer.city === null &&
    !answer.anonymousProxy &&
    !answer.satelliteProvider;
  return empty ? null : answer;
}

/**
 * Maps an ASN record: MaxMind GeoLite2-ASN / GeoIP2-ISP and ip-location-db's asn-mmdb share
 * `{ autonomous_system_number, autonomous_system_organization }`.
 */
export function asnAnswerOf(record: unknown): AsnAnswer | null {
  if (!isObject(record)) return null;
  const asn = record.autonomous_system_number;
  if (typeof asn !== 'number' || !Number.isInteger(asn) || asn < 0) return null;
  return { asn, organization: text(record.autonomous_system_organization) };
}

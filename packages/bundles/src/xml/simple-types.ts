import { quoted } from '../echo.ts';
import type { BuiltinType, SimpleTypeDef, TypeRef, XsdModel } from './xsd-model.ts';

/**
 * XSD 1.0 simple-type checking and conversion for the built-ins the CyberTipline schema uses.
 * Values follow the spec: every type but xs:string collapses whitespace before it is checked
 * (libxml2 rejects `<port> 5 </port>`; the spec and Java validators accept it).
 */

/** A checked value: strings as sent (token collapsed), booleans, numbers (int, double), epoch ms (dateTime), xs:long as a canonical decimal string. */
export type SimpleValue = string | number | boolean;

export type SimpleCheck =
  | { readonly ok: true; readonly value: SimpleValue }
  | { readonly ok: false; readonly reason: 'type' | 'enumeration' | 'pattern'; readonly message: string };

const collapse = (raw: string) => raw.replace(/[\t\n\r ]+/g, ' ').replace(/^ | $/g, '');

/**
 * The longest lexical number, date or boolean taken: an xs:long has 19 digits, a dateTime 35
 * characters; the rest is room for a sign and leading zeros, which XSD allows.
 */
export const MAX_LEXICAL_LENGTH = 64;
/** Whitespace a non-string value may carry around it (pretty-printed documents). */
const MAX_SURROUNDING_WHITESPACE = 1024;

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const integerPattern = /^[+-]?[0-9]+$/;
const doublePattern = /^(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|-?INF|NaN)$/;
// Year: 4 digits, or more without a leading zero; optional minus sign (XSD 1.0 has no year 0).
const yearPart = '(-?(?:[1-9][0-9]{4,}|[0-9]{4}))';
const zonePart = '(Z|[+-][0-9]{2}:[0-9]{2})?';
const datePattern = new RegExp(`^${yearPart}-([0-9]{2})-([0-9]{2})${zonePart}$`);
const dateTimePattern = new RegExp(
  `^${yearPart}-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\\.[0-9]+)?${zonePart}$`,
);

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    // XSD 1.0 has no year 0: lexical -0001 is 1 BCE, astronomical year 0 (a leap year).
    const y = year < 0 ? year + 1 : year;
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Minutes east of UTC, or null when the zone is malformed (XSD allows -14:00..+14:00). */
function zoneMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function validDate(yearText: string, monthText: string, dayText: string): boolean {
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (year === 0 || !Number.isSafeInteger(year)) return false;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Epoch milliseconds of an xs:dateTime (no zone = UTC); null when not a valid dateTime. */
export function dateTimeToEpochMs(lexical: string): number | null {
  const match = dateTimePattern.exec(lexical);
  if (match === null) return null;
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zone] = match;
  if (!validDate(yearText!, monthText!, dayText!)) return null;
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  const fractionMs = fraction === undefined ? 0 : Math.trunc(Number(`0${fraction}`) * 1000);
  const endOfDay = hour === 24 && minute === 0 && second === 0 && fractionMs === 0;
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) return null;
  const offset = zoneMinutes(zone);
  if (offset === null) return null;
  // Lexical -0001 is 1 BCE, which is astronomical year 0.
  const yearValue = Number(yearText);
  const astronomicalYear = yearValue < 0 ? yearValue + 1 : yearValue;
  const date = new Date(0);
  date.setUTCFullYear(astronomicalYear, Number(monthText) - 1, Number(dayText));
  date.setUTCHours(hour, minute, second, fractionMs);
  const ms = date.getTime() - offset * 60_000;
  return Number.isFinite(ms) ? ms : null;
}

function checkBuiltin(base: BuiltinType, raw: string): SimpleCheck {
  const fail = (): SimpleCheck => ({
    ok: false,
    reason: 'type',
    message: `${quoted(raw)} is not a valid xs:${base}`,
  });
  if (base === 'string') return { ok: true, value: raw };
  // Checked on the raw text before any conversion: BigInt or a regex over 16 million digits
  // would hold the event loop for seconds. Whitespace around a value is allowed, not without end.
  if (base !== 'token' && raw.length > MAX_LEXICAL_LENGTH + MAX_SURROUNDING_WHITESPACE) return fail();
  const value = collapse(raw);
  switch (base) {
    case 'token':
      return { ok: true, value };
    case 'boolean':
      if (value === 'true' || value === '1') return { ok: true, value: true };
      if (value === 'false' || value === '0') return { ok: true, value: false };
      return fail();
    case 'int':
    case 'long': {
      if (value.length > MAX_LEXICAL_LENGTH || !integerPattern.test(value)) return fail();
      const number = BigInt(value);
      const [min, max] = base === 'int' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
      if (number < min || number > max) return fail();
      return { ok: true, value: base === 'int' ? Number(number) : number.toString() };
    }
    case 'double':
      if (value.length > MAX_LEXICAL_LENGTH || !doublePattern.test(value)) return fail();
      return {
        ok: true,
        value: value.endsWith('INF') ? (value[0] === '-' ? -Infinity : Infinity) : Number(value),
      };
    case 'date': {
      const match = datePattern.exec(value);
      if (match === null || !validDate(match[1]!, match[2]!, match[3]!) || zoneMinutes(match[4]) === null) {
        return fail();
      }
      return { ok: true, value };
    }
    case 'dateTime': {
      const ms = dateTimeToEpochMs(value);
      return ms === null ? fail() : { ok: true, value: ms };
    }
  }
}

/** The whitespace-processed lexical form that enumeration and pattern facets apply to. */
function lexical(base: BuiltinType, raw: string): string {
  return base === 'string' ? raw : collapse(raw);
}

const patternCache = new Map<string, RegExp>();

function patternMatches(pattern: string, value: string): boolean {
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    patternCache.set(pattern, regex);
  }
  return regex.test(value);
}

export function simpleTypeDef(model: XsdModel, ref: TypeRef): SimpleTypeDef | undefined {
  if (ref.startsWith('xs:')) return { base: ref.slice(3) as BuiltinType };
  return model.simpleTypes[ref];
}

/** Checks `raw` (an element's text or an attribute's value) against a simple type and converts it. */
export function checkSimpleValue(def: SimpleTypeDef, raw: string): SimpleCheck {
  const checked = checkBuiltin(def.base, raw);
  if (!checked.ok) return checked;
  const value = lexical(def.base, raw);
  if (def.enumeration !== undefined && !def.enumeration.includes(value)) {
    const allowed =
      def.enumeration.length <= 12 ? `: ${def.enumeration.map((v) => JSON.stringify(v)).join(', ')}` : '';
    return {
      ok: false,
      reason: 'enumeration',
      message: `${quoted(raw)} is not one of the ${def.enumeration.length} allowed values${allowed}`,
    };
  }
  for (const pattern of def.patterns ?? []) {
    if (!patternMatches(pattern, value)) {
      return {
        ok: false,
        reason: 'pattern',
        message: `${quoted(raw)} does not match the pattern ${pattern}`,
      };
    }
  }
  return checked;
}

// Repeat-suspect linking across reports that live on other partitions: every scorer publishes
// one row per (identifier, report) to a compacted topic and reads the whole topic back as a
// global table. Keys and rows carry an HMAC-SHA256 of the normalised identifier under a secret
// every scorer shares, never the value: a bare hash of an IPv4 address or a phone number could be
// reversed by hashing every candidate (ADR 0007, amendment of 2026-12-05).
import { createHmac } from 'node:crypto';
import type { LinkedReport, Report, SuspectIdentifier } from '@triage/schemas';
import { suspectIdentifiers } from './suspect-identifiers.ts';

/** `<identifierType>:<keyId>:<HMAC-SHA256 hex of the normalised value>`: what two reports must share to link. */
export type IdentifierKey = string;

/** A secret identifiers are keyed with, and the id that names it in every row key. */
export interface SuspectIdKey {
  /** Letters, digits, `_` and `-` (it sits between `:` in the row key). */
  readonly id: string;
  readonly secret: Buffer;
}

/**
 * How a report's identifiers become keys: links are read under `key`; during a rotation each
 * row is also written under `secondKey` (never read), so the table holds both until the keys swap.
 */
export interface IdentifierKeying {
  /** Region of phone numbers without a country code (the home country). */
  readonly phoneRegion: string;
  readonly key: SuspectIdKey;
  readonly secondKey?: SuspectIdKey | undefined;
}

/** A report's identifiers as keys, each with its type. */
export interface ReportIdentifier {
  key: IdentifierKey;
  type: string;
  hash: string;
}

/** A row of the table to write: `value: null` removes the pair. */
export interface IdentifierRow {
  key: string;
  value: SuspectIdentifier | null;
}

/**
 * Most links listed on one case (lowest report ids first). An identifier shared by thousands of
 * reports (a VPN exit, a shared device) would otherwise make every one of their cases huge.
 */
export const maxLinkedReports = 200;

/** The report's identifiers under one key (`keying.key` unless another is given): what links are read with. */
export function reportIdentifiers(
  report: Report,
  keying: IdentifierKeying,
  key: SuspectIdKey = keying.key,
): ReportIdentifier[] {
  return suspectIdentifiers(report, { phoneRegion: keying.phoneRegion }).map(({ type, value }) => {
    const hash = createHmac('sha256', key.secret).update(value, 'utf8').digest('hex');
    return { key: `${type}:${key.id}:${hash}`, type, hash };
  });
}

/** The id of the key an identifier key was made with (null for a key without one). */
function keyIdOf(identifier: IdentifierKey): string | null {
  const parts = identifier.split(':');
  return parts.length === 3 ? parts[1]! : null;
}

/** The table key of one pair; the report id comes last, so the first `|` splits it off. */
export function rowKey(identifier: IdentifierKey, reportId: string): string {
  return `${identifier}|${reportId}`;
}

export function parseRowKey(key: string): { identifier: IdentifierKey; reportId: string } | null {
  const bar = key.indexOf('|');
  if (bar <= 0 || bar === key.length - 1) return null;
  return { identifier: key.slice(0, bar), reportId: key.slice(bar + 1) };
}

/**
 * The rows a report version publishes: one per identifier, and a tombstone for each identifier
 * the version it supersedes had and this one dropped; under the key and, in a rotation, the second key.
 */
export function identifierRows(
  report: Report,
  previous: Report | undefined,
  keying: IdentifierKeying,
): IdentifierRow[] {
  const keys = keying.secondKey === undefined ? [keying.key] : [keying.key, keying.secondKey];
  return keys.flatMap((key) => rowsUnder(report, previous, keying, key));
}

function rowsUnder(
  report: Report,
  previous: Report | undefined,
  keying: IdentifierKeying,
  key: SuspectIdKey,
): IdentifierRow[] {
  const current = reportIdentifiers(report, keying, key);
  const rows: IdentifierRow[] = current.map((identifier) => ({
    key: rowKey(identifier.key, report.reportId),
    value: {
      identifierType: identifier.type,
      identifierHash: identifier.hash,
      reportId: report.reportId,
      reportVersion: report.version,
      receivedAt: report.receivedAt,
    },
  }));
  if (previous !== undefined) {
    const kept = new Set(current.map((identifier) => identifier.key));
    for (const old of reportIdentifiers(previous, keying, key)) {
      if (!kept.has(old.key)) rows.push({ key: rowKey(old.key, report.reportId), value: null });
    }
  }
  return rows;
}

/**
 * The table's row keys by prefix, kept elsewhere (a table on disk): an identifier's rows are
 * `<identifier>|<reportId>`, and the identifier starts with its type, so no row is read.
 */
export interface IdentifierRowSource {
  keys(prefix: string): Iterable<string>;
}

/**
 * Who carries which identifier, from the table's rows: identifier key -> report -> type. Either
 * held here (one small entry per pair, every pair of every instance) or, given `rows`, read from
 * the table's own rows by prefix (a table on disk: nothing on the heap). Only rows under the key
 * it reads count; rows under another key (the second key of a rotation, an old key not yet
 * removed) are skipped.
 */
export class SuspectLinkIndex {
  readonly #members = new Map<IdentifierKey, Map<string, string>>();
  readonly #keyId: string;
  readonly #rows: IdentifierRowSource | undefined;

  constructor(options: { keyId: string; rows?: IdentifierRowSource | undefined }) {
    this.#keyId = options.keyId;
    this.#rows = options.rows;
  }

  /**
   * Applies a table change; returns the identifier whose set of reports changed (a pair added or
   * removed), or null when nothing that links reports changed (a re-published row, a bad key).
   * Over `rows`, which already hold the change, `previous` (the row the key held before) tells.
   */
  apply(key: string, value: SuspectIdentifier | null, previous?: SuspectIdentifier): IdentifierKey | null {
    const parsed = parseRowKey(key);
    if (!parsed || keyIdOf(parsed.identifier) !== this.#keyId) return null;
    if (this.#rows) return (value !== null) !== (previous !== undefined) ? parsed.identifier : null;
    const members = this.#members.get(parsed.identifier);
    if (value === null) {
      if (!members?.delete(parsed.reportId)) return null;
      if (members.size === 0) this.#members.delete(parsed.identifier);
      return parsed.identifier;
    }
    if (members?.has(parsed.reportId)) return null;
    const type = value.identifierType;
    if (members) members.set(parsed.reportId, type);
    else this.#members.set(parsed.identifier, new Map([[parsed.reportId, type]]));
    return parsed.identifier;
  }

  /** Reports that carry the identifier (report id -> identifier type). */
  members(identifier: IdentifierKey): ReadonlyMap<string, string> {
    if (!this.#rows) return this.#members.get(identifier) ?? new Map();
    const prefix = rowKey(identifier, '');
    const type = identifier.slice(0, identifier.indexOf(':'));
    const members = new Map<string, string>();
    for (const key of this.#rows.keys(prefix)) members.set(key.slice(prefix.length), type);
    return members;
  }

  /** Other reports sharing any of `identifiers`, one entry per (report, identifier type), sorted. */
  linksOf(reportId: string, identifiers: readonly ReportIdentifier[]): LinkedReport[] {
    const found = new Map<string, LinkedReport>();
    for (const identifier of identifiers) {
      for (const other of this.members(identifier.key).keys()) {
        if (other === reportId) continue;
        found.set(`${other}\n${identifier.type}`, { reportId: other, identifierType: identifier.type });
      }
    }
    const sorted = [...found.values()].sort((a, b) =>
      a.reportId === b.reportId
        ? compare(a.identifierType, b.identifierType)
        : compare(a.reportId, b.reportId),
    );
    const kept = new Set<string>();
    return sorted.filter((link) => {
      if (!kept.has(link.reportId) && kept.size >= maxLinkedReports) return false;
      kept.add(link.reportId);
      return true;
    });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

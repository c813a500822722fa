/**
 * `schemas/fingerprints.json` records the fingerprint of every released version file. Records
 * in Kafka name their writer by fingerprint, so editing a version file after release would make
 * every record written with it unreadable (TRIAGE_SCHEMA_UNKNOWN). `schemas:generate` only ever
 * adds entries; `checkSchemas` (rule `frozen`) fails when a file's fingerprint differs from its
 * entry, when an entry is missing, or when a recorded version file has been deleted.
 */
import { readFileSync } from 'node:fs';
import { parseSchema } from './avro-json.ts';
import { crc64Avro, fingerprintHex, parsingCanonicalForm } from './fingerprint.ts';
import { type SchemaSource, schemasDir } from './schema-source.ts';

/** Record name -> `v<N>` -> fingerprint hex. */
export type FingerprintLock = Readonly<Record<string, Readonly<Record<string, string>>>>;

export const fingerprintLockPath = `${schemasDir}fingerprints.json`;

export function readFingerprintLock(path: string = fingerprintLockPath): FingerprintLock {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as FingerprintLock;
  } catch {
    return {};
  }
}

/** Fingerprint hex of a version file (throws if it does not parse). */
function sourceFingerprintHex(source: SchemaSource): string {
  return fingerprintHex(crc64Avro(parsingCanonicalForm(parseSchema(source.schema))));
}

/**
 * The lock with entries added for version files it does not list yet. `changed` lists the files
 * whose recorded fingerprint differs: the lock keeps the recorded value for them.
 */
export function extendFingerprintLock(
  lock: FingerprintLock,
  sources: readonly SchemaSource[],
): { lock: FingerprintLock; changed: SchemaSource[] } {
  const next: Record<string, Record<string, string>> = {};
  for (const [recordName, versions] of Object.entries(lock)) next[recordName] = { ...versions };
  const changed: SchemaSource[] = [];
  for (const source of sources) {
    const versions = next[source.recordName] ?? {};
    next[source.recordName] = versions;
    const key = `v${source.version}`;
    const actual = sourceFingerprintHex(source);
    if (versions[key] === undefined) versions[key] = actual;
    else if (versions[key] !== actual) changed.push(source);
  }
  return { lock: next, changed };
}

/** Stable JSON text of a lock: records and versions sorted. */
export function renderFingerprintLock(lock: FingerprintLock): string {
  const sorted = Object.fromEntries(
    Object.keys(lock)
      .sort()
      .map((recordName) => {
        const versions = lock[recordName]!;
        const keys = Object.keys(versions).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
        return [recordName, Object.fromEntries(keys.map((key) => [key, versions[key]]))];
      }),
  );
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

import { TriageError } from '@triage/errors';
import type avro from 'avsc';
import { parseSchema } from './avro-json.ts';
import { crc64Avro, fingerprintHex, parsingCanonicalForm } from './fingerprint.ts';
import { schemaSources } from './generated/schema-sources.ts';
import type { SchemaSource } from './schema-source.ts';
import { singleObjectHeader } from './single-object.ts';

/** One version of one record, parsed and fingerprinted. */
export interface SchemaVersion {
  readonly recordName: string;
  readonly version: number;
  /** Full Avro name, e.g. `triage.Report`. */
  readonly fullName: string;
  readonly source: SchemaSource;
  readonly type: avro.Type;
  readonly canonicalForm: string;
  /** CRC-64-AVRO of the Parsing Canonical Form, unsigned. */
  readonly fingerprint: bigint;
  /** `fingerprint` as 16 hex digits, most significant first. */
  readonly fingerprintHex: string;
  /** The 10-byte single-object header (`C3 01` + fingerprint, little-endian). */
  readonly header: Buffer;
}

/** Every known version of every record, looked up by name or by writer fingerprint. */
export interface SchemaRegistry {
  /** Record names, sorted. */
  readonly recordNames: readonly string[];
  /** All versions of a record, oldest first. Unknown name: TRIAGE_SCHEMA_UNKNOWN. */
  versions(recordName: string): readonly SchemaVersion[];
  /** The newest version: what writers write and what readers resolve into. */
  latest(recordName: string): SchemaVersion;
  /** The version with this writer fingerprint, if this build knows it. */
  byFingerprint(fingerprint: bigint): SchemaVersion | undefined;
  /** Reads `writer` data as the newest version of its record; undefined when `writer` is the newest. */
  resolverFor(writer: SchemaVersion): avro.Resolver | undefined;
}

/** Parses and fingerprints one version file. Throws whatever avsc throws for an invalid schema. */
function toSchemaVersion(source: SchemaSource): SchemaVersion {
  const type = parseSchema(source.schema);
  const canonicalForm = parsingCanonicalForm(type);
  const fingerprint = crc64Avro(canonicalForm);
  return {
    recordName: source.recordName,
    version: source.version,
    fullName: type.name ?? source.recordName,
    source,
    type,
    canonicalForm,
    fingerprint,
    fingerprintHex: fingerprintHex(fingerprint),
    header: singleObjectHeader(fingerprint),
  };
}

/**
 * Builds a registry from version files (by default the committed `generated/schema-sources.ts`,
 * which mirrors `schemas/`). Fails fast with TRIAGE_SCHEMA_INCOMPATIBLE when a schema does not
 * parse, two versions share a fingerprint, or an old version cannot be resolved into the newest
 * (so a service with a broken schema set does not start). `checkSchemas` reports the same
 * problems, and more, without throwing.
 */
export function createSchemaRegistry(sources: readonly SchemaSource[] = schemaSources): SchemaRegistry {
  const byName = new Map<string, SchemaVersion[]>();
  const byFingerprint = new Map<bigint, SchemaVersion>();
  for (const source of sources) {
    let version: SchemaVersion;
    try {
      version = toSchemaVersion(source);
    } catch (cause) {
      throw new TriageError(
        'TRIAGE_SCHEMA_INCOMPATIBLE',
        `${source.recordName} v${source.version} does not parse: ${(cause as Error).message}`,
        { cause },
      );
    }
    const clash = byFingerprint.get(version.fingerprint);
    if (clash) {
      throw new TriageError(
        'TRIAGE_SCHEMA_INCOMPATIBLE',
        `${source.recordName} v${source.version} has the same canonical form as ${clash.recordName} v${clash.version}`,
      );
    }
    byFingerprint.set(version.fingerprint, version);
    const list = byName.get(source.recordName) ?? [];
    list.push(version);
    byName.set(source.recordName, list);
  }

  const resolvers = new Map<SchemaVersion, avro.Resolver>();
  for (const list of byName.values()) {
    list.sort((a, b) => a.version - b.version);
    const newest = list[list.length - 1]!;
    for (const older of list.slice(0, -1)) {
      try {
        resolvers.set(older, newest.type.createResolver(older.type));
      } catch (cause) {
        throw new TriageError(
          'TRIAGE_SCHEMA_INCOMPATIBLE',
          `${older.recordName} v${older.version} cannot be read as v${newest.version}: ${(cause as Error).message}`,
          { cause },
        );
      }
    }
  }

  const recordNames = [...byName.keys()].sort();
  const versions = (recordName: string): readonly SchemaVersion[] => {
    const list = byName.get(recordName);
    if (!list) {
      throw new TriageError('TRIAGE_SCHEMA_UNKNOWN', `No schema named ${recordName}`, {
        details: { recordName },
      });
    }
    return list;
  };
  return {
    recordNames,
    versions,
    latest: (recordName) => {
      const list = versions(recordName);
      return list[list.length - 1]!;
    },
    byFingerprint: (fingerprint) => byFingerprint.get(fingerprint),
    resolverFor: (writer) => resolvers.get(writer),
  };
}

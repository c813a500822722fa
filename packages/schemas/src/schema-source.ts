import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TriageError } from '@triage/errors';
import type { AvroRecordJson } from './avro-json.ts';

/** One version file of one record, as written in `schemas/<record-dir>/v<N>.avsc`. */
export interface SchemaSource {
  /** The record's short name, e.g. `Report` (the schema's own `name`, without namespace). */
  readonly recordName: string;
  /** The N of `vN.avsc`, starting at 1. */
  readonly version: number;
  /** The schema JSON as written, docs and defaults included. */
  readonly schema: AvroRecordJson;
}

const versionFile = /^v([1-9][0-9]*)\.avsc$/;

/** `HashedItem` -> `hashed-item`: the folder a record's version files live in. */
export function recordDirName(recordName: string): string {
  return recordName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The short name of a named schema (`triage.Report` -> `Report`). */
export function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * Reads every `<dir>/<record-dir>/v<N>.avsc` (at call time), sorted by record name then version.
 * A file whose record name does not match its folder, or that is not JSON, is a
 * TRIAGE_SCHEMA_INCOMPATIBLE error naming the file.
 */
export function loadSchemaSources(dir: string): SchemaSource[] {
  const sources: SchemaSource[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of readdirSync(join(dir, entry.name))) {
      const match = versionFile.exec(file);
      if (!match) continue;
      const path = join(dir, entry.name, file);
      let schema: AvroRecordJson;
      try {
        schema = JSON.parse(readFileSync(path, 'utf8')) as AvroRecordJson;
      } catch (cause) {
        throw new TriageError('TRIAGE_SCHEMA_INCOMPATIBLE', `${path} is not valid JSON`, { cause });
      }
      if (schema.type !== 'record' || typeof schema.name !== 'string') {
        throw new TriageError('TRIAGE_SCHEMA_INCOMPATIBLE', `${path} must hold one named record schema`);
      }
      const recordName = shortName(schema.name);
      if (recordDirName(recordName) !== entry.name) {
        throw new TriageError(
          'TRIAGE_SCHEMA_INCOMPATIBLE',
          `${path} defines ${recordName}, which belongs in ${recordDirName(recordName)}/`,
        );
      }
      sources.push({ recordName, version: Number(match[1]), schema });
    }
  }
  return sources.sort((a, b) => a.recordName.localeCompare(b.recordName) || a.version - b.version);
}

/** The repository's `schemas/` folder, resolved from this file. */
export const schemasDir: string = new URL('../../../schemas/', import.meta.url).pathname;

import { readFileSync } from 'node:fs';
import {
  extendFingerprintLock,
  fingerprintLockPath,
  readFingerprintLock,
  renderFingerprintLock,
} from './fingerprint-lock.ts';
import { loadSchemaSources, type SchemaSource, schemasDir } from './schema-source.ts';
import { renderSchemaSources, renderTypes } from './type-generator.ts';

/** A generated file: where it lives and what it should contain. */
export interface GeneratedFile {
  readonly path: string;
  readonly expected: string;
}

export interface GeneratedFiles {
  readonly files: readonly GeneratedFile[];
  /** Version files whose fingerprint differs from the one recorded in the lock (never overwritten). */
  readonly edited: readonly SchemaSource[];
}

const generatedDir = new URL('./generated/', import.meta.url).pathname;

/**
 * The generated modules and the fingerprint lock as regeneration from `sources` (default: the
 * `schemas/` folder) would write them.
 */
export function expectedGeneratedFiles(
  sources: readonly SchemaSource[] = loadSchemaSources(schemasDir),
): GeneratedFiles {
  const { lock, changed } = extendFingerprintLock(readFingerprintLock(), sources);
  return {
    files: [
      { path: `${generatedDir}types.ts`, expected: renderTypes(sources) },
      { path: `${generatedDir}schema-sources.ts`, expected: renderSchemaSources(sources) },
      { path: fingerprintLockPath, expected: renderFingerprintLock(lock) },
    ],
    edited: changed,
  };
}

/** Paths whose committed content differs from what regeneration would write. */
export function staleGeneratedFiles(
  files: readonly GeneratedFile[] = expectedGeneratedFiles().files,
): string[] {
  return files
    .filter((file) => {
      try {
        return readFileSync(file.path, 'utf8') !== file.expected;
      } catch {
        return true;
      }
    })
    .map((file) => file.path);
}

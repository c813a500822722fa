import { readFileSync } from 'node:fs';
import { loadSchemaSources, type SchemaSource, schemasDir } from './schema-source.ts';
import { renderSchemaSources, renderTypes } from './type-generator.ts';

/** A generated module: where it lives and what it should contain. */
export interface GeneratedFile {
  readonly path: string;
  readonly expected: string;
}

const generatedDir = new URL('./generated/', import.meta.url).pathname;

/** The generated modules as regeneration from `sources` (default: the `schemas/` folder) would write them. */
export function expectedGeneratedFiles(
  sources: readonly SchemaSource[] = loadSchemaSources(schemasDir),
): GeneratedFile[] {
  return [
    { path: `${generatedDir}types.ts`, expected: renderTypes(sources) },
    { path: `${generatedDir}schema-sources.ts`, expected: renderSchemaSources(sources) },
  ];
}

/** Generated files whose committed content differs from what regeneration would write. */
export function staleGeneratedFiles(files: readonly GeneratedFile[] = expectedGeneratedFiles()): string[] {
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

/**
 * `pnpm schemas:check`: the schema rules of `compatibility.ts` over `schemas/`, with the examples
 * and the recorded fingerprints, plus the generated files being up to date. Exits 1 and lists every problem otherwise.
 */
import { relative } from 'node:path';
import { checkSchemas } from './compatibility.ts';
import { examples } from './examples.ts';
import { readFingerprintLock } from './fingerprint-lock.ts';
import { expectedGeneratedFiles, staleGeneratedFiles } from './generated-files.ts';
import { loadSchemaSources, schemasDir } from './schema-source.ts';

const sources = loadSchemaSources(schemasDir);
const problems = checkSchemas(sources, { examples: { ...examples }, frozen: readFingerprintLock() });
const stale = staleGeneratedFiles(expectedGeneratedFiles(sources).files);

for (const problem of problems) {
  const where =
    problem.version === undefined ? problem.recordName : `${problem.recordName} v${problem.version}`;
  process.stderr.write(`[${problem.rule}] ${where}: ${problem.message}\n`);
}
for (const path of stale) {
  process.stderr.write(
    `[generated] ${relative(process.cwd(), path)} is out of date: run \`pnpm schemas:generate\`\n`,
  );
}
if (problems.length > 0 || stale.length > 0) process.exit(1);
const records = new Set(sources.map((source) => source.recordName)).size;
process.stdout.write(`Schemas OK: ${records} records, ${sources.length} version files.\n`);

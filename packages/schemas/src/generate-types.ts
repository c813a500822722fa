/**
 * Regenerates `generated/types.ts` and `generated/schema-sources.ts` from `schemas/*\/v*.avsc`.
 *   node packages/schemas/src/generate-types.ts           write them
 *   node packages/schemas/src/generate-types.ts --check   exit 1 if they are out of date
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { expectedGeneratedFiles, staleGeneratedFiles } from './generated-files.ts';

const files = expectedGeneratedFiles();
const stale = staleGeneratedFiles(files);
const shown = (path: string) => relative(process.cwd(), path);

if (process.argv.includes('--check')) {
  if (stale.length > 0) {
    process.stderr.write(
      `Generated schema files are out of date: ${stale.map(shown).join(', ')}\nRun \`pnpm schemas:generate\` and commit the result.\n`,
    );
    process.exit(1);
  }
  process.stdout.write('Generated schema files are up to date.\n');
} else {
  for (const file of files) {
    if (stale.includes(file.path)) writeFileSync(file.path, file.expected);
  }
  process.stdout.write(
    stale.length
      ? `Wrote ${stale.map(shown).join(', ')}\n`
      : 'Generated schema files were already up to date.\n',
  );
}

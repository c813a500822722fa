/**
 * Regenerates `generated/types.ts` and `generated/schema-sources.ts` from `schemas/*\/v*.avsc`,
 * and records new version files in `schemas/fingerprints.json` (existing entries never change).
 *   node packages/schemas/src/generate-types.ts           write them
 *   node packages/schemas/src/generate-types.ts --check   exit 1 if any is out of date
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { expectedGeneratedFiles, staleGeneratedFiles } from './generated-files.ts';
import { recordDirName } from './schema-source.ts';

const { files, edited } = expectedGeneratedFiles();
const stale = staleGeneratedFiles(files);
const shown = (path: string) => relative(process.cwd(), path);

for (const source of edited) {
  process.stderr.write(
    `schemas/${recordDirName(source.recordName)}/v${source.version}.avsc differs from its fingerprint in schemas/fingerprints.json.\n` +
      '  Released version files are never edited: restore it and add the change as a new version file.\n' +
      '  (Only if that version was never merged or deployed: delete its line from fingerprints.json and rerun.)\n',
  );
}
if (edited.length > 0) process.exit(1);

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

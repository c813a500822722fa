// `node scripts/check-boundaries.ts`: fails when workspace packages depend on each other in a
// cycle, when a service imports another service, or when a service exports more than a
// deployable does (rules in boundary-rules.ts). Run by scripts/test.sh.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  dependencyCycles,
  type SourceFile,
  serviceExportViolations,
  serviceImportViolations,
  type WorkspacePackage,
} from './boundary-rules.ts';

const root = path.resolve(import.meta.dirname, '..');

/** The folders pnpm-workspace.yaml lists (`- dir` or `- dir/*`). */
function workspaceDirs(): string[] {
  const yaml = readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  return [...yaml.matchAll(/^\s*-\s*['"]?([^'"\s]+)['"]?\s*$/gm)].flatMap(([, pattern]) =>
    pattern!.endsWith('/*')
      ? readdirSync(path.join(root, pattern!.slice(0, -2)))
          .map((name) => `${pattern!.slice(0, -2)}/${name}`)
          .filter((dir) => isFile(path.join(root, dir, 'package.json')))
      : [pattern!],
  );
}

const isFile = (file: string) => statSync(file, { throwIfNoEntry: false })?.isFile() === true;

function readPackage(dir: string): WorkspacePackage {
  const json = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
  return {
    name: json.name,
    dir,
    dependsOn: [...Object.keys(json.dependencies ?? {}), ...Object.keys(json.devDependencies ?? {})],
    exports: Object.keys(json.exports ?? {}),
  };
}

/** Every .ts file under `dir` (node_modules left out), relative to the root. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.split(path.sep).includes('node_modules'))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')));
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map(
    ([, specifier]) => specifier!,
  );
}

const packages = workspaceDirs().map(readPackage);
const files: SourceFile[] = packages
  .filter((pkg) => pkg.dir.startsWith('services/'))
  .flatMap((pkg) => sourceFiles(pkg.dir))
  .map((file) => ({ path: file, imports: importsOf(file) }));

const problems = [
  ...dependencyCycles(packages).map((cycle) => `dependency cycle: ${cycle.join(' -> ')}`),
  ...serviceImportViolations(packages, files),
  ...serviceExportViolations(packages),
];
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exitCode = 1;
else
  console.log(
    `boundaries: ${packages.length} workspace packages, ${files.length} service files, no cycle, no service importing another`,
  );

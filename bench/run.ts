/**
 * `pnpm bench [suite...]`: runs the benchmark suites (all of them, or the named ones) and rewrites
 * docs/benchmarks.md. Sections of suites not run this time are kept from their earlier runs.
 * BENCH_SCALE (default 1) multiplies record counts: `BENCH_SCALE=0.1 pnpm bench` is a smoke run.
 * BENCH_OUTPUT writes the document elsewhere (a smoke run that leaves docs/benchmarks.md alone).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeMachine } from './lib/machine.ts';
import { parseSections, renderDocument, renderSection, type Section } from './lib/report.ts';
import type { Suite } from './lib/suite.ts';
import { suites } from './suites.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

function usage(): string {
  const names = suites.map((suite) => `  ${suite.name.padEnd(16)} ${suite.title}`).join('\n');
  return [
    'usage: pnpm bench [suite...] [--flag...]',
    '',
    'suites:',
    names,
    '',
    'flags (--name) go to the suites that take them, e.g. `pnpm bench search --reuse`;',
    "each suite's section in docs/benchmarks.md names its own.",
    '',
    'env: BENCH_SCALE=<number> (default 1) scales record counts;',
    '     BENCH_OUTPUT=<file> writes the report there instead of docs/benchmarks.md',
  ].join('\n');
}

function selectSuites(args: readonly string[]): Suite[] {
  if (args.length === 0) return [...suites];
  return args.map((name) => {
    const suite = suites.find((candidate) => candidate.name === name);
    if (!suite) throw new Error(`unknown suite "${name}"\n\n${usage()}`);
    return suite;
  });
}

/** Suite names and flags; a flag's value may follow it as its own word (`--minutes 1` is `--minutes=1`). */
function splitArgs(args: readonly string[]): { names: string[]; flags: string[] } {
  const names: string[] = [];
  const flags: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value = args[index + 1];
    if (!arg.startsWith('--')) names.push(arg);
    else if (!arg.includes('=') && value !== undefined && /^[0-9.]+$/.test(value)) {
      flags.push(`${arg}=${value}`);
      index += 1;
    } else flags.push(arg);
  }
  return { names, flags };
}

function parseScale(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(`BENCH_SCALE must be a positive number, got "${raw}"`);
  return scale;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    return 0;
  }
  const { names, flags } = splitArgs(args);
  const selected = selectSuites(names);
  const scale = parseScale(process.env.BENCH_SCALE);
  const documentPath = path.resolve(process.env.BENCH_OUTPUT || path.join(repoRoot, 'docs', 'benchmarks.md'));
  const machine = describeMachine();
  const log = (message: string) => console.error(`[bench] ${message}`);

  const fresh: Section[] = [];
  let failed = 0;
  for (const suite of selected) {
    log(`suite ${suite.name}: ${suite.title} (BENCH_SCALE=${scale})`);
    const started = new Date();
    try {
      const result = await suite.run({
        repoRoot,
        scale,
        flags,
        log: (message) => log(`${suite.name}: ${message}`),
      });
      fresh.push(
        renderSection({ name: suite.name, title: suite.title, date: started, scale, machine, ...result }),
      );
    } catch (error) {
      failed += 1;
      console.error(`[bench] suite ${suite.name} failed; its section is left as it was`);
      console.error(error);
    }
  }

  if (fresh.length > 0) {
    const old = existsSync(documentPath) ? parseSections(await readFile(documentPath, 'utf8')) : [];
    const rerun = new Set(fresh.map((section) => section.name));
    const kept = old.filter(
      (section) => !rerun.has(section.name) && suites.some((s) => s.name === section.name),
    );
    const document = renderDocument({
      order: suites.map(({ name, title }) => ({ name, title })),
      sections: [...fresh, ...kept],
    });
    await writeFile(documentPath, document);
    log(`wrote ${path.relative(repoRoot, documentPath)} (${fresh.map((s) => s.name).join(', ')})`);
  }
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

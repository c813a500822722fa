/**
 * A Python virtual environment for a benchmark baseline written in Python (pdqhash for
 * `pnpm bench pdq`), made and filled on first use so that a fresh clone measures every column:
 * `python3 -m venv <dir>`, then `pip install -r <requirements file>`. A stamp in the environment
 * holds the requirements it was filled from; while the stamp matches and the modules import, a
 * run installs nothing. Anything that cannot be installed is an error, never a skipped column.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface PythonVenvOptions {
  /** Where the environment lives, e.g. `<repo>/.tools/bench-venv`. One requirements file per environment. */
  readonly dir: string;
  /** A pip requirements file with pinned versions. */
  readonly requirementsFile: string;
  /** Modules that must import once installed: the check that the environment works. */
  readonly imports: readonly string[];
  /** The interpreter that creates the environment (default `python3`). */
  readonly python?: string;
  /** What the install needs besides Python (e.g. a C++ compiler), for the error when pip fails. */
  readonly needs?: string;
  readonly log: (message: string) => void;
}

export type VenvStep = 'create' | 'install';

export interface VenvState {
  /** The environment's interpreter exists. */
  readonly hasPython: boolean;
  /** The requirements the environment was last filled from, if any. */
  readonly stamp: string | undefined;
  /** The requirements wanted now. */
  readonly requirements: string;
  /** The modules import with the environment's interpreter. */
  readonly importsWork: boolean;
}

/** What is left to do, from what is on disk: nothing when the environment is filled and works. */
export function venvSteps(state: VenvState): VenvStep[] {
  if (!state.hasPython) return ['create', 'install'];
  if (state.stamp !== state.requirements || !state.importsWork) return ['install'];
  return [];
}

const stampName = 'triage-requirements.txt';

/** The environment's interpreter. */
function venvPython(dir: string): string {
  return path.join(dir, 'bin', 'python');
}

interface Finished {
  readonly code: number | null;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  readonly tail: readonly string[];
}

/** Runs a command, passing each output line to `onLine`; rejects only when it cannot start. */
function runCommand(
  command: string,
  args: readonly string[],
  onLine: (line: string) => void = () => {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const collect = (line: string) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      onLine(line);
    };
    createInterface({ input: child.stdout }).on('line', collect);
    createInterface({ input: child.stderr }).on('line', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, tail }));
  });
}

async function importsWork(python: string, imports: readonly string[]): Promise<boolean> {
  const { code } = await runCommand(python, ['-c', `import ${imports.join(', ')}`]);
  return code === 0;
}

async function readState(options: PythonVenvOptions, requirements: string): Promise<VenvState> {
  const python = venvPython(options.dir);
  const hasPython = existsSync(python);
  const stampFile = path.join(options.dir, stampName);
  return {
    hasPython,
    stamp: existsSync(stampFile) ? await readFile(stampFile, 'utf8') : undefined,
    requirements,
    importsWork: hasPython && (await importsWork(python, options.imports)),
  };
}

async function create(options: PythonVenvOptions): Promise<void> {
  const python = options.python ?? 'python3';
  options.log(`creating a Python virtual environment in ${options.dir} (${python} -m venv)`);
  const created = await runCommand(python, ['-m', 'venv', options.dir]).catch((error: unknown) => {
    throw new Error(`${python} not found: Python 3 with venv is needed to install the baseline`, {
      cause: error,
    });
  });
  if (created.code !== 0)
    throw new Error(
      `${python} -m venv ${options.dir} failed (exit ${created.code}; on Debian/Ubuntu install python3-venv):\n${created.tail.join('\n')}`,
    );
}

async function install(options: PythonVenvOptions, requirements: string): Promise<void> {
  const wanted = requirements
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  options.log(`installing ${wanted.join(' ')} into ${options.dir} (pip; once, then reused)`);
  const pip = await runCommand(
    venvPython(options.dir),
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--progress-bar',
      'off',
      '-r',
      options.requirementsFile,
    ],
    (line) => options.log(`pip: ${line}`),
  );
  if (pip.code !== 0)
    throw new Error(
      [
        `pip could not install ${options.requirementsFile} into ${options.dir} (exit ${pip.code})`,
        options.needs ? `; it needs ${options.needs}` : '',
        `. Last pip output:\n${pip.tail.join('\n')}`,
      ].join(''),
    );
  if (!(await importsWork(venvPython(options.dir), options.imports)))
    throw new Error(
      `installed ${options.requirementsFile}, but \`import ${options.imports.join(', ')}\` fails`,
    );
  await writeFile(path.join(options.dir, stampName), requirements);
}

/**
 * Makes sure the environment exists, holds the pinned requirements and imports them; installs
 * only what is missing. Resolves with the environment's interpreter.
 */
export async function ensurePythonVenv(options: PythonVenvOptions): Promise<string> {
  const requirements = await readFile(options.requirementsFile, 'utf8');
  const steps = venvSteps(await readState(options, requirements));
  if (steps.length === 0) options.log(`Python baseline ready in ${options.dir}`);
  if (steps.includes('create')) await create(options);
  if (steps.includes('install')) await install(options, requirements);
  return venvPython(options.dir);
}

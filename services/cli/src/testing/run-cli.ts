// The operator CLI as an operator runs it, for the integration tests: a separate Node process,
// its output and exit code.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../main.ts', import.meta.url));

/** What one run printed, and its exit code (0 when it succeeded). */
export interface CliRun {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunCliOptions {
  /** The child's environment (default this process's); colour is always turned off. */
  env?: NodeJS.ProcessEnv;
  /** Most bytes of output kept per stream (default Node's 1 MiB). */
  maxBuffer?: number;
}

/** Runs `triage <args>`; a non-zero exit is returned as `code`, never thrown. */
export async function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args], {
      env: { ...(options.env ?? process.env), FORCE_COLOR: '0' },
      ...(options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer }),
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as CliRun;
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

/** `triage <args>` with the defaults. */
export const triage = (...args: string[]): Promise<CliRun> => runCli(args);

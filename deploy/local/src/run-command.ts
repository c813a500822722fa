import { spawn } from 'node:child_process';
import { TriageError } from '@triage/errors';

export interface CommandResult {
  code: number | null;
  output: string;
}

/** Runs a short-lived command to completion with no stdin, collecting stdout and stderr together. */
export function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', (error) => resolve({ code: null, output: `${command}: ${error.message}` }));
    child.once('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Like `runCommand`, but a non-zero exit becomes TRIAGE_STACK_START_FAILED with the output's tail. */
export async function runCommandOrFail(
  what: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code === 0) return result.output;
  const tail = result.output.trimEnd().split('\n').slice(-40).join('\n');
  throw new TriageError(
    'TRIAGE_STACK_START_FAILED',
    `${what} failed (${command} exited with ${String(result.code)}):\n${tail}`,
    { details: { command, args } },
  );
}

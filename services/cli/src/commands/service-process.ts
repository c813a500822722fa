import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { TriageError } from '@triage/errors';

/** A service the CLI runs as a child: its name, entry point and log file. */
export interface ChildService<Name extends string = string> {
  name: Name;
  /** The service's entry point, run with this Node. */
  script: string;
  /** Where its stdout and stderr are appended. */
  log: string;
}

export interface RunningService<S extends ChildService = ChildService> {
  service: S;
  pid: number;
  process: ReturnType<typeof spawn>;
  exited: boolean;
}

/**
 * True while `pid` still runs `script` (Linux /proc): false once it exited, while it is a zombie
 * waiting to be reaped, and when the pid now belongs to another program (reused since it started).
 */
export async function runsScript(pid: number, script: string): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').includes(script);
  } catch {
    return false;
  }
}

/** Each service as a child in its own process group (Ctrl-C reaches only this CLI, which stops them in order). */
export function startServices<S extends ChildService>(
  plan: readonly S[],
  env: NodeJS.ProcessEnv,
): RunningService<S>[] {
  return plan.map((service) => {
    const log = openSync(service.log, 'a');
    const child = spawn(process.execPath, [service.script], {
      env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    if (child.pid === undefined) {
      throw new TriageError(
        'TRIAGE_STACK_START_FAILED',
        `${service.name} did not start (see ${service.log})`,
      );
    }
    const running: RunningService<S> = { service, pid: child.pid, process: child, exited: false };
    child.once('exit', () => {
      running.exited = true;
    });
    console.log(`started ${service.name} (pid ${child.pid}, log ${service.log})`);
    return running;
  });
}

export function failIfExited(running: readonly RunningService[]): void {
  const gone = running.find((child) => child.exited);
  if (gone) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `${gone.service.name} exited early; see ${gone.service.log}`,
    );
  }
}

/** SIGTERM, then up to 30 s to drain; only a process still running our script is signalled (a reused pid is left alone). */
export async function stopProcess(
  pid: number,
  script: string,
): Promise<'stopped' | 'killed' | 'was not running'> {
  if (!(await runsScript(pid, script))) return 'was not running';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!(await runsScript(pid, script))) return 'stopped';
    await sleep(200);
  }
  process.kill(pid, 'SIGKILL');
  return 'killed';
}

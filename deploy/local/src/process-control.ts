import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Detached server processes and their pid files. A pid only counts as ours when the process
 * is alive and its command line names the file that marks it (its server.properties, its
 * Elasticsearch config dir), so a recycled pid is never signalled.
 */

export interface DetachedProcess {
  pid: number;
  /** Settles when the process exits while this Node process is still watching it. */
  exited: Promise<number | null>;
}

export interface DetachedSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

/** Starts a process in its own session (so it outlives the CLI and ignores its terminal). */
export function spawnDetached(spec: DetachedSpec): DetachedProcess {
  const log = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(-1));
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    return { pid: child.pid, exited };
  } finally {
    closeSync(log);
  }
}

function readPidFile(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function writePidFile(pidFile: string, pid: number): void {
  writeFileSync(pidFile, `${pid}\n`);
}

export function removePidFile(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive, not a zombie, and (on Linux) started with `marker` on its command line. */
export function isOurProcess(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  let cmdline: string;
  let stat: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return process.platform !== 'linux';
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
  return state !== 'Z' && state !== 'X' && cmdline.includes(marker);
}

/** The pid in `pidFile` when it is one of ours and alive. */
export function livePid(pidFile: string, marker: string): number | undefined {
  const pid = readPidFile(pidFile);
  return pid !== undefined && isOurProcess(pid, marker) ? pid : undefined;
}

/** Resident set size in kB, from /proc (Linux only). */
export function residentKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface StopOutcome {
  how: 'terminated' | 'killed';
  ms: number;
}

/**
 * SIGTERM (or SIGKILL when `kill` is set), then waits; SIGKILL after `timeoutMs` if it is still
 * there. Signals only a process that `isOurProcess(pid, marker)` confirms.
 */
export async function stopProcess(
  pid: number,
  marker: string,
  options: { timeoutMs: number; kill?: boolean },
): Promise<StopOutcome | undefined> {
  if (!isOurProcess(pid, marker)) return undefined;
  const started = Date.now();
  const signal = options.kill ? 'SIGKILL' : 'SIGTERM';
  if (!signalIfOurs(pid, marker, signal)) return undefined;
  if (await waitForExit(pid, marker, options.timeoutMs)) {
    return { how: options.kill ? 'killed' : 'terminated', ms: Date.now() - started };
  }
  signalIfOurs(pid, marker, 'SIGKILL');
  await waitForExit(pid, marker, 10_000);
  return { how: 'killed', ms: Date.now() - started };
}

export interface StopTarget {
  pid: number;
  marker: string;
}

/**
 * Stops the members of a quorum together: SIGTERM to all, then SIGKILL to whoever still runs
 * after `timeoutMs`, or to the last survivor `lastSurvivorMs` after the others have gone. (A
 * KRaft node left alone waits up to minutes for a controller majority to approve its controlled
 * shutdown; killed instead, it recovers its logs on the next start.)
 */
export async function stopQuorum(
  targets: StopTarget[],
  options: { timeoutMs: number; lastSurvivorMs: number },
): Promise<Array<StopOutcome | undefined>> {
  const started = Date.now();
  const outcomes: Array<StopOutcome | undefined> = targets.map(() => undefined);
  const pending = new Set<number>();
  targets.forEach((target, index) => {
    if (signalIfOurs(target.pid, target.marker, 'SIGTERM')) pending.add(index);
  });
  const killed = new Set<number>();
  let aloneSince: number | undefined;
  while (pending.size > 0) {
    for (const index of [...pending]) {
      const target = targets[index]!;
      if (isOurProcess(target.pid, target.marker)) continue;
      pending.delete(index);
      outcomes[index] = { how: killed.has(index) ? 'killed' : 'terminated', ms: Date.now() - started };
    }
    if (pending.size === 1 && targets.length > 1) aloneSince ??= Date.now();
    const overdue = Date.now() - started > options.timeoutMs;
    const leftAlone = aloneSince !== undefined && Date.now() - aloneSince > options.lastSurvivorMs;
    if (overdue || leftAlone) {
      for (const index of pending) {
        if (killed.has(index)) continue;
        const target = targets[index]!;
        signalIfOurs(target.pid, target.marker, 'SIGKILL');
        killed.add(index);
      }
    }
    if (pending.size > 0) {
      if (Date.now() - started > options.timeoutMs + 10_000) break;
      await sleep(100);
    }
  }
  return outcomes;
}

function signalIfOurs(pid: number, marker: string, signal: NodeJS.Signals): boolean {
  if (!isOurProcess(pid, marker)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, marker: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isOurProcess(pid, marker)) return true;
    await sleep(100);
  }
  return !isOurProcess(pid, marker);
}

/** The last `lines` lines of a log file (reads at most its last 256 kB), or a note that it is missing. */
export function logTail(file: string, lines = 40): string {
  let text: string;
  try {
    const buffer = readFileSync(file);
    text = buffer.subarray(Math.max(0, buffer.length - 256 * 1024)).toString('utf8');
  } catch {
    return `(no log at ${file})`;
  }
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all.slice(-lines).join('\n');
}

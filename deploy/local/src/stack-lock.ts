import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { TriageError } from '@triage/errors';
import { isAlive } from './process-control.ts';
import { makeWorldReadableDir, stackLockFile } from './stack-layout.ts';

/**
 * One caller at a time starts or stops the stack's servers: several engineers and test runs
 * share one checkout, and two `up`s racing would start two brokers on one port. The lock file
 * names its owner as `pid start-time`; it is created atomically (hard link of a complete temp
 * file) and taken over when its owner has died. Public API calls take it; nothing nests.
 */
export async function withStackLock<T>(
  stackDir: string,
  timeoutMs: number,
  onWait: (ownerPid: number) => void,
  work: () => Promise<T>,
): Promise<T> {
  makeWorldReadableDir(stackDir);
  const file = stackLockFile(stackDir);
  const me = `${process.pid} ${startTime(process.pid)}`;
  const deadline = Date.now() + timeoutMs;
  let reported = false;
  for (;;) {
    const owner = tryAcquire(file, me);
    if (owner === undefined) break;
    if (!reported) {
      onWait(owner);
      reported = true;
    }
    if (Date.now() > deadline) {
      throw new TriageError(
        'TRIAGE_STACK_START_FAILED',
        `another process (pid ${owner}) held ${file} for over ${timeoutMs} ms while starting or stopping the stack`,
      );
    }
    await sleep(250);
  }
  try {
    return await work();
  } finally {
    if (readLock(file) === me) rmSync(file, { force: true });
  }
}

/** Undefined when the lock is now ours, else the pid of its live owner. */
function tryAcquire(file: string, me: string): number | undefined {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temp, me);
  try {
    linkSync(temp, file);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  const owner = readLock(file);
  const [pid, started] = (owner ?? '').split(' ');
  const ownerPid = Number(pid);
  if (Number.isInteger(ownerPid) && ownerPid > 0 && isAlive(ownerPid) && startTime(ownerPid) === started) {
    return ownerPid;
  }
  // Its owner is gone: remove it and race for it again like everyone else.
  rmSync(file, { force: true });
  return tryAcquire(file, me);
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Process start time in clock ticks since boot (Linux), which tells a recycled pid apart. */
function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '0';
  } catch {
    return '0';
  }
}

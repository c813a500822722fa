// A deployable as an operator runs it (its main.ts in its own process on a real port), for tests
// and benchmarks that need real HTTP, a real process to kill, or the process's own memory figures.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tlsRequest } from './tls.ts';

/** Output kept for error messages: the tail is what explains a crash. */
const keptOutputChars = 64 * 1024;

export interface ServiceProcessOptions {
  /** What the process is, for error messages (`intake`, `triage-api`). */
  name: string;
  /** Absolute path of the main script. */
  script: string;
  /** Its environment, on top of this process's. */
  env: Record<string, string>;
  /** Polled until it answers 200 (a `/readyz` URL). */
  readyUrl: string;
  /** `readyUrl` is HTTPS under a certificate of this authority (PEM), the only one trusted. */
  ca?: string;
  /** How long to wait for it. Default 60 s. */
  readyTimeoutMs?: number;
}

export interface ServiceProcess {
  readonly pid: number;
  /** The process's peak resident set so far (VmHWM), in bytes. */
  peakRssBytes(): Promise<number>;
  /** The last 64 KiB of its stdout and stderr. */
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`, default 20 s). */
  stop(graceMs?: number): Promise<number | null>;
}

/** `VmHWM` of /proc/<pid>/status (Linux), in bytes. */
export async function peakRssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Starts `node <script>`; resolves once `readyUrl` answers 200, rejects (with its output) if it exits or times out first. */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, [options.script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-keptOutputChars);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stop = async (graceMs = 20_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${options.name} exited (${child.exitCode}) before it was ready:\n${output}`);
    const { ca } = options;
    const ready = await (ca === undefined
      ? fetch(options.readyUrl)
      : tlsRequest(options.readyUrl, { ca })
    ).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(200);
  }
  return { pid: child.pid!, peakRssBytes: () => peakRssOf(child.pid!), output: () => output, stop };
}

// Intake as an operator runs it (main.ts in its own process on a real port), for tests and the
// benchmark that need real HTTP and the process's own memory figures.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { KafkaConnection } from '@triage/messaging';
import { createPartnerKey, writePartnersFile } from '@triage/partners';
import { freePort } from '@triage/testkit';

const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));
/** Output kept for error messages: the tail is what explains a crash. */
const keptOutputChars = 64 * 1024;

export interface IntakeProcessOptions {
  /** Brokers and topic prefix; the caller has created the bundles and status topics. */
  connection: KafkaConnection;
  /** Folder for the partners file, content store and spool (the caller removes it). */
  root: string;
  /** Partner ids to create, each with one key and this rate limit. */
  partners?: readonly string[];
  rateLimit?: { max: number; timeWindow: number };
  /** More environment (INTAKE_MAX_* limits, LOG_LEVEL...). */
  env?: Record<string, string>;
  /** How long to wait for /readyz. */
  readyTimeoutMs?: number;
}

export interface IntakeProcess {
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** API key by partner id. */
  readonly keys: ReadonlyMap<string, string>;
  readonly contentRoot: string;
  readonly spoolDir: string;
  /** The process's peak resident set so far (VmHWM), in bytes. */
  peakRssBytes(): Promise<number>;
  /** The last 64 KiB of its stdout and stderr. */
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/** `VmHWM` of /proc/<pid>/status (Linux), in bytes. */
export async function peakRssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Starts `node services/intake/src/main.ts` with its own partners file and folders; resolves once /readyz answers 200. */
export async function startIntakeProcess(options: IntakeProcessOptions): Promise<IntakeProcess> {
  const partnerIds = options.partners ?? ['bench-partner'];
  const keys = new Map<string, string>();
  const partnersFile = path.join(options.root, 'partners.json');
  await writePartnersFile(partnersFile, {
    partners: partnerIds.map((partnerId) => {
      const made = createPartnerKey();
      keys.set(partnerId, made.key);
      return {
        partnerId,
        keys: [{ id: 'k1', sha256: made.sha256 }],
        rateLimit: options.rateLimit ?? { max: 1_000_000, timeWindow: 60_000 },
      };
    }),
  });
  const port = await freePort();
  const contentRoot = path.join(options.root, 'content');
  const spoolDir = path.join(options.root, 'spool');
  const child: ChildProcess = spawn(process.execPath, [mainScript], {
    env: {
      ...process.env,
      KAFKA_BROKERS: options.connection.brokers.join(','),
      KAFKA_CLIENT_ID: options.connection.clientId,
      KAFKA_TOPIC_PREFIX: options.connection.topicPrefix ?? '',
      INTAKE_PORT: String(port),
      INTAKE_PARTNERS_FILE: partnersFile,
      INTAKE_SPOOL_DIR: spoolDir,
      CONTENT_STORE_ROOT: contentRoot,
      // No splitter runs here: its lag must not refuse bundles.
      INTAKE_SPLITTER_GROUP_ID: `${options.connection.topicPrefix ?? ''}no-splitter-${port}`,
      INTAKE_MAX_PENDING_BUNDLES: '1000000000',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-keptOutputChars);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = `http://127.0.0.1:${port}`;
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
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`intake exited (${child.exitCode}) before it was ready:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`intake was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`);
    }
    await sleep(200);
  }
  return {
    pid: child.pid!,
    url,
    keys,
    contentRoot,
    spoolDir,
    peakRssBytes: () => peakRssOf(child.pid!),
    output: () => output,
    stop,
  };
}

// Memory of the processes under load (and how contended the cores were): resident memory of the services by pid, Kafka's and
// Elasticsearch's JVMs by the port they listen on (they run outside this benchmark, possibly shared); the services' JS heap and
// the state values they keep decoded on it, from their /metrics.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** Resident memory of a process, and its anonymous part (heap and native allocations, without file pages such as mapped LMDB stores). */
export interface Resident {
  readonly rssBytes: number;
  readonly anonBytes: number;
}

/** `VmRSS` and `RssAnon` of /proc/<pid>/status; null once the process is gone. */
export async function residentOf(pid: number): Promise<Resident | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    const anon = /^RssAnon:\s+(\d+) kB$/m.exec(status);
    return rss && anon ? { rssBytes: Number(rss[1]) * 1024, anonBytes: Number(anon[1]) * 1024 } : null;
  } catch {
    return null;
  }
}

/** The pid listening on a local TCP port (`ss -ltnp`), or null when ss cannot tell. */
export async function listeningPid(port: number): Promise<number | null> {
  try {
    const { stdout } = await promisify(execFile)('ss', ['-ltnpH', `sport = :${port}`]);
    const match = /pid=(\d+)/.exec(stdout);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU pressure (PSI `some avg60`, %): the share of the last minute runnable work waited for a core; null without PSI. */
export async function cpuPressure(): Promise<number | null> {
  try {
    const text = await readFile('/proc/pressure/cpu', 'utf8');
    const match = /^some avg10=[\d.]+ avg60=([\d.]+)/m.exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** What a service's /metrics tells of its heap: the JS heap in use and, for a stage, the decoded values each state store keeps on it. */
export interface HeapReading {
  readonly heapUsedBytes: number;
  /** Per state store (`triage_state_store_heap_values`, summed over the stage's runners). */
  readonly storeValues: ReadonlyMap<string, number>;
}

/** Reads `opsUrl`/metrics; null when it does not answer or has no heap gauge. */
export async function heapOf(opsUrl: string): Promise<HeapReading | null> {
  const text = await fetch(`${opsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })
    .then((response) => response.text())
    .catch(() => '');
  const heap = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text);
  if (!heap) return null;
  const storeValues = new Map<string, number>();
  for (const match of text.matchAll(
    /^triage_state_store_heap_values\{[^}]*store="([^"]+)"[^}]*\} (\S+)$/gm,
  )) {
    storeValues.set(match[1]!, (storeValues.get(match[1]!) ?? 0) + Number(match[2]));
  }
  return { heapUsedBytes: Number(heap[1]), storeValues };
}

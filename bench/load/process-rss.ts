// Resident memory of the processes under load (and how contended the cores were): the services by pid, Kafka's and Elasticsearch's
// JVMs by the port they listen on (they run outside this benchmark, possibly shared).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** `VmRSS` of /proc/<pid>/status in bytes; null once the process is gone. */
export async function rssOf(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
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

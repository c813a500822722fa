import { readFile } from 'node:fs/promises';

/**
 * True while `pid` still runs `script` (Linux /proc): false once it exited, while it is a zombie
 * waiting to be reaped, and when the pid now belongs to another program (reused since `up`).
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

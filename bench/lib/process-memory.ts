/**
 * What a benchmark worker measures of its own process and its files: memory after a full GC
 * (run node with `--expose-gc`) and the bytes a folder takes on disk.
 */
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface Memory {
  readonly heapBytes: number;
  readonly rssBytes: number;
  /** Anonymous resident memory: the heap and native allocations, without file pages the kernel may drop. */
  readonly anonBytes: number;
}

/** Heap, RSS and anonymous RSS after two full collections (none without `--expose-gc`). */
export function processMemory(): Memory {
  globalThis.gc?.();
  globalThis.gc?.();
  const status = readFileSync('/proc/self/status', 'utf8');
  const anonKb = Number(/^RssAnon:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return {
    heapBytes: process.memoryUsage().heapUsed,
    rssBytes: process.memoryUsage().rss,
    anonBytes: anonKb * 1024,
  };
}

/** Allocated bytes under a folder and its subfolders (what du counts); 0 when it does not exist. */
export async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const at = path.join(folder, entry.name);
    total += entry.isDirectory() ? await folderBytes(at) : (await stat(at)).blocks * 512;
  }
  return total;
}

import type { WriteStream } from 'node:fs';
import { chmod, type FileHandle, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Owner read and write only: media, staged files and spools. */
const privateFileMode = 0o600;
/** Owner only: every folder that holds them. */
const privateDirMode = 0o700;

/** Folders this process found existing and has set 0700 (at most the store's 65 536 shards). */
const tightened = new Set<string>();

/**
 * Makes `directory` (and any missing parents) owner-only. `mkdir`'s mode passes through the
 * umask, so every folder it created is then set with `chmod`, which does not: 0700 whatever the
 * process's umask. A folder that already existed is tightened too, unless it belongs to someone
 * else (a mount point the operator owns: `EPERM`), where the 0600 files still keep their bytes.
 */
export async function makePrivateDir(directory: string): Promise<void> {
  const target = path.resolve(directory);
  const first = await mkdir(target, { recursive: true, mode: privateDirMode });
  if (first === undefined) {
    // Tightened once per process: the store makes its shard folder for every file it links.
    if (tightened.has(target)) return;
    await chmod(target, privateDirMode).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPERM') throw error;
    });
    tightened.add(target);
    return;
  }
  const created: string[] = [];
  for (let at = target; at.length >= first.length && at !== path.dirname(at); at = path.dirname(at)) {
    created.push(at);
  }
  await Promise.all(created.map((folder) => chmod(folder, privateDirMode)));
}

/** Whether the umask leaves 0600 as it is (the usual 022 or 077 do): read once, it is per process. */
let umaskKeepsPrivateMode: boolean | undefined;

/**
 * Creates `file` (it must not exist) as 0600 and returns its handle. Under a umask that would
 * change 0600, the mode is set on the open handle before a byte is written.
 */
async function openPrivateFile(file: string): Promise<FileHandle> {
  const handle = await open(file, 'wx', privateFileMode);
  // Reading the umask sets it back at once; the alternative is an fchmod for every file.
  umaskKeepsPrivateMode ??= (process.umask() & privateFileMode) === 0;
  if (umaskKeepsPrivateMode) return handle;
  try {
    await handle.chmod(privateFileMode);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Creates `file` (it must not exist) as 0600 and returns a stream writing it. */
export async function createPrivateFile(file: string): Promise<WriteStream> {
  return (await openPrivateFile(file)).createWriteStream();
}

/**
 * Creates `file` (it must not exist) as 0600 holding `data`; with `fsync`, on disk before it
 * resolves (without, a power loss may lose it, a killed process does not).
 */
export async function writePrivateFile(
  file: string,
  data: string | Uint8Array,
  options: { fsync: boolean },
): Promise<void> {
  const handle = await openPrivateFile(file);
  try {
    await handle.writeFile(data);
    if (options.fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface StaleFilesOptions {
  dir: string;
  /** Only names starting with this are considered. */
  prefix: string;
  /** Files not written for this long are stale. */
  olderThanMs: number;
  /** Files a live writer holds (by path): never removed, however old. */
  inUse: ReadonlySet<string>;
}

/**
 * Removes the stale temporary files of `dir` (staged files, spools) that a killed writer left
 * behind; a missing folder has none. Returns how many it removed.
 */
export async function removeStaleFiles(options: StaleFilesOptions): Promise<number> {
  const names = await readdir(options.dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const cutoff = Date.now() - options.olderThanMs;
  let removed = 0;
  for (const name of names) {
    const file = path.join(options.dir, name);
    if (!name.startsWith(options.prefix) || options.inUse.has(file)) continue;
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile() || info.mtimeMs >= cutoff) continue;
    await rm(file, { force: true });
    removed += 1;
  }
  return removed;
}

import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { makePrivateDir, writePrivateFile } from '@triage/content-store';

export interface UnpublishedMediaOptions {
  /** Folder of the journal (one small file per bundle being accepted; 0700, files 0600). */
  dir: string;
  clock?: () => number;
}

/** One bundle's media, committed or about to be, whose bundle may never reach Kafka. */
export interface UnpublishedEntry {
  readonly file: string;
  /** When the entry was written (before the commit). */
  readonly at: number;
  readonly sha256s: readonly string[];
}

/** Handed to the accept step: `published` once the bundle record is on Kafka. */
export interface PublishIntent {
  published(): Promise<void>;
}

/**
 * The journal of media committed ahead of its bundle: an entry is written as a
 * bundle's files are committed and removed once the bundle is published, so what is left names
 * every file a failed publish, or a crash between commit and publish, may have left unreferenced.
 * An entry only nominates candidates: the reclaim sweep proves each one unreferenced first.
 */
export class UnpublishedMedia {
  readonly #dir: string;
  readonly #clock: () => number;
  #prepared: Promise<void> | undefined;

  constructor(options: UnpublishedMediaOptions) {
    this.#dir = options.dir;
    this.#clock = options.clock ?? Date.now;
  }

  async intend(sha256s: readonly string[]): Promise<PublishIntent> {
    if (sha256s.length === 0) return { published: async () => undefined };
    // Made once; a failure is tried again by the next bundle.
    this.#prepared ??= makePrivateDir(this.#dir).catch((error: unknown) => {
      this.#prepared = undefined;
      throw error;
    });
    await this.#prepared;
    const file = path.join(this.#dir, `${randomUUID()}.json`);
    // Not fsynced: the page cache outlives a killed process; only a power loss between the media's
    // commit and its publish can lose an entry, and then leaks its files, never deletes one.
    await writePrivateFile(file, JSON.stringify({ at: this.#clock(), sha256s: [...new Set(sha256s)] }), {
      fsync: false,
    });
    // Best effort: an entry left behind costs the sweep one proof, never a file.
    return { published: () => rm(file, { force: true }).catch(() => undefined) };
  }

  /** Entries written at `cutoffMs` or before; unreadable ones (cut short by a crash) are dropped. */
  async due(cutoffMs: number): Promise<UnpublishedEntry[]> {
    const names = await readdir(this.#dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const entries: UnpublishedEntry[] = [];
    for (const name of names.filter((entry) => entry.endsWith('.json'))) {
      const file = path.join(this.#dir, name);
      const parsed = parseEntry(await readFile(file, 'utf8').catch(() => ''));
      if (parsed === null) {
        // Cut short by a crash while it and its commit were under way: at most a leak, as if unwritten.
        await rm(file, { force: true });
        continue;
      }
      if (parsed.at <= cutoffMs) entries.push({ file, ...parsed });
    }
    return entries;
  }

  settle(entry: UnpublishedEntry): Promise<void> {
    return rm(entry.file, { force: true });
  }
}

const sha256Pattern = /^[0-9a-f]{64}$/;

function parseEntry(text: string): { at: number; sha256s: string[] } | null {
  try {
    const value = JSON.parse(text) as { at?: unknown; sha256s?: unknown };
    if (typeof value.at !== 'number' || !Array.isArray(value.sha256s)) return null;
    const sha256s = value.sha256s.filter(
      (item): item is string => typeof item === 'string' && sha256Pattern.test(item),
    );
    return { at: value.at, sha256s };
  } catch {
    return null;
  }
}

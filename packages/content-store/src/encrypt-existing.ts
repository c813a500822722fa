import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ContentStore, RewriteOutcome } from './content-store.ts';

const sha256Pattern = /^[0-9a-f]{64}$/;

export type EncryptExistingCounts = Record<RewriteOutcome, number>;

/**
 * Walks every file of the store and rewrites in the current format those that are not (plain
 * files from before encryption was turned on, format version 1, other key ids): the migration
 * behind `pnpm triage media encrypt`. Idempotent and resumable: each file is replaced on its own,
 * atomically, so a stopped run is simply run again. `onFile` hears each outcome (for progress).
 */
export async function encryptExisting(
  store: ContentStore,
  onFile: (sha256: string, outcome: RewriteOutcome) => void = () => undefined,
): Promise<EncryptExistingCounts> {
  const counts: EncryptExistingCounts = { encrypted: 0, upgraded: 0, rekeyed: 0, current: 0, unreadable: 0 };
  for await (const sha256 of storedAddresses(path.join(store.root, 'sha256'))) {
    const outcome = await store.rewriteEncrypted(sha256);
    counts[outcome] += 1;
    onFile(sha256, outcome);
  }
  return counts;
}

/** Every `<aa>/<bb>/<sha256>` under the store's `sha256/` folder. */
async function* storedAddresses(folder: string): AsyncGenerator<string> {
  const list = (at: string) =>
    readdir(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
  for (const first of (await list(folder)).sort()) {
    for (const second of (await list(path.join(folder, first))).sort()) {
      for (const name of (await list(path.join(folder, first, second))).sort()) {
        if (sha256Pattern.test(name) && name.startsWith(first + second)) yield name;
      }
    }
  }
}

// The hoster-side client's pure half: which hashes of which files go into which batch, and which
// files the answers name. No I/O.

/** The hashes a file gave (PDQ only for an image with a usable hash). */
export interface FileHashes {
  path: string;
  md5: string;
  sha1: string;
  pdq: string | null;
}

type SentHashType = 'md5' | 'sha1' | 'pdq';

/** One batch: the hashes as the service takes them, and the file and type of each. */
export interface HashBatch {
  hashes: { type: SentHashType; value: string }[];
  owners: { path: string; type: SentHashType }[];
}

/** A file the service matched, and which of its hashes did. */
export interface MatchedFile {
  path: string;
  matched: SentHashType[];
  category?: number | null;
}

/**
 * Packs files into batches of at most `maxHashes` hashes, a file's hashes always in one batch
 * (so one answer set decides a file). Each batch goes out as soon as it is full.
 */
export class BatchPacker {
  readonly #maxHashes: number;
  #current: HashBatch = { hashes: [], owners: [] };

  constructor(maxHashes: number) {
    // A file gives at most 3 hashes: a batch must hold one whole file.
    this.#maxHashes = Math.max(3, maxHashes);
  }

  /** Adds a file; returns the batch it filled up, if any, to send now. */
  add(file: FileHashes): HashBatch | null {
    const entries: [SentHashType, string][] = [
      ['md5', file.md5],
      ['sha1', file.sha1],
    ];
    if (file.pdq !== null) entries.push(['pdq', file.pdq]);
    let full: HashBatch | null = null;
    if (this.#current.hashes.length + entries.length > this.#maxHashes) full = this.flush();
    for (const [type, value] of entries) {
      this.#current.hashes.push({ type, value });
      this.#current.owners.push({ path: file.path, type });
    }
    return full;
  }

  /** The batch so far (null when empty), and a fresh one started. */
  flush(): HashBatch | null {
    const batch = this.#current;
    this.#current = { hashes: [], owners: [] };
    return batch.hashes.length === 0 ? null : batch;
  }
}

/** The files a batch's answers matched, in batch order, each once with the types that matched. */
export function matchedFiles(
  batch: HashBatch,
  answers: readonly { match: boolean; category?: number | null }[],
): MatchedFile[] {
  const byPath = new Map<string, MatchedFile>();
  batch.owners.forEach((owner, index) => {
    const answer = answers[index];
    if (!answer?.match) return;
    let file = byPath.get(owner.path);
    if (!file) {
      file = { path: owner.path, matched: [] };
      byPath.set(owner.path, file);
    }
    file.matched.push(owner.type);
    if (answer.category !== undefined && file.category === undefined) file.category = answer.category;
  });
  return [...byPath.values()];
}

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TriageError } from '@triage/errors';

/** MD5, SHA-1 and SHA-256 of the stored bytes (lower-case hex) and their count. */
export interface ExactHashes {
  readonly size: number;
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
}

/** Feeds every chunk to all three digests, so a stream is read once whatever its size. */
export class ExactHasher {
  readonly #md5: Hash = createHash('md5');
  readonly #sha1: Hash = createHash('sha1');
  readonly #sha256: Hash = createHash('sha256');
  #size = 0;
  #done = false;

  update(chunk: Uint8Array): void {
    if (this.#done) throw new Error('ExactHasher: update after digest');
    this.#md5.update(chunk);
    this.#sha1.update(chunk);
    this.#sha256.update(chunk);
    this.#size += chunk.byteLength;
  }

  digest(): ExactHashes {
    this.#done = true;
    return {
      size: this.#size,
      md5: this.#md5.digest('hex'),
      sha1: this.#sha1.digest('hex'),
      sha256: this.#sha256.digest('hex'),
    };
  }
}

export function hashBytes(bytes: Uint8Array): ExactHashes {
  const hasher = new ExactHasher();
  hasher.update(bytes);
  return hasher.digest();
}

/** Anything that yields byte chunks: a Node `Readable`, a web stream, an async generator. */
export type ByteSource = AsyncIterable<Uint8Array | string>;

/**
 * Iterates a byte source, turning a read failure into a `TriageError`: `TRIAGE_MEDIA_MISSING` for a
 * path that does not exist, `TRIAGE_MEDIA_UNREADABLE` for anything else (a directory, permissions,
 * an I/O error, a stream that fails).
 */
export async function* readChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  } catch (error) {
    throw readError(error);
  }
}

function readError(error: unknown): TriageError {
  if (error instanceof TriageError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') return new TriageError('TRIAGE_MEDIA_MISSING', message, { cause: error });
  return new TriageError('TRIAGE_MEDIA_UNREADABLE', message, {
    cause: error,
    ...(code === undefined ? {} : { details: { errno: code } }),
  });
}

/** One pass over the stream; throws `TRIAGE_MEDIA_UNREADABLE` if it fails part-way. */
export async function hashStream(source: ByteSource): Promise<ExactHashes> {
  const hasher = new ExactHasher();
  for await (const chunk of readChunks(source)) hasher.update(chunk);
  return hasher.digest();
}

/** `hashStream` of a file; `TRIAGE_MEDIA_MISSING` if there is no such file. */
export function hashFile(path: string): Promise<ExactHashes> {
  return hashStream(createReadStream(path));
}

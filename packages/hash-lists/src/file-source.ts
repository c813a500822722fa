import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { TriageError } from '@triage/errors';

/** A hash-list file opened for streaming, with how far it has been read. */
export interface HashListFile {
  path: string;
  /** Size in bytes when opened. */
  size: number;
  /** Bytes read so far (for progress). */
  bytesRead(): number;
  /** The file's bytes, in blocks; iterate once. Read errors are TRIAGE_HASHLIST_UNREADABLE. */
  chunks: AsyncIterable<Uint8Array>;
}

/** Block size for reading: big enough for throughput, small enough to keep memory flat. */
const blockSize = 256 * 1024;

/** Opens a hash-list file for streaming; a missing or unreadable path is TRIAGE_HASHLIST_UNREADABLE. */
export async function openHashListFile(path: string): Promise<HashListFile> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTFILE' });
    size = info.size;
  } catch (cause) {
    throw unreadable(path, cause);
  }
  let read = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const stream = createReadStream(path, { highWaterMark: blockSize });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        read += chunk.byteLength;
        yield chunk;
      }
    } catch (cause) {
      throw unreadable(path, cause);
    } finally {
      stream.destroy();
    }
  }
  return { path, size, bytesRead: () => read, chunks: chunks() };
}

function unreadable(path: string, cause: unknown): TriageError {
  const code = (cause as { code?: string } | null)?.code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR' || code === 'ENOTFILE'
          ? 'not a regular file'
          : cause instanceof Error
            ? cause.message
            : String(cause);
  return new TriageError('TRIAGE_HASHLIST_UNREADABLE', `Cannot read hash list ${path}: ${why}`, {
    cause,
    details: { path, ...(code === undefined ? {} : { errno: code }) },
  });
}

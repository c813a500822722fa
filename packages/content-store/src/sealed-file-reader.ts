import type { KeyObject } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { TriageError } from '@triage/errors';
import {
  type FileHeader,
  maxHeaderLength,
  openSegments,
  parseHeader,
  plaintextSize,
  SegmentCipher,
  segmentCount,
  segmentSpan,
} from './encrypted-format.ts';

export interface SealedFileReaderOptions {
  /** An open handle to the encrypted file; the reader closes it. */
  handle: FileHandle;
  /** Master key by the header's key id; an unknown id is `TRIAGE_MEDIA_DECRYPT_FAILED`. */
  keyOf: (keyId: string) => KeyObject | undefined;
  /** The file's sha256 (hex), which a version 2 file's final segment binds. */
  boundSha256?: string;
}

/**
 * Random access to the plaintext of an encrypted file: any byte range is read segment by segment,
 * each authenticated before any of its bytes is used (the ZIP reader seeks in a spool; `open`
 * checks a store file's final segment, which binds its sha256, before streaming it).
 * Memory: one sealed segment, and the last one decrypted is kept for the next read nearby.
 */
export class SealedFileReader {
  readonly #handle: FileHandle;
  readonly #cipher: SegmentCipher;
  readonly #storedBytes: number;
  readonly #segments: number;
  /** Plaintext bytes of the file. */
  readonly size: number;
  readonly header: FileHeader;
  #cached: { index: number; plaintext: Buffer } | undefined;

  private constructor(handle: FileHandle, header: FileHeader, cipher: SegmentCipher, storedBytes: number) {
    this.#handle = handle;
    this.header = header;
    this.#cipher = cipher;
    this.#storedBytes = storedBytes;
    this.#segments = segmentCount(header, storedBytes);
    this.size = plaintextSize(header, storedBytes);
  }

  /** Reads the header; closes the handle when it cannot be used. */
  static async open(options: SealedFileReaderOptions): Promise<SealedFileReader> {
    const { handle } = options;
    try {
      const { size } = await handle.stat();
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(maxHeaderLength), 0, maxHeaderLength, 0);
      const header = parseHeader(buffer.subarray(0, bytesRead));
      const key = options.keyOf(header.keyId);
      if (key === undefined) {
        throw new TriageError(
          'TRIAGE_MEDIA_DECRYPT_FAILED',
          `stored file was written with key id "${header.keyId}", which is not configured`,
          { details: { keyId: header.keyId } },
        );
      }
      const cipher = new SegmentCipher(key, header, () => options.boundSha256);
      return new SealedFileReader(handle, header, cipher, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Opens `file` with one key (a spool's throwaway key). */
  static async openFile(file: string, keyId: string, key: KeyObject): Promise<SealedFileReader> {
    return SealedFileReader.open({
      handle: await open(file, 'r'),
      keyOf: (id) => (id === keyId ? key : undefined),
    });
  }

  /** The plaintext of segment `index`, authenticated. */
  async segment(index: number): Promise<Buffer> {
    if (this.#cached?.index === index) return this.#cached.plaintext;
    const span = segmentSpan(this.header, this.#storedBytes, index);
    const sealed = Buffer.alloc(Math.max(0, span.length));
    const { bytesRead } = await this.#handle.read(sealed, 0, sealed.length, span.start);
    const plaintext = this.#cipher.open(sealed.subarray(0, bytesRead), index, span.final);
    this.#cached = { index, plaintext };
    return plaintext;
  }

  /** Checks the final segment: a truncated file, or (version 2) one under another sha256, fails here. */
  async verifyFinal(): Promise<void> {
    await this.segment(this.#segments - 1);
  }

  /** Plaintext bytes `start` to `end` (exclusive), as authenticated segments allow. */
  async *range(start: number, end: number): AsyncGenerator<Buffer> {
    if (start < 0 || end > this.size || start > end) {
      throw new TriageError('TRIAGE_INTERNAL', `range ${start}-${end} is outside a ${this.size}-byte file`);
    }
    const segmentSize = this.header.segmentSize;
    for (let at = start; at < end; ) {
      const index = Math.floor(at / segmentSize);
      const plaintext = await this.segment(index);
      const from = at - index * segmentSize;
      const to = Math.min(plaintext.length, end - index * segmentSize);
      yield plaintext.subarray(from, to);
      at = index * segmentSize + to;
    }
  }

  /** `range` as a byte stream. */
  rangeStream(start: number, end: number): Readable {
    return Readable.from(this.range(start, end), { objectMode: false });
  }

  /** The whole plaintext in order, each segment released once authenticated; closes the handle at the end. */
  stream(): Readable {
    const body = this.#handle.createReadStream({
      start: this.header.bytes.length,
      highWaterMark: this.header.segmentSize + 16,
    });
    return Readable.from(openSegments(this.#cipher, this.header, body), { objectMode: false });
  }

  close(): Promise<void> {
    this.#cached = undefined;
    return this.#handle.close();
  }
}

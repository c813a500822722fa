// The encrypted file format (README "File format"): a header, then AES-256-GCM segments.
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TriageError } from '@triage/errors';

const magic = Buffer.from('TCSE', 'ascii');
/** 1: segments bound to their file; 2: the final segment also binds the plaintext's sha256. */
const unboundVersion = 1;
const boundVersion = 2;
const tagLength = 16;
const saltLength = 32;
const noncePrefixLength = 8;
const maxKeyIdLength = 64;
/** magic, version (u8), segment size (u32 BE), key id length (u8) */
const fixedHeaderLength = magic.length + 1 + 4 + 1;
/** Enough bytes to hold any header this version writes. */
export const maxHeaderLength = fixedHeaderLength + maxKeyIdLength + saltLength + noncePrefixLength;
const defaultSegmentSize = 64 * 1024;
// A reader buffers one segment: bounding the size a header may claim bounds its memory.
const minSegmentSize = 1024;
const maxSegmentSize = 1024 * 1024;
/** The counter is 32 bits: 2^32 segments of 64 KiB is 256 TiB per file. */
const maxSegments = 2 ** 32;
const hkdfInfo = Buffer.from('triage content-store v1 file key', 'ascii');

export const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export interface FileHeader {
  /** 1 (unbound: spools, and store files written before version 2) or 2 (bound to its sha256). */
  readonly version: number;
  readonly keyId: string;
  /** Plaintext bytes per segment; every segment but the last holds exactly this many. */
  readonly segmentSize: number;
  /** HKDF salt: each file gets its own key, so nonces never repeat under one key. */
  readonly salt: Buffer;
  readonly noncePrefix: Buffer;
  /** The header as stored; it is part of every segment's associated data. */
  readonly bytes: Buffer;
}

function decryptFailed(message: string, details?: Record<string, unknown>): TriageError {
  return new TriageError('TRIAGE_MEDIA_DECRYPT_FAILED', message, details === undefined ? {} : { details });
}

function newHeader(keyId: string, segmentSize: number, version: number): FileHeader {
  const id = Buffer.from(keyId, 'ascii');
  const salt = randomBytes(saltLength);
  const noncePrefix = randomBytes(noncePrefixLength);
  const fixed = Buffer.alloc(fixedHeaderLength);
  magic.copy(fixed, 0);
  fixed.writeUInt8(version, 4);
  fixed.writeUInt32BE(segmentSize, 5);
  fixed.writeUInt8(id.length, 9);
  return {
    version,
    keyId,
    segmentSize,
    salt,
    noncePrefix,
    bytes: Buffer.concat([fixed, id, salt, noncePrefix]),
  };
}

/** Parses the header at the start of `bytes`; anything unexpected is `TRIAGE_MEDIA_DECRYPT_FAILED`. */
export function parseHeader(bytes: Uint8Array): FileHeader {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < fixedHeaderLength || !buffer.subarray(0, magic.length).equals(magic)) {
    throw decryptFailed('stored file is not in the encrypted content-store format');
  }
  const version = buffer.readUInt8(4);
  if (version !== unboundVersion && version !== boundVersion) {
    throw decryptFailed(
      `stored file has encryption format version ${version}; this reader knows ${unboundVersion} and ${boundVersion}`,
    );
  }
  const segmentSize = buffer.readUInt32BE(5);
  if (segmentSize < minSegmentSize || segmentSize > maxSegmentSize) {
    throw decryptFailed(`stored file claims a segment size of ${segmentSize} bytes`);
  }
  const idLength = buffer.readUInt8(9);
  const length = fixedHeaderLength + idLength + saltLength + noncePrefixLength;
  if (buffer.length < length) throw decryptFailed('stored file ends inside its header');
  const keyId = buffer.toString('ascii', fixedHeaderLength, fixedHeaderLength + idLength);
  if (!keyIdPattern.test(keyId)) throw decryptFailed('stored file header has a malformed key id');
  const saltStart = fixedHeaderLength + idLength;
  const copy = Buffer.from(buffer.subarray(0, length));
  return {
    version,
    keyId,
    segmentSize,
    salt: copy.subarray(saltStart, saltStart + saltLength),
    noncePrefix: copy.subarray(saltStart + saltLength, length),
    bytes: copy,
  };
}

/**
 * Plaintext bytes of an encrypted file of `storedBytes` bytes on disk: every segment adds its
 * 16-byte tag, and there is at least one (possibly empty) final segment.
 */
export function plaintextSize(header: FileHeader, storedBytes: number): number {
  const body = storedBytes - header.bytes.length;
  const size = body - segmentCount(header, storedBytes) * tagLength;
  if (size < 0) throw decryptFailed('stored file ends inside a segment');
  return size;
}

const sha256Hex = /^[0-9a-f]{64}$/;

/** The final segment's associated data: the header, the final flag and, in version 2, the sha256. */
function finalAad(header: FileHeader, boundSha256: string | undefined): Buffer {
  if (header.version === unboundVersion) return Buffer.concat([header.bytes, Buffer.of(1)]);
  if (boundSha256 === undefined || !sha256Hex.test(boundSha256)) {
    throw new TriageError('TRIAGE_INTERNAL', 'a version 2 file is read or written with its sha256');
  }
  return Buffer.concat([header.bytes, Buffer.of(1), Buffer.from(boundSha256, 'hex')]);
}

/** Per-segment crypto of one file: its own key (HKDF of the master key and the file's salt). */
export class SegmentCipher {
  readonly #key: KeyObject;
  readonly #header: FileHeader;
  readonly #aad: Buffer;
  /** Computed when first needed: a writer learns the sha256 only once the plaintext has passed. */
  #finalAad: Buffer | undefined;
  readonly #boundSha256: () => string | undefined;

  /**
   * `boundSha256` gives the plaintext's sha256 (lower-case hex) of a version 2 file: asked for
   * when the final segment is sealed or opened, so a writer can hash as it encrypts.
   */
  constructor(
    masterKey: KeyObject,
    header: FileHeader,
    boundSha256: () => string | undefined = () => undefined,
  ) {
    this.#key = createSecretKey(Buffer.from(hkdfSync('sha256', masterKey, header.salt, hkdfInfo, 32)));
    this.#header = header;
    // The final-segment flag in the associated data: a file cut at a segment boundary fails.
    this.#aad = Buffer.concat([header.bytes, Buffer.of(0)]);
    this.#boundSha256 = boundSha256;
  }

  #aadOf(final: boolean): Buffer {
    if (!final) return this.#aad;
    this.#finalAad ??= finalAad(this.#header, this.#boundSha256());
    return this.#finalAad;
  }

  #nonce(counter: number): Buffer {
    if (counter >= maxSegments) throw decryptFailed('file has more segments than the format allows');
    const nonce = Buffer.alloc(noncePrefixLength + 4);
    this.#header.noncePrefix.copy(nonce, 0);
    nonce.writeUInt32BE(counter, noncePrefixLength);
    return nonce;
  }

  seal(plaintext: Buffer, counter: number, final: boolean): Buffer[] {
    const cipher = createCipheriv('aes-256-gcm', this.#key, this.#nonce(counter), {
      authTagLength: tagLength,
    });
    cipher.setAAD(this.#aadOf(final));
    const ciphertext = cipher.update(plaintext);
    const rest = cipher.final();
    return [ciphertext, rest, cipher.getAuthTag()];
  }

  open(sealed: Buffer, counter: number, final: boolean): Buffer {
    if (sealed.length < tagLength) throw decryptFailed('stored file ends inside a segment');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, this.#nonce(counter), {
      authTagLength: tagLength,
    });
    decipher.setAAD(this.#aadOf(final));
    decipher.setAuthTag(sealed.subarray(sealed.length - tagLength));
    const plaintext = decipher.update(sealed.subarray(0, sealed.length - tagLength));
    try {
      // Only here is the segment authenticated; nothing of it is released before.
      const rest = decipher.final();
      return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
    } catch (error) {
      throw new TriageError(
        'TRIAGE_MEDIA_DECRYPT_FAILED',
        'stored file failed its authentication check (altered, truncated, reordered, moved from another sha256, or another key)',
        { cause: error, details: { keyId: this.#header.keyId, segment: counter, final } },
      );
    }
  }
}

/** Collects chunks and hands out fixed-size blocks, keeping back the last one until the end. */
class Blocks {
  #chunks: Buffer[] = [];
  #length = 0;
  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
  }

  /** Blocks known not to be the last (more bytes follow them). */
  *push(chunk: Buffer): Generator<Buffer> {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    if (this.#length <= this.#size) return;
    const all = Buffer.concat(this.#chunks, this.#length);
    let offset = 0;
    while (all.length - offset > this.#size) {
      yield all.subarray(offset, offset + this.#size);
      offset += this.#size;
    }
    this.#chunks = [all.subarray(offset)];
    this.#length = all.length - offset;
  }

  /** What is left: the last block, 0 to `size` bytes. */
  rest(): Buffer {
    return Buffer.concat(this.#chunks, this.#length);
  }
}

export interface EncryptorOptions {
  /** Plaintext bytes per segment (default 64 KiB). */
  segmentSize?: number;
  /**
   * Writes version 2, whose final segment binds the plaintext's sha256 (hex): called once the
   * plaintext has all passed (the hashing stage before the encryptor has flushed). Absent: version
   * 1, for files that have no content address (ZIP spools under a throwaway key).
   */
  boundSha256?: () => string;
}

/** A transform from plaintext to the encrypted format: header, then sealed segments. */
export function createEncryptor(
  masterKey: KeyObject,
  keyId: string,
  options: EncryptorOptions = {},
): Transform {
  const segmentSize = options.segmentSize ?? defaultSegmentSize;
  const bound = options.boundSha256;
  const header = newHeader(keyId, segmentSize, bound === undefined ? unboundVersion : boundVersion);
  const cipher = new SegmentCipher(masterKey, header, bound);
  const blocks = new Blocks(segmentSize);
  let counter = 0;
  let headerSent = false;
  const emit = (stream: Transform, plaintext: Buffer, final: boolean) => {
    if (!headerSent) {
      stream.push(header.bytes);
      headerSent = true;
    }
    for (const part of cipher.seal(plaintext, counter, final)) if (part.length > 0) stream.push(part);
    counter += 1;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        for (const block of blocks.push(chunk)) emit(this, block, false);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        emit(this, blocks.rest(), true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/**
 * Decrypts the segments that follow `header` in `body`, yielding each segment's plaintext only
 * after its tag is verified. Memory: one sealed segment plus one read chunk.
 */
export async function* decryptSegments(
  header: FileHeader,
  masterKey: KeyObject,
  body: AsyncIterable<Uint8Array>,
  boundSha256?: string,
): AsyncGenerator<Buffer> {
  yield* openSegments(new SegmentCipher(masterKey, header, () => boundSha256), header, body);
}

/** `decryptSegments` with a file's cipher already made. */
export async function* openSegments(
  cipher: SegmentCipher,
  header: FileHeader,
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<Buffer> {
  const blocks = new Blocks(header.segmentSize + tagLength);
  let counter = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (const sealed of blocks.push(buffer)) {
      yield cipher.open(sealed, counter, false);
      counter += 1;
    }
  }
  const last = cipher.open(blocks.rest(), counter, true);
  if (last.length > 0) yield last;
}

/** Where segment `index` lies in a file with this header: its offset and sealed length. */
export function segmentSpan(
  header: FileHeader,
  storedBytes: number,
  index: number,
): { start: number; length: number; final: boolean } {
  const sealed = header.segmentSize + tagLength;
  const start = header.bytes.length + index * sealed;
  return {
    start,
    length: Math.min(sealed, storedBytes - start),
    final: index === segmentCount(header, storedBytes) - 1,
  };
}

/** Bytes on disk for `size` plaintext bytes (header length aside): for tests and capacity planning. */
export function sealedLength(size: number, segmentSize: number = defaultSegmentSize): number {
  const segments = Math.max(1, Math.ceil(size / segmentSize));
  return size + segments * tagLength;
}

/** Segments of a file of `storedBytes` bytes on disk. */
export function segmentCount(header: FileHeader, storedBytes: number): number {
  return Math.max(1, Math.ceil((storedBytes - header.bytes.length) / (header.segmentSize + tagLength)));
}

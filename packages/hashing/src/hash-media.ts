import { createReadStream } from 'node:fs';
import { type ErrorCode, TriageError } from '@triage/errors';
import { type ByteSource, ExactHasher, readChunks } from './exact/exact-hashes.ts';
import { SNIFF_BYTES, type SniffedMedia, sniffMediaType } from './media-type/sniff.ts';
import { type HashMediaOptions, pdqModeName, resolveHashMediaOptions } from './options.ts';
import { decodeForPdq } from './pdq/decode.ts';
import { pdqFromPixels } from './pdq/pdq.ts';

/** What hashMedia reads: a file path, bytes in memory, or a stream of bytes. */
export type MediaInput = string | Uint8Array | ByteSource;

export type PerceptualStatus = 'hashed' | 'not_image' | 'error';

/**
 * The hasher stage's result. The fields from `md5` to `errorCode` have the names and meaning of the
 * Avro `Hashes` record (`HashedItem.hashes`), so a stage copies them across as they are.
 */
export interface MediaHashes {
  /** Bytes read. */
  readonly size: number;
  /** Sniffed from the bytes, e.g. `image/jpeg`, `video/mp4`, `application/octet-stream`. */
  readonly mediaType: string;
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
  /** 64 lower-case hex digits; null unless `perceptualStatus` is `hashed`. */
  readonly pdq: string | null;
  /** 0..100; below 50 is too weak to match on. */
  readonly pdqQuality: number | null;
  /** The 8 dihedral variants in reference order (original, rotate 90, 180, 270, flip x, flip y, flip +1, flip -1); [] unless hashed. */
  readonly pdqDihedral: readonly string[];
  /** e.g. `reference-no-exif-rotate`; null unless hashed. */
  readonly pdqMode: string | null;
  readonly perceptualStatus: PerceptualStatus;
  /** Item-level error code when `perceptualStatus` is `error`. */
  readonly errorCode: ErrorCode | null;
  /** Its message (never media content), for logs and the CLI. */
  readonly errorMessage: string | null;
}

async function* singleChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function toSource(input: MediaInput): ByteSource {
  if (typeof input === 'string') return createReadStream(input);
  if (input instanceof Uint8Array) return singleChunk(input);
  return input;
}

/**
 * Exact hashes of every input, in one pass over its bytes, and PDQ for images. Image problems are
 * item-level results (`perceptualStatus: 'error'` with `errorCode`), never exceptions; only a read
 * failure throws (`TRIAGE_MEDIA_MISSING`, `TRIAGE_MEDIA_UNREADABLE`), and invalid options throw
 * `TRIAGE_CONFIG_INVALID`.
 *
 * Only images are held in memory (up to `maxImageBytes`); other media stream through the digests.
 */
export async function hashMedia(input: MediaInput, options: HashMediaOptions = {}): Promise<MediaHashes> {
  const resolved = resolveHashMediaOptions(options);
  const hasher = new ExactHasher();
  const head = new Uint8Array(SNIFF_BYTES);
  let headLength = 0;
  let sniffed: SniffedMedia | null = null;
  // Bytes are kept until the sniffer says they are not a decodable image, or they pass the limit.
  const chunks: Uint8Array[] = [];
  let buffered = 0;
  let keep = true;
  let tooLarge = false;

  for await (const chunk of readChunks(toSource(input))) {
    hasher.update(chunk);
    if (headLength < SNIFF_BYTES) {
      const take = Math.min(SNIFF_BYTES - headLength, chunk.byteLength);
      head.set(chunk.subarray(0, take), headLength);
      headLength += take;
      if (headLength === SNIFF_BYTES) {
        sniffed = sniffMediaType(head);
        if (sniffed.image !== 'decodable') keep = false;
      }
    }
    if (!keep) {
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
    buffered += chunk.byteLength;
    if (buffered > resolved.maxImageBytes) {
      keep = false;
      tooLarge = true;
      chunks.length = 0;
    }
  }
  sniffed ??= sniffMediaType(head.subarray(0, headLength));
  const exact = hasher.digest();
  const bytes = keep ? concat(chunks, buffered) : null;

  const base = { ...exact, mediaType: sniffed.mediaType };
  const none = { pdq: null, pdqQuality: null, pdqDihedral: [], pdqMode: null } as const;
  if (sniffed.image === null) {
    return { ...base, ...none, perceptualStatus: 'not_image', errorCode: null, errorMessage: null };
  }
  const failed = (error: TriageError): MediaHashes => ({
    ...base,
    ...none,
    perceptualStatus: 'error',
    errorCode: error.code,
    errorMessage: error.message,
  });
  if (sniffed.image === 'unsupported') {
    return failed(new TriageError('TRIAGE_MEDIA_UNSUPPORTED', `${sniffed.mediaType} is not decoded for PDQ`));
  }
  if (tooLarge || bytes === null) {
    return failed(
      new TriageError('TRIAGE_MEDIA_TOO_LARGE', `image has more than ${resolved.maxImageBytes} bytes`),
    );
  }
  try {
    const decoded = await decodeForPdq(bytes, resolved);
    const pdq = pdqFromPixels(decoded.pixels);
    return {
      ...base,
      pdq: pdq.hash,
      pdqQuality: pdq.quality,
      pdqDihedral: pdq.dihedral,
      pdqMode: pdqModeName(decoded.shrunk ? 'fast' : 'reference', resolved.exifOrientation),
      perceptualStatus: 'hashed',
      errorCode: null,
      errorMessage: null,
    };
  } catch (error) {
    if (error instanceof TriageError) return failed(error);
    throw error;
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

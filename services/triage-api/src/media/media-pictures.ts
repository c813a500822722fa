/**
 * Pictures of stored media, bounded at every step: the stored size is read from the store before
 * any byte is loaded, decodes run under a fixed number of slots (beyond them: 503 at once), sharp
 * refuses images over the pixel limit from their header and stops after a deadline. Anything that
 * is not a decodable image, or that fails on the way, is answered with a placeholder.
 */
import type { Readable } from 'node:stream';
import { TriageError } from '@triage/errors';
import { SNIFF_BYTES, sniffMediaType } from '@triage/hashing';
import { createDecodeSlots } from './decode-slots.ts';
import { type PlaceholderKind, placeholderContentType, placeholderFor, planFor } from './placeholder.ts';
import { imageContentType, renderPreview, renderReveal } from './render-image.ts';

/** What the media routes need of the content store (a `ContentStore` is one). */
export interface MediaStore {
  size(sha256: string): Promise<number>;
  open(sha256: string): Promise<Readable>;
}

export interface MediaLimits {
  /** Stored files larger than this are not loaded: placeholder. */
  maxBytes: number;
  /** Images with more pixels are not decoded: placeholder. */
  maxPixels: number;
  /** Media decoded at once; beyond it, TRIAGE_MEDIA_BUSY. */
  concurrency: number;
  timeoutSeconds: number;
  /** Longest side of a revealed image. */
  revealMaxSide: number;
}

export interface MediaDeps {
  store: MediaStore;
  limits: MediaLimits;
}

/** Why a placeholder was sent instead of a picture (for the request log, never the client). */
type PlaceholderReason = 'not_image' | 'too_large' | 'undecodable';

export interface Picture {
  contentType: string;
  body: Buffer;
  /** Null for a picture made from the image. */
  placeholder: { kind: PlaceholderKind; reason: PlaceholderReason } | null;
}

export type PictureMode = 'preview' | 'reveal';

/** A file the store holds, and its plaintext size. */
export interface StoredMedia {
  sha256: string;
  size: number;
}

/** Seconds a client waits before asking again when every decode slot is taken. */
const busyRetryAfterSeconds = 1;

function placeholder(kind: PlaceholderKind, reason: PlaceholderReason): Picture {
  return { contentType: placeholderContentType, body: placeholderFor(kind), placeholder: { kind, reason } };
}

/** At most `limit` bytes of `stream`, or null when it holds more; the stream is closed either way. */
async function readAtMost(stream: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > limit) return null;
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, length);
}

/** The first bytes of `stream`, enough to sniff the media type; the stream is closed after. */
async function readHead(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= SNIFF_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, length).subarray(0, SNIFF_BYTES);
}

/** The media pictures of one API instance (its decode slots are shared by previews and reveals). */
export function createMediaPictures(deps: MediaDeps) {
  const { store, limits } = deps;
  const slots = createDecodeSlots(limits.concurrency);

  /** The stored size; TRIAGE_MEDIA_NOT_FOUND when the store has no such file. */
  async function storedSize(sha256: string): Promise<number> {
    try {
      return await store.size(sha256);
    } catch (error) {
      if (error instanceof TriageError && error.code === 'TRIAGE_MEDIA_MISSING') {
        throw new TriageError('TRIAGE_MEDIA_NOT_FOUND', 'No stored media with this sha256', {
          pointer: '/params/sha256',
          cause: error,
        });
      }
      throw error;
    }
  }

  async function render(sha256: string, size: number, mode: PictureMode): Promise<Picture> {
    if (size > limits.maxBytes) {
      const plan = planFor(sniffMediaType(await readHead(await store.open(sha256))));
      return placeholder(plan.render === 'image' ? 'image' : plan.kind, 'too_large');
    }
    const bytes = await readAtMost(await store.open(sha256), limits.maxBytes);
    if (bytes === null) return placeholder('file', 'too_large');
    const plan = planFor(sniffMediaType(bytes.subarray(0, SNIFF_BYTES)));
    if (plan.render === 'placeholder') return placeholder(plan.kind, 'not_image');
    const decodeLimits = { maxPixels: limits.maxPixels, timeoutSeconds: limits.timeoutSeconds };
    try {
      const body =
        mode === 'preview'
          ? await renderPreview(bytes, decodeLimits)
          : await renderReveal(bytes, { ...decodeLimits, maxSide: limits.revealMaxSide });
      return { contentType: imageContentType, body, placeholder: null };
    } catch {
      // Over the pixel limit, truncated, malformed, too slow: never the bytes, the placeholder.
      return placeholder('image', 'undecodable');
    }
  }

  return {
    /** The stored file's size; TRIAGE_MEDIA_NOT_FOUND when the store has no such file. */
    locate: async (sha256: string): Promise<StoredMedia> => ({ sha256, size: await storedSize(sha256) }),
    /** A picture of a located file; TRIAGE_MEDIA_BUSY when every decode slot is taken. */
    async picture(media: StoredMedia, mode: PictureMode): Promise<Picture> {
      const release = slots.tryAcquire();
      if (release === null) {
        throw new TriageError('TRIAGE_MEDIA_BUSY', 'Every media decode slot is taken; ask again shortly', {
          details: { retryAfterSeconds: busyRetryAfterSeconds },
        });
      }
      try {
        return await render(media.sha256, media.size, mode);
      } finally {
        release();
      }
    },
  };
}

import { TriageError } from '@triage/errors';
import { ExactHasher, sniffMediaType } from '@triage/hashing';
import type { MediaSink, StoredMedia } from '../parsed-bundle.ts';

/** Bytes the media-type sniffer looks at (the sniffer's own window). */
const SNIFF_BYTES = 512;

/**
 * A sink that keeps nothing: MD5, SHA-1 and SHA-256 in one pass and the media type sniffed from
 * the first bytes. `triage bundle validate` uses it; intake's sink also stores the bytes.
 */
export function createHashingMediaSink(): MediaSink {
  return {
    async accept(entryName: string, bytes: NodeJS.ReadableStream): Promise<StoredMedia> {
      const hasher = new ExactHasher();
      const head: Buffer[] = [];
      let headSize = 0;
      try {
        for await (const chunk of bytes) {
          const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          hasher.update(buffer);
          if (headSize < SNIFF_BYTES) {
            head.push(buffer.subarray(0, SNIFF_BYTES - headSize));
            headSize += Math.min(buffer.length, SNIFF_BYTES - headSize);
          }
        }
      } catch (error) {
        if (error instanceof TriageError) throw error;
        throw new TriageError('TRIAGE_MEDIA_UNREADABLE', `${entryName} could not be read`, {
          cause: error,
          pointer: entryName,
        });
      }
      const { size, md5, sha1, sha256 } = hasher.digest();
      return { sha256, md5, sha1, size, mediaType: sniffMediaType(Buffer.concat(head)).mediaType };
    },
  };
}

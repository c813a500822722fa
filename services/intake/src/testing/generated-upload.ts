// Large uploads made while they are sent: seeded pseudo-random media streamed as a multipart
// body, so neither side ever holds a whole file (memory tests and the benchmark).
import { createCipheriv, createHash } from 'node:crypto';

const chunkBytes = 1024 * 1024;
const zeros = Buffer.alloc(chunkBytes);

/** A media entry of `size` seeded pseudo-random bytes. */
export interface GeneratedFile {
  /** Entry name (the multipart filename). */
  name: string;
  size: number;
  seed: number;
}

/**
 * The bytes of a generated file, chunk by chunk: an AES-256-CTR keystream keyed by the seed
 * (fast, incompressible, the same seed gives the same bytes).
 */
export async function* seededBytes(seed: number, size: number): AsyncGenerator<Buffer> {
  const key = createHash('sha256').update(`triage generated media ${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  for (let left = size; left > 0; left -= chunkBytes) {
    yield cipher.update(left >= chunkBytes ? zeros : zeros.subarray(0, left));
  }
}

export interface MultipartUploadInput {
  /** The JSON manifest, sent first as the `manifest` part. */
  manifest: object;
  files: readonly GeneratedFile[];
  /** Small media sent whole after the generated files (e.g. synthetic images). */
  extraFiles?: readonly { name: string; data: Buffer }[];
  /** Hash every file's bytes as they are sent (costs client CPU). */
  hash?: boolean;
}

export interface MultipartUpload {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** Bytes the body has in all (headers and boundaries included). */
  totalBytes: number;
  /** Media bytes (what the receipt counts). */
  mediaBytes: number;
  /** sha256 by entry name, once the body has been read to its end (empty without `hash`). */
  sha256: Promise<Map<string, string>>;
}

/** A multipart/form-data bundle whose media are generated as the body is read. */
export function generatedMultipartUpload(input: MultipartUploadInput): MultipartUpload {
  const boundary = `----triage-generated-${Date.now().toString(36)}`;
  const manifest = Buffer.from(JSON.stringify(input.manifest));
  const partHead = (name: string, filename: string | undefined, contentType: string) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n` +
        `Content-Type: ${contentType}\r\n\r\n`,
    );
  const crlf = Buffer.from('\r\n');
  const closing = Buffer.from(`--${boundary}--\r\n`);
  const manifestHead = partHead('manifest', undefined, 'application/json');
  const extras = input.extraFiles ?? [];
  const heads = [
    ...input.files.map((file) => partHead('file', file.name, 'application/octet-stream')),
    ...extras.map((file) => partHead('file', file.name, 'application/octet-stream')),
  ];
  const mediaBytes =
    input.files.reduce((sum, file) => sum + file.size, 0) +
    extras.reduce((sum, file) => sum + file.data.length, 0);
  const totalBytes =
    manifestHead.length +
    manifest.length +
    crlf.length +
    heads.reduce((sum, head) => sum + head.length + crlf.length, 0) +
    mediaBytes +
    closing.length;
  const digests = new Map<string, string>();
  let resolveDigests: (value: Map<string, string>) => void = () => undefined;
  const sha256 = new Promise<Map<string, string>>((resolve) => {
    resolveDigests = resolve;
  });
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield manifestHead;
    yield manifest;
    yield crlf;
    for (const [index, file] of input.files.entries()) {
      yield heads[index]!;
      const hash = input.hash ? createHash('sha256') : undefined;
      for await (const chunk of seededBytes(file.seed, file.size)) {
        hash?.update(chunk);
        yield chunk;
      }
      if (hash) digests.set(file.name, hash.digest('hex'));
      yield crlf;
    }
    for (const [index, file] of extras.entries()) {
      yield heads[input.files.length + index]!;
      if (input.hash) digests.set(file.name, createHash('sha256').update(file.data).digest('hex'));
      yield file.data;
      yield crlf;
    }
    yield closing;
    resolveDigests(digests);
  }
  return {
    body: ReadableStream.from(parts()),
    contentType: `multipart/form-data; boundary=${boundary}`,
    totalBytes,
    mediaBytes,
    sha256,
  };
}

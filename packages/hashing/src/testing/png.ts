import { crc32, deflateSync } from 'node:zlib';

/**
 * A minimal PNG writer for tests, so a test controls every stored sample (8- or 16-bit, grey or RGB)
 * and can write headers no encoder would (dimensions of a decompression bomb).
 */
export interface PngSpec {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: 8 | 16;
  /** 0 grey, 2 RGB, 4 grey + alpha, 6 RGBA. */
  readonly colorType: 0 | 2 | 4 | 6;
  /**
   * Samples in row-major, channel-interleaved order. Omitted: only the first row (zeros) is stored,
   * so the header is valid but the pixel data stops early (how a decompression-bomb test starts).
   */
  readonly samples?: ArrayLike<number>;
}

const CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 } as const;

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodePng(spec: PngSpec): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(spec.width, 0);
  header.writeUInt32BE(spec.height, 4);
  header[8] = spec.bitDepth;
  header[9] = spec.colorType;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header)];
  if (spec.samples) {
    const bytesPerSample = spec.bitDepth / 8;
    const rowSamples = spec.width * CHANNELS[spec.colorType];
    const raw = Buffer.alloc(spec.height * (1 + rowSamples * bytesPerSample));
    let offset = 0;
    for (let y = 0; y < spec.height; y++) {
      raw[offset++] = 0; // filter: none
      for (let i = 0; i < rowSamples; i++) {
        const sample = spec.samples[y * rowSamples + i]!;
        if (bytesPerSample === 2) {
          raw.writeUInt16BE(sample, offset);
          offset += 2;
        } else raw[offset++] = sample;
      }
    }
    parts.push(chunk('IDAT', deflateSync(raw)));
  } else {
    const firstRow = Buffer.alloc(1 + spec.width * CHANNELS[spec.colorType] * (spec.bitDepth / 8));
    parts.push(chunk('IDAT', deflateSync(firstRow)));
  }
  parts.push(chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

import { TriageError } from '@triage/errors';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import type { ExifOrientation, PdqDecoder } from '../options.ts';
import type { PixelImage } from './pdq.ts';

/**
 * The decoder policy of PDQ: what pixels the hash is computed from. It is part of the hash (see
 * README, "Decoder policy"); every choice here was measured against Meta's Java reference.
 *
 * - Full resolution, no resize, no shrink-on-load (mode `reference`).
 * - EXIF orientation ignored unless asked for (`exifOrientation: 'apply'`).
 * - Embedded ICC profiles applied except for PNG, as Java's ImageIO does (its JPEG and TIFF readers
 *   convert through the profile, its PNG reader ignores it); each way round moves ~2 bits.
 * - Grey images: the stored grey values are the luma, as is (profile ignored). Palette images:
 *   expanded to RGB. CMYK: converted to sRGB by libvips (embedded profile, else its built-in CMYK
 *   profile). 16-bit: rounded to 8 bits (v / 257) as Java does, unless libvips applies a profile
 *   (then it truncates). Alpha: dropped, not flattened.
 * - Multi-page images (GIF, TIFF, animated WebP): the first page.
 */

/** Formats sharp reports that we decode (`heif` only for AV1, i.e. AVIF). */
const DECODABLE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

/** `fast` decoding shrinks images whose shorter side is above this to this. */
export const FAST_MIN_SIDE = 720;

export interface DecodeOptions {
  readonly decoder: PdqDecoder;
  readonly exifOrientation: ExifOrientation;
  readonly maxPixels: number;
}

export interface DecodedImage {
  readonly pixels: PixelImage;
  /** Container format as sharp names it (`jpeg`, `png`...). */
  readonly format: string;
  /** Size of the stored image (after orientation when applied), before any `fast` shrink. */
  readonly width: number;
  readonly height: number;
  /** True when `fast` decoding shrank the image; false means the pixels are the reference ones. */
  readonly shrunk: boolean;
}

/**
 * 16-bit samples to 8 bits by rounding (v / 257), as Java's ImageIO does; done here because
 * libvips truncates 16-bit colour (v >> 8) and rounds 16-bit grey through its colour pipeline.
 */
async function decodeDeep(pipeline: Sharp, grey: boolean): Promise<{ data: Uint8Array; info: OutputInfo }> {
  const { data, info } = await pipeline
    .removeAlpha()
    .toColourspace(grey ? 'grey16' : 'rgb16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  const samples = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
  const bytes = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) bytes[i] = Math.floor((samples[i]! + 128) / 257);
  return { data: bytes, info };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/** Turns a libvips/sharp failure into the item-level code it stands for. */
function decodeError(error: unknown, format: string | undefined): TriageError {
  if (error instanceof TriageError) return error;
  // libvips repeats its warnings; keep each line once.
  const raw = error instanceof Error ? error.message : String(error);
  const message = [...new Set(raw.split('\n').map((line) => line.trim()))].filter(Boolean).join('; ');
  const details = format === undefined ? {} : { format };
  if (/pixel limit/i.test(message)) {
    return new TriageError('TRIAGE_MEDIA_TOO_LARGE', message, { cause: error, details });
  }
  if (/unsupported image format/i.test(message)) {
    return new TriageError('TRIAGE_MEDIA_UNSUPPORTED', message, { cause: error, details });
  }
  return new TriageError('TRIAGE_MEDIA_UNDECODABLE', message, { cause: error, details });
}

/**
 * Decodes image bytes into the pixels PDQ hashes, under the policy above. Throws an item-level
 * `TriageError`: `TRIAGE_MEDIA_UNDECODABLE` (truncated, malformed), `TRIAGE_MEDIA_UNSUPPORTED`
 * (a format outside the allow-list) or `TRIAGE_MEDIA_TOO_LARGE` (more than `maxPixels`).
 */
export async function decodeForPdq(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
  const autoOrient = options.exifOrientation === 'apply';
  const base = {
    // The pixel limit is checked below from the header, before any pixel is decoded (decompression
    // bombs), with the dimensions in the message; libvips would apply the same header check.
    limitInputPixels: false,
    // Fail on truncated or corrupt data, tolerate benign warnings (extraneous bytes...).
    failOn: 'error',
    autoOrient,
  } as const;
  let format: string | undefined;
  try {
    // One sharp instance for the header and the pixels (a second one only for a grey image with a
    // profile in a format whose profiles are otherwise applied).
    const png = isPng(bytes);
    let image = sharp(bytes, { ...base, ignoreIcc: png });
    const metadata = await image.metadata();
    format = metadata.format;
    if (!DECODABLE_FORMATS.has(format) || (format === 'heif' && metadata.compression !== 'av1')) {
      throw new TriageError('TRIAGE_MEDIA_UNSUPPORTED', `image format ${format} is not decoded for PDQ`, {
        details: { format },
      });
    }
    const width = autoOrient ? metadata.autoOrient.width : metadata.width;
    const height = autoOrient ? metadata.autoOrient.height : metadata.height;
    if (width * height > options.maxPixels) {
      throw new TriageError('TRIAGE_MEDIA_TOO_LARGE', `image has ${width}x${height} pixels`, {
        details: { format, width, height, maxPixels: options.maxPixels },
      });
    }
    const grey = metadata.space === 'b-w' || metadata.space === 'grey16';
    if (grey && !png && metadata.hasProfile) image = sharp(bytes, { ...base, ignoreIcc: true });
    let pipeline = image;
    const shorter = Math.min(width, height);
    const shrunk = options.decoder === 'fast' && shorter > FAST_MIN_SIDE;
    if (shrunk) {
      const scale = FAST_MIN_SIDE / shorter;
      pipeline = pipeline.resize({
        width: Math.max(1, Math.round(width * scale)),
        height: Math.max(1, Math.round(height * scale)),
        fit: 'fill',
        kernel: 'linear',
      });
    }
    // 16-bit without a profile to apply (a profile is applied by libvips, which then truncates).
    const deep = metadata.depth === 'ushort' && (grey || png || !metadata.hasProfile);
    const { data, info } = deep
      ? await decodeDeep(pipeline, grey)
      : await pipeline
          .removeAlpha()
          .toColourspace(grey ? 'b-w' : 'srgb')
          .raw({ depth: 'uchar' })
          .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1 && info.channels !== 3) {
      throw new TriageError('TRIAGE_MEDIA_UNSUPPORTED', `decoded to ${info.channels} channels`, {
        details: { format, channels: info.channels },
      });
    }
    return {
      pixels: { data, width: info.width, height: info.height, channels: info.channels },
      format,
      width,
      height,
      shrunk,
    };
  } catch (error) {
    throw decodeError(error, format);
  }
}

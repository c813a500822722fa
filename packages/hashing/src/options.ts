import { TriageError } from '@triage/errors';

/**
 * How images are decoded before PDQ. `reference` decodes at full resolution and is bit-exact with
 * Meta's reference; `fast` lets libvips shrink large images (shorter side above `FAST_MIN_SIDE`)
 * before the Jarosz filter, measured to stay within 10 bits of `reference` at quality >= 80.
 */
export const PDQ_DECODERS = ['reference', 'fast'] as const;
export type PdqDecoder = (typeof PDQ_DECODERS)[number];

/** EXIF orientation: `ignore` (stored pixel order, as the shared lists were hashed) or `apply`. */
export const EXIF_ORIENTATIONS = ['ignore', 'apply'] as const;
export type ExifOrientation = (typeof EXIF_ORIENTATIONS)[number];

export interface HashMediaOptions {
  /** Default `reference`. */
  readonly decoder?: PdqDecoder;
  /** Default `ignore`. */
  readonly exifOrientation?: ExifOrientation;
  /** Images with more pixels (width x height) get `TRIAGE_MEDIA_TOO_LARGE`. Default 120 000 000. */
  readonly maxPixels?: number;
  /** Images with more bytes are not buffered for decoding: `TRIAGE_MEDIA_TOO_LARGE`. Default 256 MiB. */
  readonly maxImageBytes?: number;
}

export type ResolvedHashMediaOptions = Readonly<Required<HashMediaOptions>>;

export const DEFAULT_HASH_MEDIA_OPTIONS: ResolvedHashMediaOptions = Object.freeze({
  decoder: 'reference',
  exifOrientation: 'ignore',
  maxPixels: 120_000_000,
  maxImageBytes: 256 * 1024 * 1024,
});

function invalid(name: string, message: string): TriageError {
  return new TriageError('TRIAGE_CONFIG_INVALID', `hashing option ${name} ${message}`, {
    details: { option: name },
  });
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(name, 'must be a positive integer');
  return value;
}

/** Fills defaults and checks every option; throws `TRIAGE_CONFIG_INVALID` naming the option. */
export function resolveHashMediaOptions(options: HashMediaOptions = {}): ResolvedHashMediaOptions {
  const merged = { ...DEFAULT_HASH_MEDIA_OPTIONS, ...definedOnly(options) };
  if (!PDQ_DECODERS.includes(merged.decoder))
    throw invalid('decoder', `must be one of ${PDQ_DECODERS.join(', ')}`);
  if (!EXIF_ORIENTATIONS.includes(merged.exifOrientation)) {
    throw invalid('exifOrientation', `must be one of ${EXIF_ORIENTATIONS.join(', ')}`);
  }
  return Object.freeze({
    decoder: merged.decoder,
    exifOrientation: merged.exifOrientation,
    maxPixels: positiveInteger('maxPixels', merged.maxPixels),
    maxImageBytes: positiveInteger('maxImageBytes', merged.maxImageBytes),
  });
}

function definedOnly(options: HashMediaOptions): HashMediaOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/**
 * The `pdqMode` recorded with every hash: decoder and orientation policy, e.g.
 * `reference-no-exif-rotate`. Hashes only match meaningfully against lists hashed the same way. The
 * rest of the decoder policy (ICC, grey, CMYK, 16-bit, alpha; see README) is fixed for every mode.
 */
export function pdqModeName(decoder: PdqDecoder, exifOrientation: ExifOrientation): string {
  return `${decoder}-${exifOrientation === 'apply' ? 'exif-rotate' : 'no-exif-rotate'}`;
}

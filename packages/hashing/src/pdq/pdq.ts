import { DIHEDRAL_NAMES, dct64To16, dihedralDct, pdqQuality } from './dct.ts';
import { bitsToHex, ZERO_HASH } from './hash256.ts';
import { downsampleTo64 } from './jarosz.ts';

/** Decoded pixels: `width * height * channels` bytes, row-major, channel-interleaved. */
export interface PixelImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** 1 = grey (used as luma as is), 3 = RGB (Rec. 601 luma). */
  readonly channels: 1 | 3;
}

export interface PdqHash {
  /** 64 lower-case hex digits (256 bits). */
  readonly hash: string;
  /** 0..100; below 50 is too weak to match on. */
  readonly quality: number;
  /** The 8 dihedral variants in reference order (`DIHEDRAL_NAMES`); [0] equals `hash`. */
  readonly dihedral: readonly string[];
}

/** Images with fewer rows or columns than this get the all-zero hash and quality 0. */
export const PDQ_MIN_DIMENSION = 5;

/**
 * PDQ of decoded pixels, bit-exact with Meta's reference (hash, quality and the 8 dihedral hashes)
 * given the same pixels. Pure: no I/O.
 */
export function pdqFromPixels(image: PixelImage): PdqHash {
  const { data, width, height, channels } = image;
  if (data.length < width * height * channels) {
    throw new RangeError(`pixel buffer has ${data.length} bytes, ${width}x${height}x${channels} needs more`);
  }
  if (width < PDQ_MIN_DIMENSION || height < PDQ_MIN_DIMENSION) {
    return { hash: ZERO_HASH, quality: 0, dihedral: DIHEDRAL_NAMES.map(() => ZERO_HASH) };
  }
  const image64 = downsampleTo64(data, height, width, channels);
  const quality = pdqQuality(image64);
  const dct = dct64To16(image64);
  const dihedral = DIHEDRAL_NAMES.map((name) =>
    bitsToHex(name === 'original' ? dct : dihedralDct(dct, name)),
  );
  return { hash: dihedral[0]!, quality, dihedral };
}

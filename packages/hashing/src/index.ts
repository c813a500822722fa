export {
  type ByteSource,
  ExactHasher,
  type ExactHashes,
  hashBytes,
  hashFile,
  hashStream,
} from './exact/exact-hashes.ts';
export { hashMedia, type MediaHashes, type MediaInput, type PerceptualStatus } from './hash-media.ts';
export { hashesRecord } from './hashes-record.ts';
export { type ImageSupport, SNIFF_BYTES, type SniffedMedia, sniffMediaType } from './media-type/sniff.ts';
export {
  DEFAULT_HASH_MEDIA_OPTIONS,
  EXIF_ORIENTATIONS,
  type ExifOrientation,
  type HashMediaOptions,
  PDQ_DECODERS,
  type PdqDecoder,
  pdqModeName,
  type ResolvedHashMediaOptions,
  resolveHashMediaOptions,
} from './options.ts';
export { DIHEDRAL_NAMES, type DihedralName } from './pdq/dct.ts';
export { type DecodedImage, type DecodeOptions, decodeForPdq, FAST_MIN_SIDE } from './pdq/decode.ts';
export { hammingDistance, ZERO_HASH } from './pdq/hash256.ts';
export { PDQ_MIN_DIMENSION, type PdqHash, type PixelImage, pdqFromPixels } from './pdq/pdq.ts';

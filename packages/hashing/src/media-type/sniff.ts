/**
 * Media type from the first bytes of a file (never from its name or the partner's claim). Decides
 * whether a perceptual hash applies: `decodable` images are hashed with PDQ, `unsupported` ones are
 * images we do not decode (an item-level `TRIAGE_MEDIA_UNSUPPORTED`), everything else (video,
 * audio, documents, archives, SVG and other text) is `not_image` and gets exact hashes only.
 */

export type ImageSupport = 'decodable' | 'unsupported';

export interface SniffedMedia {
  /** IANA media type, `application/octet-stream` when nothing matched. */
  readonly mediaType: string;
  /** Set for image formats; null for everything else. */
  readonly image: ImageSupport | null;
}

/** Bytes the sniffer looks at (MPEG-TS needs two 188-byte packets). */
export const SNIFF_BYTES = 512;

const UNKNOWN: SniffedMedia = { mediaType: 'application/octet-stream', image: null };

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  for (let i = 0; i < signature.length; i++) if (bytes[offset + i] !== signature[i]) return false;
  return true;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** ISO base media file format (`ftyp` box): AVIF/HEIF images, MP4/MOV/3GP video. */
function sniffIsoBmff(bytes: Uint8Array): SniffedMedia | null {
  if (ascii(bytes, 4, 4) !== 'ftyp') return null;
  const boxSize = Math.min(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0, 64);
  const brands = [ascii(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(ascii(bytes, offset, 4));
  const major = brands[0]!;
  // Image brands win over the generic ones an image file also lists (mif1, miaf).
  if (brands.some((b) => b === 'avif' || b === 'avis'))
    return { mediaType: 'image/avif', image: 'decodable' };
  if (brands.some((b) => ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(b))) {
    return { mediaType: 'image/heic', image: 'unsupported' };
  }
  if (major === 'qt  ') return { mediaType: 'video/quicktime', image: null };
  if (major.startsWith('3g2')) return { mediaType: 'video/3gpp2', image: null };
  if (major.startsWith('3gp')) return { mediaType: 'video/3gpp', image: null };
  if (major === 'M4A ' || major === 'M4B ') return { mediaType: 'audio/mp4', image: null };
  return { mediaType: 'video/mp4', image: null };
}

export function sniffMediaType(bytes: Uint8Array): SniffedMedia {
  // Raster images.
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', image: 'decodable' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { mediaType: 'image/png', image: 'decodable' };
  }
  const head6 = ascii(bytes, 0, 6);
  if (head6 === 'GIF87a' || head6 === 'GIF89a') return { mediaType: 'image/gif', image: 'decodable' };
  if (ascii(bytes, 0, 4) === 'RIFF') {
    const form = ascii(bytes, 8, 4);
    if (form === 'WEBP') return { mediaType: 'image/webp', image: 'decodable' };
    if (form === 'AVI ') return { mediaType: 'video/x-msvideo', image: null };
    if (form === 'WAVE') return { mediaType: 'audio/wav', image: null };
    return UNKNOWN;
  }
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { mediaType: 'image/tiff', image: 'decodable' };
  }
  const isoBmff = sniffIsoBmff(bytes);
  if (isoBmff) return isoBmff;
  // Images this build does not decode.
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length >= 14 && startsWith(bytes, [0, 0, 0, 0], 6)) {
    return { mediaType: 'image/bmp', image: 'unsupported' };
  }
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 6 && bytes[4]! + bytes[5]! > 0) {
    return { mediaType: 'image/x-icon', image: 'unsupported' };
  }
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) {
    return { mediaType: 'image/jxl', image: 'unsupported' };
  }
  if (startsWith(bytes, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]))
    return { mediaType: 'image/jp2', image: 'unsupported' };
  if (ascii(bytes, 0, 4) === '8BPS') return { mediaType: 'image/vnd.adobe.photoshop', image: 'unsupported' };
  // Video and audio containers.
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) {
    const docType = ascii(bytes, 0, Math.min(bytes.length, 64));
    return { mediaType: docType.includes('webm') ? 'video/webm' : 'video/x-matroska', image: null };
  }
  if (ascii(bytes, 0, 3) === 'FLV') return { mediaType: 'video/x-flv', image: null };
  if (startsWith(bytes, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) {
    return { mediaType: 'video/x-ms-asf', image: null };
  }
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0xba]) || startsWith(bytes, [0x00, 0x00, 0x01, 0xb3])) {
    return { mediaType: 'video/mpeg', image: null };
  }
  if (bytes.length >= 189 && bytes[0] === 0x47 && bytes[188] === 0x47)
    return { mediaType: 'video/mp2t', image: null };
  if (ascii(bytes, 0, 4) === 'OggS') return { mediaType: 'application/ogg', image: null };
  if (ascii(bytes, 0, 3) === 'ID3' || startsWith(bytes, [0xff, 0xfb]))
    return { mediaType: 'audio/mpeg', image: null };
  // Documents and archives.
  if (ascii(bytes, 0, 5) === '%PDF-') return { mediaType: 'application/pdf', image: null };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return { mediaType: 'application/zip', image: null };
  if (startsWith(bytes, [0x1f, 0x8b])) return { mediaType: 'application/gzip', image: null };
  if (ascii(bytes, 0, 6) === '7z\xbc\xaf\x27\x1c')
    return { mediaType: 'application/x-7z-compressed', image: null };
  if (ascii(bytes, 0, 4) === 'Rar!') return { mediaType: 'application/vnd.rar', image: null };
  return UNKNOWN;
}

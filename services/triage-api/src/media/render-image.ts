/**
 * The pictures the media routes send, made with sharp from the stored bytes: a small blurred
 * greyscale preview, or the revealed image re-encoded. Both are new JPEGs: no metadata, EXIF or
 * colour profile of the original survives, and only the first page or frame is read.
 */
import sharp from 'sharp';

export interface DecodeLimits {
  /** Images with more pixels are refused from their header, before decoding (sharp `limitInputPixels`). */
  maxPixels: number;
  /** Longest a decode may take. */
  timeoutSeconds: number;
}

export const imageContentType = 'image/jpeg';

/** The preview: at most 160 px, grey, blurred until only the layout of light and dark is left. */
export const previewShape = { maxSide: 160, blurSigma: 6, quality: 60 } as const;

/** The neutral grey transparent pixels are laid on (an alpha channel never reaches the JPEG). */
const background = '#808080';

function decoder(bytes: Uint8Array, limits: DecodeLimits) {
  return sharp(bytes, {
    limitInputPixels: limits.maxPixels,
    // Truncated or corrupt data is an error (then the placeholder), benign warnings are not.
    failOn: 'error',
    // Shown as the camera meant it; the orientation tag itself is dropped with the rest.
    autoOrient: true,
  }).timeout({ seconds: limits.timeoutSeconds });
}

/** A blurred greyscale thumbnail (single-channel JPEG). Rejects when sharp cannot decode the bytes. */
export async function renderPreview(bytes: Uint8Array, limits: DecodeLimits): Promise<Buffer> {
  return (
    decoder(bytes, limits)
      .resize({
        width: previewShape.maxSide,
        height: previewShape.maxSide,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .flatten({ background })
      .greyscale()
      .blur(previewShape.blurSigma)
      // One grey channel in the file, not three equal ones.
      .toColourspace('b-w')
      .jpeg({ quality: previewShape.quality })
      .toBuffer()
  );
}

/** The revealed image: colour, scaled down to `maxSide` at most, re-encoded without metadata. */
export async function renderReveal(
  bytes: Uint8Array,
  limits: DecodeLimits & { maxSide: number },
): Promise<Buffer> {
  return decoder(bytes, limits)
    .resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true })
    .flatten({ background })
    .jpeg({ quality: 85 })
    .toBuffer();
}

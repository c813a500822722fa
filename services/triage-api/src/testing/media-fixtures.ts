// Test helpers of the media routes: synthetic images made with sharp (gradients, shapes, noise:
// never anything else), the items that carry a file and the action that records legal authority.
import { createHash } from 'node:crypto';
import { type EnrichedItem, recordExamples, type TriageAction } from '@triage/schemas';
import sharp from 'sharp';

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A seeded pseudo-random byte stream, so a "noise" image is the same in every run. */
function noise(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) & 0xff;
  };
}

/**
 * A colour test card: a diagonal gradient, a fine checkerboard (high-frequency detail a blur must
 * remove), a few shapes and seeded noise; JPEG with an EXIF tag, or PNG.
 */
export async function syntheticImage(options: {
  width: number;
  height: number;
  format: 'jpeg' | 'png';
  seed?: number;
}): Promise<Buffer> {
  const { width, height } = options;
  const random = noise(options.seed ?? 7);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      const check = ((x >> 2) + (y >> 2)) & 1 ? 60 : 0;
      const inCircle = (x - width / 3) ** 2 + (y - height / 2) ** 2 < (height / 4) ** 2;
      pixels[offset] = Math.min(255, Math.round((x / width) * 180) + check + (random() >> 3));
      pixels[offset + 1] = inCircle ? 220 : Math.round((y / height) * 200) + (random() >> 3);
      pixels[offset + 2] = Math.min(255, (x > width * 0.6 && y < height * 0.4 ? 230 : 40) + check);
    }
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  return options.format === 'jpeg'
    ? image
        .withExif({ IFD0: { Make: 'Synthetic', Model: 'Test card' } })
        .jpeg({ quality: 92 })
        .toBuffer()
    : image.png().toBuffer();
}

/** An item of `reportId` carrying the file `sha256`, viewed by the reporting company or not. */
export function itemCarrying(
  reportId: string,
  sha256: string,
  fileViewedByEsp: boolean | null,
  index = 0,
): EnrichedItem {
  const example = recordExamples.EnrichedItem;
  return {
    ...example,
    item: {
      ...example.item,
      itemId: `${reportId}/f-${index}`,
      reportId,
      fileId: `f-${index}`,
      itemIndex: index,
      sha256,
      fileViewedByEsp,
    },
  };
}

/** The action that records legal authority (its reference) on a report's case. */
export function legalAuthorityAction(reportId: string, reference: string): TriageAction {
  return {
    ...recordExamples.TriageAction,
    actionId: `legal-${reportId}`,
    reportId,
    type: 'legalAuthority',
    payload: { reference },
  };
}

// Draws the planned media with sharp: shapes, gradients, noise and caption text. Nothing real.
import { hammingDistance, hashMedia } from '@triage/hashing';
import sharp from 'sharp';
import { type NearDuplicateEdit, nearDuplicateEdits, syntheticImage } from '../synthetic-images.ts';
import { deriveSeed } from './random.ts';
import type { MediaSpec } from './types.ts';

/**
 * Largest PDQ distance (after dihedral matching) a family member may have from its original.
 * Matching uses 31; the margin keeps members matching where another libvips build rounds differently.
 */
const FAMILY_MAX_DISTANCE = 24;
const FAMILY_ATTEMPTS = 30;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A meme-style caption: white text with a dark outline across the top. */
function captionSvg(caption: string, width: number, height: number): Buffer {
  const size = Math.max(10, Math.floor(width / (caption.length * 0.62)));
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="50%" y="${size + 4}" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${size}" ` +
      `text-anchor="middle" fill="white" stroke="black" stroke-width="1">${escapeXml(caption)}</text></svg>`,
  );
}

type DrawnSpec = Exclude<MediaSpec, { kind: 'variant' }>;

/** Bytes of one planned media file that is not a variant. */
export async function renderMedia(spec: DrawnSpec): Promise<Buffer> {
  if (spec.kind === 'text') return Buffer.from(spec.text, 'utf8');
  let image = await syntheticImage(spec.seed, spec.width, spec.height);
  if (spec.caption !== null) {
    image = await sharp(image)
      .composite([{ input: captionSvg(spec.caption, spec.width, spec.height), top: 0, left: 0 }])
      .png()
      .toBuffer();
  }
  return spec.format === 'jpeg' ? sharp(image).jpeg({ quality: 82 }).toBuffer() : image;
}

export interface DrawnFamily {
  readonly original: Buffer;
  readonly pdq: string;
  readonly variants: ReadonlyMap<NearDuplicateEdit, Buffer>;
}

/**
 * A family original and one variant per edit. Some drawings are too plain for PDQ to survive a
 * crop or a rotation; those are drawn again from a derived seed (deterministically) until every
 * member is within FAMILY_MAX_DISTANCE of the original.
 */
export async function drawFamily(spec: Extract<MediaSpec, { kind: 'shapes' }>): Promise<DrawnFamily> {
  for (let attempt = 0; attempt < FAMILY_ATTEMPTS; attempt++) {
    const seed = attempt === 0 ? spec.seed : deriveSeed(spec.seed, 'redraw', attempt);
    const original = await renderMedia({ ...spec, seed });
    const { pdq } = await hashMedia(original);
    if (pdq === null) continue;
    const variants = new Map<NearDuplicateEdit, Buffer>();
    let close = true;
    for (const [edit, apply] of Object.entries(nearDuplicateEdits) as [
      NearDuplicateEdit,
      (image: Buffer) => Promise<Buffer>,
    ][]) {
      const variant = await apply(original);
      const { pdqDihedral } = await hashMedia(variant);
      if (Math.min(...pdqDihedral.map((hash) => hammingDistance(hash, pdq))) > FAMILY_MAX_DISTANCE) {
        close = false;
        break;
      }
      variants.set(edit, variant);
    }
    if (close) return { original, pdq, variants };
  }
  throw new Error(
    `feed generator: no drawing of seed ${spec.seed} keeps PDQ within ${FAMILY_MAX_DISTANCE} under every edit`,
  );
}

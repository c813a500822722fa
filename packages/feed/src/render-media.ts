// Draws the planned media with sharp: shapes, gradients, noise and caption text. Nothing real.
import { hammingDistance, hashMedia } from '@triage/hashing';
import sharp from 'sharp';
import { deriveSeed } from './random.ts';
import { type NearDuplicateEdit, nearDuplicateEdits, syntheticImage } from './synthetic-images.ts';
import type { MediaSpec } from './types.ts';

/**
 * Largest PDQ distance (after dihedral matching) a family member may have from its original.
 * Matching uses 31; the margin keeps members matching where another libvips build rounds differently.
 */
const FAMILY_MAX_DISTANCE = 24;
/**
 * Smallest PDQ quality every family member must have: the hasher neither matches nor clusters on
 * a hash under 50 (PDQ_MIN_QUALITY), so a weaker family could not be the group the ground truth says.
 */
const FAMILY_MIN_QUALITY = 60;
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
 * crop or a rotation, or too flat for a PDQ of useful quality; those are drawn again from a
 * derived seed (deterministically) until every member is within FAMILY_MAX_DISTANCE of the
 * original with quality of at least FAMILY_MIN_QUALITY.
 */
export async function drawFamily(spec: Extract<MediaSpec, { kind: 'shapes' }>): Promise<DrawnFamily> {
  for (let attempt = 0; attempt < FAMILY_ATTEMPTS; attempt++) {
    const seed = attempt === 0 ? spec.seed : deriveSeed(spec.seed, 'redraw', attempt);
    const original = await renderMedia({ ...spec, seed });
    const { pdq, pdqQuality } = await hashMedia(original);
    if (pdq === null || (pdqQuality ?? 0) < FAMILY_MIN_QUALITY) continue;
    const variants = new Map<NearDuplicateEdit, Buffer>();
    let close = true;
    for (const [edit, apply] of Object.entries(nearDuplicateEdits) as [
      NearDuplicateEdit,
      (image: Buffer) => Promise<Buffer>,
    ][]) {
      const variant = await apply(original);
      const { pdqDihedral, pdqQuality: variantQuality } = await hashMedia(variant);
      const distance = Math.min(...pdqDihedral.map((hash) => hammingDistance(hash, pdq)));
      if (distance > FAMILY_MAX_DISTANCE || (variantQuality ?? 0) < FAMILY_MIN_QUALITY) {
        close = false;
        break;
      }
      variants.set(edit, variant);
    }
    if (close) return { original, pdq, variants };
  }
  throw new Error(
    `feed generator: no drawing of seed ${spec.seed} keeps PDQ within ${FAMILY_MAX_DISTANCE} and quality ${FAMILY_MIN_QUALITY} under every edit`,
  );
}

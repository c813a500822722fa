// Synthetic test images: the feed's drawing (`@triage/feed/synthetic-images`, the one copy of it),
// plus whole near-duplicate families for tests that hash them. Nothing real.
import { type NearDuplicateEdit, nearDuplicateEdits, syntheticImage } from '@triage/feed/synthetic-images';

export {
  type NearDuplicateEdit,
  nearDuplicateEdits,
  seededRandom,
  syntheticImage,
} from '@triage/feed/synthetic-images';

export interface ImageFamily {
  seed: number;
  base: Buffer;
  variants: { edit: NearDuplicateEdit; image: Buffer }[];
}

/** A base image and one variant per edit. */
export async function imageFamily(seed: number): Promise<ImageFamily> {
  const base = await syntheticImage(seed);
  const variants = [];
  for (const [edit, apply] of Object.entries(nearDuplicateEdits) as [
    NearDuplicateEdit,
    (image: Buffer) => Promise<Buffer>,
  ][]) {
    variants.push({ edit, image: await apply(base) });
  }
  return { seed, base, variants };
}

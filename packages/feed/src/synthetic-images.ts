// Synthetic images: shapes, gradients and seeded noise drawn with sharp. Nothing real, nothing
// that depicts anyone. Near-duplicates come from edits of one base image. The feed draws its media
// with these; @triage/testkit re-exports them for tests.
import sharp from 'sharp';

/** A small seeded PRNG (mulberry32): the same seed draws the same images, byte for byte. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An SVG of random rectangles, circles and a gradient: enough structure for a strong PDQ. */
function shapesSvg(random: () => number, width: number, height: number): string {
  const colour = () =>
    `rgb(${Math.floor(random() * 256)},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;
  const shapes: string[] = [];
  for (let index = 0; index < 14; index++) {
    const x = Math.floor(random() * width);
    const y = Math.floor(random() * height);
    if (random() < 0.5) {
      shapes.push(
        `<rect x="${x}" y="${y}" width="${20 + Math.floor(random() * width * 0.4)}" height="${20 + Math.floor(random() * height * 0.4)}" fill="${colour()}"/>`,
      );
    } else {
      shapes.push(
        `<circle cx="${x}" cy="${y}" r="${10 + Math.floor(random() * width * 0.2)}" fill="${colour()}"/>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
}

/** A base image (PNG) of shapes over a gradient, with light seeded noise. */
export async function syntheticImage(seed: number, width = 640, height = 480): Promise<Buffer> {
  const random = seededRandom(seed);
  const noise = Buffer.alloc(width * height * 3);
  for (let index = 0; index < noise.length; index++) noise[index] = Math.floor(random() * 24);
  const base = await sharp(Buffer.from(shapesSvg(random, width, height)))
    .removeAlpha()
    .raw()
    .toBuffer();
  for (let index = 0; index < base.length; index++) base[index] = Math.min(255, base[index]! + noise[index]!);
  return sharp(base, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** The edits that make a near-duplicate family; each keeps PDQ within a few bits of the base (after dihedral matching). */
export const nearDuplicateEdits = {
  resize: (image: Buffer) => sharp(image).resize({ width: 320 }).png().toBuffer(),
  reencode: (image: Buffer) => sharp(image).jpeg({ quality: 45 }).toBuffer(),
  crop: async (image: Buffer) => {
    const { width = 0, height = 0 } = await sharp(image).metadata();
    const dx = Math.round(width * 0.01);
    const dy = Math.round(height * 0.01);
    return sharp(image)
      .extract({ left: dx, top: dy, width: width - 2 * dx, height: height - 2 * dy })
      .png()
      .toBuffer();
  },
  rotate: (image: Buffer) => sharp(image).rotate(90).png().toBuffer(),
  flip: (image: Buffer) => sharp(image).flop().png().toBuffer(),
} as const;

export type NearDuplicateEdit = keyof typeof nearDuplicateEdits;

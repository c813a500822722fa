import sharp from 'sharp';

/**
 * Seeded synthetic photos for the PDQ benchmark: a diagonal colour gradient, 40 translucent shapes
 * (circles, rotated rectangles, triangles) and seeded sensor-like noise, saved as JPEG quality 90.
 * Nothing but shapes and noise: the sizes are those of real phone photos (1600x1004 as Meta's
 * bridge photo, 4032x3024 = 12 MP).
 */
export interface SyntheticSpec {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly seed: number;
}

export const syntheticSpecs: readonly SyntheticSpec[] = [
  { name: 'synthetic-1600x1004-a.jpg', width: 1600, height: 1004, seed: 1 },
  { name: 'synthetic-1600x1004-b.jpg', width: 1600, height: 1004, seed: 4 },
  { name: 'synthetic-4032x3024-a.jpg', width: 4032, height: 3024, seed: 2 },
  { name: 'synthetic-4032x3024-b.jpg', width: 4032, height: 3024, seed: 3 },
];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function shapesSvg(width: number, height: number, seed: number): string {
  const next = random(seed);
  const colour = () =>
    `rgb(${Math.floor(next() * 256)},${Math.floor(next() * 256)},${Math.floor(next() * 256)})`;
  const shapes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const x = next() * width;
    const y = next() * height;
    const size = (0.03 + next() * 0.25) * Math.min(width, height);
    const fill = `fill="${colour()}" fill-opacity="${(0.4 + next() * 0.6).toFixed(2)}"`;
    if (i % 3 === 0) shapes.push(`<circle cx="${x}" cy="${y}" r="${size / 2}" ${fill}/>`);
    else if (i % 3 === 1) {
      const rotate = `rotate(${next() * 90} ${x} ${y})`;
      shapes.push(
        `<rect x="${x}" y="${y}" width="${size}" height="${size * (0.3 + next())}" ${fill} transform="${rotate}"/>`,
      );
    } else {
      shapes.push(
        `<polygon points="${x},${y} ${x + size},${y + size / 3} ${x + size / 4},${y + size}" ${fill}/>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
}

/** Renders one synthetic photo to JPEG bytes (deterministic for a given sharp/libvips build). */
export async function syntheticJpeg(spec: SyntheticSpec): Promise<Buffer> {
  const { width, height, seed } = spec;
  const pixels = await sharp(Buffer.from(shapesSvg(width, height, seed)))
    .removeAlpha()
    .raw()
    .toBuffer();
  // Seeded noise, roughly Gaussian (sum of three uniforms), sigma about 10 levels.
  const next = random(seed * 7919 + 17);
  for (let i = 0; i < pixels.length; i++) {
    const noise = (next() + next() + next() - 1.5) * 20;
    pixels[i] = Math.max(0, Math.min(255, Math.round(pixels[i]! + noise)));
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

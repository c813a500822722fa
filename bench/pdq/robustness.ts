import { hammingDistance, hashMedia } from '@triage/hashing';
import imghash from 'imghash';
import sharp, { type Sharp } from 'sharp';
import type { BenchImage } from './images.ts';

/**
 * Is imghash (blockhash) useful next to PDQ? Distances between an image and its edited copies
 * (small is good) and between unrelated images (large is good), for PDQ (plain hash and best of its
 * 8 dihedral hashes) and blockhash at imghash's default 8 (64-bit hash) and at 16 (256 bits).
 */
export interface PairDistances {
  readonly group: 'edit' | 'rotation or flip' | 'unrelated';
  readonly pair: string;
  readonly pdqPlain: number;
  readonly pdqBest: number;
  readonly blockhash64: number;
  readonly blockhash256: number;
}

interface Signature {
  readonly pdq: string;
  readonly pdqDihedral: readonly string[];
  readonly pdqQuality: number;
  readonly blockhash64: string;
  readonly blockhash256: string;
}

async function signature(bytes: Buffer): Promise<Signature> {
  const result = await hashMedia(bytes);
  if (result.pdq === null || result.pdqQuality === null)
    throw new Error(`not hashed: ${result.errorMessage}`);
  return {
    pdq: result.pdq,
    pdqDihedral: result.pdqDihedral,
    pdqQuality: result.pdqQuality,
    blockhash64: await imghash.hash(bytes, 8),
    blockhash256: await imghash.hash(bytes, 16),
  };
}

function hexDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < a.length; i++) {
    let x = Number.parseInt(a[i]!, 16) ^ Number.parseInt(b[i]!, 16);
    while (x !== 0) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}

function compare(group: PairDistances['group'], pair: string, a: Signature, b: Signature): PairDistances {
  return {
    group,
    pair,
    pdqPlain: hammingDistance(a.pdq, b.pdq),
    pdqBest: Math.min(...b.pdqDihedral.map((variant) => hammingDistance(a.pdq, variant))),
    blockhash64: hexDistance(a.blockhash64, b.blockhash64),
    blockhash256: hexDistance(a.blockhash256, b.blockhash256),
  };
}

/** Edits of a synthetic photo, made with sharp (the bridge-mods cover a real one). */
const syntheticEdits: readonly [string, (image: Sharp) => Sharp][] = [
  ['re-encoded JPEG q50', (image) => image.jpeg({ quality: 50 })],
  ['resized to 50%', (image) => image.resize({ width: 800 }).jpeg({ quality: 90 })],
  ['cropped 5% each side', (image) => image.extract({ left: 80, top: 50, width: 1440, height: 904 }).jpeg()],
  ['brightness +20%', (image) => image.modulate({ brightness: 1.2 }).jpeg({ quality: 90 })],
  ['blurred (sigma 2)', (image) => image.blur(2).jpeg({ quality: 90 })],
  ['rotated 90 degrees', (image) => image.rotate(90).jpeg({ quality: 90 })],
  ['mirrored', (image) => image.flop().jpeg({ quality: 90 })],
];

export async function measureRobustness(images: readonly BenchImage[]): Promise<PairDistances[]> {
  const byName = new Map(images.map((image) => [image.name, image]));
  const get = (name: string) => {
    const image = byName.get(name);
    if (!image) throw new Error(`missing test image ${name}`);
    return image.bytes;
  };
  const rows: PairDistances[] = [];

  const original = await signature(get('bridge-mods/aaa-orig.jpg'));
  for (const image of images.filter(
    (i) => i.name.startsWith('bridge-mods/') && i.name !== 'bridge-mods/aaa-orig.jpg',
  )) {
    rows.push(
      compare(
        'edit',
        `bridge ${image.name.slice('bridge-mods/'.length, -4)}`,
        await signature(image.bytes),
        original,
      ),
    );
  }
  for (const image of images.filter(
    (i) => i.name.startsWith('reg-test-input/dih/') && !i.name.includes('original'),
  )) {
    const label = `bridge ${image.name.slice('reg-test-input/dih/bridge-N-'.length, -4)}`;
    rows.push(compare('rotation or flip', label, await signature(image.bytes), original));
  }

  const base = images.find((image) => image.synthetic && image.width === 1600)!;
  const baseSignature = await signature(base.bytes);
  for (const [label, edit] of syntheticEdits) {
    const edited = await edit(sharp(base.bytes)).toBuffer();
    const group = label.startsWith('rotated') || label === 'mirrored' ? 'rotation or flip' : 'edit';
    rows.push(compare(group, `synthetic ${label}`, await signature(edited), baseSignature));
  }

  // Unrelated: every pair of distinct source photos whose PDQ quality is usable (>= 50).
  const sources = [
    'bridge-mods/aaa-orig.jpg',
    'misc-images/wee.jpg',
    'reg-test-input/pen-and-coaster.png',
    ...images.filter((i) => i.name.startsWith('reg-test-input/labelme-subset/')).map((i) => i.name),
    ...images.filter((i) => i.synthetic).map((i) => i.name),
  ];
  const signatures: [string, Signature][] = [];
  for (const name of sources) {
    const s = await signature(get(name));
    if (s.pdqQuality >= 50) signatures.push([name, s]);
  }
  for (let i = 0; i < signatures.length; i++) {
    for (let j = i + 1; j < signatures.length; j++) {
      const [nameA, a] = signatures[i]!;
      const [nameB, b] = signatures[j]!;
      rows.push(compare('unrelated', `${nameA} / ${nameB}`, a, b));
    }
  }
  return rows;
}

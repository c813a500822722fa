import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashMedia, type MediaHashes } from '../hash-media.ts';
import {
  type ExpectedPdq,
  hasPdqTestData,
  listPdqTestImages,
  loadExpectedPdq,
  pdqTestDataDir,
} from '../testing/pdq-test-data.ts';
import { DIHEDRAL_NAMES } from './dct.ts';
import { hammingDistance } from './hash256.ts';

const fixture = loadExpectedPdq();
const expectedByPath = new Map(fixture.images.map((image) => [image.path, image]));

/** Hashes published by Meta's own code (docs/pdq.md; python-threatexchange `PdqSignal.get_examples()`). */
const metaPublished: Record<string, string> = {
  'reg-test-input/dih/bridge-1-original.jpg':
    'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22',
  'reg-test-input/dih/bridge-2-rotate-90.jpg':
    '30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af',
  // get_examples(), bridge-mods in file order, then misc-images/wee.jpg.
  'bridge-mods/aaa-orig.jpg': 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22',
  'bridge-mods/blur-a-little.jpg': 'f8f8f0cee0f4a84f06370a2a038f63f0b36e26d596621e1d33e6b39c4e9c9b22',
  'bridge-mods/blur-a-lot.jpg': 'f8f8f0cee0f4a84f0637022a038f67f0b36e26d596621e1d33e6b39c4e9c9b22',
  'bridge-mods/high-contrast.jpg': 'f8f8f0cee0f4a84f06370a2a068f67f0b36e26d596621e1d33e6339c4e9c9b22',
  'bridge-mods/high-saturation.jpg': 'f8f8f0cee0f4a84f06370a22038f67f0b36e2ed596221e1d33e6b39c4e9c9b22',
  'bridge-mods/sharpen-a-little.jpg': 'f8f8f0cee0f4a84f0e370a22038f67f0b36e2ed596221e1d33e6b39c4a9c9b22',
  'bridge-mods/sharpen-a-lot.jpg': 'd8f8f0cec0f4a84f8e370a22038f67f0b36a2ed597231e1d72e6b39c4a9c9b22',
  'bridge-mods/shrink-a-little.jpg': 'f8f8f0cee0f4a84f06370a22038f67f0b36e2ed596621e1d33e6339c4e9c9b22',
  'bridge-mods/shrink-a-lot.jpg': 'd0f8f1ccc0f4a84d0a370a3a228f67f0b36e2ed5b6623e1d33e6339c4e9c9b22',
  'bridge-mods/square-128x128.jpg': 'd8f8f1eec0f4a84f0e37022a078f63f0b36e2ed596621e1d33e6239c4e9c9b22',
  'bridge-mods/square-256x256.jpg': 'd8f8f0cec4f4a84f0637022a078f67f0b36e2ee5b6621e1d33e6239c4e9c9b22',
  'bridge-mods/square-512x512.jpg': 'd8f8f0cec0f4a84f0637022a278f67f0b36e2ed596621e1d33e6339c4e9c9b22',
  'misc-images/wee.jpg': '6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d',
};

/**
 * Where Meta's Java tool decodes differently from our pinned policy (README, "Decoder policy"), with
 * the largest distance over the 8 dihedral hashes. Everything else must equal Java bit for bit.
 */
const javaDecoderDifferences: Record<string, number> = {
  // ImageIO's CMYK path; we convert with libvips' CMYK profile.
  'misc-images/modes/CMYK.jpg': 20,
  // ImageIO treats grey PNG as linear and gamma-converts it; we use the stored grey as luma.
  'misc-images/modes/L.png': 14,
};

const maxDistance = (a: readonly string[], b: readonly string[]) =>
  Math.max(...a.map((hash, i) => hammingDistance(hash, b[i]!)));

describe.skipIf(!hasPdqTestData)('PDQ against reference values (pdq-expected.json)', () => {
  const results = new Map<string, MediaHashes>();

  beforeAll(async () => {
    for (const image of fixture.images)
      results.set(image.path, await hashMedia(path.join(pdqTestDataDir, image.path)));
  });

  it('covers every JPEG and PNG test image', () => {
    expect(fixture.images.map((image) => image.path)).toEqual(listPdqTestImages());
    expect(fixture.images).toHaveLength(34);
  });

  it.each(fixture.images.map((image) => [image.path, image] as [string, ExpectedPdq]))(
    '%s: hash, quality and 8 dihedral hashes bit-exact with pdqhash (Meta C++ core) on the same pixels',
    (_path, expected) => {
      const result = results.get(expected.path)!;
      expect(result.perceptualStatus).toBe('hashed');
      expect(result.pdqMode).toBe('reference-no-exif-rotate');
      expect(result.pdq).toBe(expected.hash);
      expect(result.pdqQuality).toBe(expected.quality);
      expect(result.pdqDihedral).toEqual(expected.dihedral);
    },
  );

  it("equals Meta's Java reference tool (its own decoder) except where our decoder policy differs", () => {
    const differences: Record<string, number> = {};
    for (const image of fixture.images) {
      const result = results.get(image.path)!;
      expect(result.pdqQuality, image.path).toBe(image.java.quality);
      const distance = maxDistance(result.pdqDihedral, image.java.dihedral);
      if (distance > 0) differences[image.path] = distance;
    }
    expect(differences).toEqual(javaDecoderDifferences);
  });

  it('reproduces the hashes Meta publishes', () => {
    for (const [file, hash] of Object.entries(metaPublished)) expect(results.get(file)?.pdq, file).toBe(hash);
  });

  it('gives the low-quality images their published quality (0, 3, 4)', () => {
    expect(results.get('misc-images/small.jpg')?.pdqQuality).toBe(0);
    expect(results.get('reg-test-input/labelme-subset/q0003.jpg')?.pdqQuality).toBe(3);
    expect(results.get('reg-test-input/labelme-subset/q0004.jpg')?.pdqQuality).toBe(4);
  });

  it('matches each rotated or flipped copy through its dihedral variant, not its plain hash', () => {
    const original = results.get('reg-test-input/dih/bridge-1-original.jpg')!;
    const files = [
      'bridge-1-original',
      'bridge-2-rotate-90',
      'bridge-3-rotate-180',
      'bridge-4-rotate-270',
      'bridge-5-flipx',
      'bridge-6-flipy',
      'bridge-7-flip-plus-1',
      'bridge-8-flip-minus-1',
    ];
    files.forEach((name, k) => {
      const copy = results.get(`reg-test-input/dih/${name}.jpg`)!;
      const distances = original.pdqDihedral.map((variant) => hammingDistance(copy.pdq!, variant));
      // Within a few bits of the variant of the same name, far from all the others.
      expect(distances[k], `${name} vs ${DIHEDRAL_NAMES[k]}`).toBeLessThanOrEqual(8);
      distances.forEach((distance, j) => {
        if (j !== k) expect(distance, `${name} vs ${DIHEDRAL_NAMES[j]}`).toBeGreaterThan(90);
      });
      // ...and the copy's own expected values are in the fixture (checked bit-exact above).
      expect(copy.pdq).toBe(expectedByPath.get(`reg-test-input/dih/${name}.jpg`)!.hash);
    });
  });
});

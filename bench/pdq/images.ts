import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { syntheticJpeg, syntheticSpecs } from './synthetic.ts';

export type SizeClass = 'under 1 MP' | '1.6 MP' | '12 MP';
export const sizeClasses: readonly SizeClass[] = ['under 1 MP', '1.6 MP', '12 MP'];

export interface BenchImage {
  /** Path relative to the test-data folder, or the synthetic file's name. */
  readonly name: string;
  /** Where the file is on disk (for the Python baseline). */
  readonly file: string;
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
  readonly sizeClass: SizeClass;
  readonly synthetic: boolean;
}

export interface ImageSet {
  readonly images: readonly BenchImage[];
  /** Removes the synthetic files. */
  readonly cleanup: () => void;
}

/** Meta's test images; `PDQ_TEST_DATA` overrides the shared location. */
export function pdqTestDataDir(repoRoot: string): string {
  return process.env.PDQ_TEST_DATA ?? path.resolve(repoRoot, '..', 'shared', 'data', 'pdq');
}

function classOf(width: number, height: number): SizeClass {
  const pixels = width * height;
  if (pixels < 1_000_000) return 'under 1 MP';
  if (pixels < 4_000_000) return '1.6 MP';
  return '12 MP';
}

function listImages(dir: string, relative = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) found.push(...listImages(dir, child));
    else if (/\.(jpe?g|png)$/i.test(entry.name)) found.push(child);
  }
  return found.sort();
}

/** The 34 JPEG/PNG test images plus the synthetic larger photos (written to a temporary folder). */
export async function loadImageSet(dataDir: string, log: (message: string) => void): Promise<ImageSet> {
  if (!existsSync(dataDir))
    throw new Error(
      `PDQ test images not found in ${dataDir}: put ThreatExchange's pdq/data there (commit baefb4ed) or name its folder in PDQ_TEST_DATA`,
    );
  const images: BenchImage[] = [];
  for (const name of listImages(dataDir)) {
    const file = path.join(dataDir, name);
    const bytes = readFileSync(file);
    const { width = 0, height = 0 } = await sharp(bytes).metadata();
    images.push({ name, file, bytes, width, height, sizeClass: classOf(width, height), synthetic: false });
  }
  const syntheticDir = mkdtempSync(path.join(tmpdir(), 'triage-bench-pdq-'));
  for (const spec of syntheticSpecs) {
    log(`generating ${spec.name}`);
    const bytes = await syntheticJpeg(spec);
    const file = path.join(syntheticDir, spec.name);
    writeFileSync(file, bytes);
    const { width, height } = spec;
    images.push({
      name: spec.name,
      file,
      bytes,
      width,
      height,
      sizeClass: classOf(width, height),
      synthetic: true,
    });
  }
  return { images, cleanup: () => rmSync(syntheticDir, { recursive: true, force: true }) };
}

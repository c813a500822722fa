import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Meta's public PDQ test images (ThreatExchange `pdq/data`, BSD), shared read-only on project
 * machines; `PDQ_TEST_DATA` points elsewhere.
 */
export const pdqTestDataDir =
  process.env.PDQ_TEST_DATA ?? fileURLToPath(new URL('../../../../../shared/data/pdq/', import.meta.url));

export const hasPdqTestData = existsSync(path.join(pdqTestDataDir, 'bridge-mods'));

/** Every JPEG/PNG under the test-data folder, as paths relative to it, sorted. */
export function listPdqTestImages(dir = pdqTestDataDir): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.(jpe?g|png)$/i.test(entry.name)) found.push(child);
    }
  };
  walk('');
  return found.sort();
}

/** One image of `pdq-expected.json`. */
export interface ExpectedPdq {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  /** Decoded channels under our policy (1 = grey used as luma). */
  readonly channels: 1 | 3;
  /** pdqhash (Meta's C++ core) on the pixels our reference decoder produced. */
  readonly hash: string;
  readonly quality: number;
  readonly dihedral: readonly string[];
  /** Meta's Java reference tool on the file (its own ImageIO decoder). */
  readonly java: { readonly hash: string; readonly quality: number; readonly dihedral: readonly string[] };
}

export interface ExpectedPdqFixture {
  readonly about: readonly string[];
  readonly tools: Record<string, string>;
  readonly images: readonly ExpectedPdq[];
}

export const expectedFixturePath = fileURLToPath(new URL('../fixtures/pdq-expected.json', import.meta.url));

export function loadExpectedPdq(): ExpectedPdqFixture {
  return JSON.parse(readFileSync(expectedFixturePath, 'utf8')) as ExpectedPdqFixture;
}

import {
  decodeForPdq,
  FAST_MIN_SIDE,
  hammingDistance,
  type PdqDecoder,
  pdqFromPixels,
  resolveHashMediaOptions,
} from '@triage/hashing';
import imghash from 'imghash';
import sharp from 'sharp';
import { packageVersion } from '../lib/package-version.ts';
import { formatFixed, formatRatio, median } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import { type BenchImage, loadImageSet, pdqTestDataDir, type SizeClass, sizeClasses } from './images.ts';
import { type PdqhashRound, preparePdqhash, runPdqhashRound } from './pdqhash.ts';
import { measureRobustness, type PairDistances } from './robustness.ts';

type Column = 'pdqhash' | 'reference' | 'fast' | 'imghash';

interface Timing {
  /** Milliseconds per image per round, decode included. */
  readonly total: number[][];
  /** @triage/hashing only: the decode part. */
  readonly decode: number[][];
}

async function timeOurs(images: readonly BenchImage[], decoder: PdqDecoder, into: Timing, hashes?: string[]) {
  const options = resolveHashMediaOptions({ decoder });
  const total: number[] = [];
  const decode: number[] = [];
  for (const [i, image] of images.entries()) {
    const started = performance.now();
    const decoded = await decodeForPdq(image.bytes, options);
    const decodedAt = performance.now();
    const result = pdqFromPixels(decoded.pixels);
    total.push(performance.now() - started);
    decode.push(decodedAt - started);
    if (hashes) hashes[i] = result.hash;
  }
  into.total.push(total);
  into.decode.push(decode);
}

async function timeImghash(images: readonly BenchImage[], into: Timing) {
  const total: number[] = [];
  for (const image of images) {
    const started = performance.now();
    await imghash.hash(image.bytes);
    total.push(performance.now() - started);
  }
  into.total.push(total);
}

/** Per image: the median over rounds. */
const perImageMedian = (rounds: number[][], count: number) =>
  Array.from({ length: count }, (_, i) => median(rounds.map((round) => round[i]!)));

function classSum(
  values: readonly number[],
  images: readonly BenchImage[],
  sizeClass: SizeClass | 'all',
): number {
  return values.reduce(
    (sum, value, i) => (sizeClass === 'all' || images[i]!.sizeClass === sizeClass ? sum + value : sum),
    0,
  );
}

const columnLabel: Record<Column, string> = {
  pdqhash: 'pdqhash (Meta C++ core) + Pillow decode — baseline',
  reference: '@triage/hashing `reference` (sharp decode, bit-exact)',
  fast: `@triage/hashing \`fast\` (libvips shrink to ${FAST_MIN_SIDE} px short side)`,
  imghash: 'imghash 8 (blockhash 64-bit, WASM decode)',
};

function throughputTable(images: readonly BenchImage[], medians: Record<Column, number[]>): string {
  const groups: (SizeClass | 'all')[] = [...sizeClasses, 'all'];
  const count = (group: SizeClass | 'all') =>
    images.filter((i) => group === 'all' || i.sizeClass === group).length;
  const header = `| Implementation | ${groups.map((g) => `${g === 'all' ? 'all images' : g} (${count(g)}) img/s`).join(' | ')} | ${groups
    .map((g) => `${g === 'all' ? 'all' : g} vs baseline`)
    .join(' | ')} |`;
  const rate = (column: Column, group: SizeClass | 'all') =>
    (count(group) * 1000) / classSum(medians[column], images, group);
  const rows = (['pdqhash', 'reference', 'fast', 'imghash'] as const).map((column) => {
    const rates = groups.map((group) => rate(column, group));
    const ratios = groups.map((group, k) => formatRatio(rates[k]!, rate('pdqhash', group)));
    const shown = rates.map((value) => formatFixed(value, 1));
    return `| ${columnLabel[column]} | ${shown.join(' | ')} | ${ratios.join(' | ')} |`;
  });
  return [
    header,
    `| --- |${groups.map(() => ' ---: |').join('')}${groups.map(() => ' ---: |').join('')}`,
    ...rows,
  ].join('\n');
}

/** Does our `reference` hash equal the baseline's on each image? */
function agreementText(
  images: readonly BenchImage[],
  ours: readonly string[],
  theirs: PdqhashRound['results'],
): string {
  const differing = images
    .map((image, i) => ({ name: image.name, distance: hammingDistance(ours[i]!, theirs[i]!.hash) }))
    .filter((row) => row.distance > 0);
  return (
    `Same-hash check: our \`reference\` hash equals pdqhash-on-Pillow's on ${images.length - differing.length} of ${images.length} images` +
    (differing.length === 0
      ? '.'
      : `; the rest differ only because Pillow decodes differently (no ICC profiles, its own CMYK conversion): ${differing
          .map((row) => `${row.name} ${row.distance} bits`)
          .join(', ')}. Given identical pixels the two are bit-exact (packages/hashing/src/fixtures).`)
  );
}

function splitTable(images: readonly BenchImage[], decode: number[], total: number[]): string {
  const rows = sizeClasses.map((group) => {
    const n = images.filter((i) => i.sizeClass === group).length;
    const d = classSum(decode, images, group) / n;
    const t = classSum(total, images, group) / n;
    return `| ${group} | ${formatFixed(d, 1)} | ${formatFixed(t - d, 1)} | ${formatFixed(t, 1)} |`;
  });
  return [
    '| Size | decode ms/image | hash ms/image | total ms/image |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

function robustnessMarkdown(rows: readonly PairDistances[]): string {
  const pct = (bits: number, of: number) => `${bits} (${Math.round((100 * bits) / of)}%)`;
  const listed = rows.filter((row) => row.group !== 'unrelated');
  const table = [
    '| Pair (copy vs original) | Kind | PDQ best of 8 /256 | PDQ plain /256 | blockhash /64 | blockhash /256 |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...listed.map(
      (row) =>
        `| ${row.pair} | ${row.group} | ${pct(row.pdqBest, 256)} | ${pct(row.pdqPlain, 256)} | ${pct(row.blockhash64, 64)} | ${pct(row.blockhash256, 256)} |`,
    ),
  ];
  const summary = (
    group: PairDistances['group'],
    pick: (values: number[]) => number,
    key: keyof PairDistances,
  ) => pick(rows.filter((row) => row.group === group).map((row) => row[key] as number));
  const max = (values: number[]) => Math.max(...values);
  const min = (values: number[]) => Math.min(...values);
  const unrelatedCount = rows.filter((row) => row.group === 'unrelated').length;
  const summaryTable = [
    '| Summary | PDQ best of 8 /256 | PDQ plain /256 | blockhash /64 | blockhash /256 |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| worst edit (largest distance) | ${summary('edit', max, 'pdqBest')} | ${summary('edit', max, 'pdqPlain')} | ${summary('edit', max, 'blockhash64')} | ${summary('edit', max, 'blockhash256')} |`,
    `| worst rotation or flip | ${summary('rotation or flip', max, 'pdqBest')} | ${summary('rotation or flip', max, 'pdqPlain')} | ${summary('rotation or flip', max, 'blockhash64')} | ${summary('rotation or flip', max, 'blockhash256')} |`,
    `| closest unrelated pair (of ${unrelatedCount}) | ${summary('unrelated', min, 'pdqBest')} | ${summary('unrelated', min, 'pdqPlain')} | ${summary('unrelated', min, 'blockhash64')} | ${summary('unrelated', min, 'blockhash256')} |`,
  ];
  return [table.join('\n'), '', summaryTable.join('\n')].join('\n');
}

async function run(ctx: SuiteContext): Promise<SuiteResult> {
  // One core: libvips single-threaded, every image hashed one after another in this thread.
  sharp.concurrency(1);
  const pdqhash = await preparePdqhash(ctx.repoRoot, ctx.log);
  const dataDir = pdqTestDataDir(ctx.repoRoot);
  const set = await loadImageSet(dataDir, ctx.log);
  try {
    const { images } = set;
    const rounds = Math.max(1, Math.round(5 * ctx.scale));

    ctx.log('warm-up (untimed)');
    await timeOurs(images, 'reference', { total: [], decode: [] });
    await timeOurs(images, 'fast', { total: [], decode: [] });
    await timeImghash(images, { total: [], decode: [] });

    const timings: Record<Exclude<Column, 'pdqhash'>, Timing> = {
      reference: { total: [], decode: [] },
      fast: { total: [], decode: [] },
      imghash: { total: [], decode: [] },
    };
    const pdqhashRounds: PdqhashRound[] = [];
    const ourHashes: string[] = [];
    const files = images.map((image) => image.file);
    for (let round = 0; round < rounds; round++) {
      ctx.log(`round ${round + 1}/${rounds}`);
      pdqhashRounds.push(runPdqhashRound(pdqhash.python, files));
      await timeOurs(images, 'reference', timings.reference, ourHashes);
      await timeOurs(images, 'fast', timings.fast);
      await timeImghash(images, timings.imghash);
    }

    const medians: Record<Column, number[]> = {
      pdqhash: perImageMedian(
        pdqhashRounds.map((r) => r.times),
        images.length,
      ),
      reference: perImageMedian(timings.reference.total, images.length),
      fast: perImageMedian(timings.fast.total, images.length),
      imghash: perImageMedian(timings.imghash.total, images.length),
    };

    ctx.log('robustness (imghash as a secondary signal)');
    const robustness = await measureRobustness(images);

    const counts = sizeClasses
      .map((c) => `${images.filter((i) => i.sizeClass === c).length} ${c}`)
      .join(', ');
    const markdown = [
      `**Method.** PDQ images per second **including decode**, on one core: every image is hashed one after another in`,
      `one thread (\`sharp.concurrency(1)\`; the Python baseline is single-threaded), bytes already in memory. Image set:`,
      `Meta's 34 JPEG/PNG PDQ test images plus 4 synthetic photos (gradient, shapes, seeded noise; 2 of 1600x1004, 2 of`,
      `4032x3024) — ${counts}. Each column gets an untimed warm-up, then ${rounds} interleaved round(s)`,
      `(pdqhash, reference, fast, imghash, repeat); per image the median round counts. img/s = images / summed median`,
      `time in the group; ratios are against the **pdqhash** baseline measured in the same run (above 1: faster).`,
      `All PDQ columns compute the hash, its quality and all 8 dihedral hashes. imghash computes a 64-bit blockhash`,
      `(its default) and is not comparable as a hash, only as a cost. The baseline installs itself: the first run puts`,
      `the versions pinned in \`bench/pdq/requirements.txt\` into a Python virtual environment at \`.tools/bench-venv\``,
      `(pip builds pdqhash from source: Python 3 with venv and a C++ compiler are needed), later runs reuse it.`,
      '',
      '### Throughput',
      '',
      throughputTable(images, medians),
      '',
      agreementText(images, ourHashes, pdqhashRounds[0]!.results),
      '',
      '### Where the time goes (@triage/hashing `reference`, median per image)',
      '',
      splitTable(images, perImageMedian(timings.reference.decode, images.length), medians.reference),
      '',
      '### imghash as a secondary signal: bits changed by edits, rotations and between unrelated images',
      '',
      'Distance of each edited copy from its original (smaller is better) and the closest pair of unrelated images',
      '(larger is better; images of PDQ quality >= 50 only). PDQ "best of 8" compares the copy with all 8 dihedral',
      'hashes of the original, which is how the matcher uses it. Decision: [ADR 0003](adr/0003-imghash.md).',
      '',
      robustnessMarkdown(robustness),
    ].join('\n');

    const facts = [
      { name: 'Images', value: `${images.length} (${counts})` },
      { name: '@triage/hashing', value: `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}` },
      { name: 'pdqhash', value: pdqhash.versions },
      { name: 'imghash', value: packageVersion('imghash') },
    ];
    return { markdown, facts };
  } finally {
    set.cleanup();
  }
}

export const pdqSuite: Suite = {
  name: 'pdq',
  title: 'PDQ hashing: @triage/hashing vs pdqhash (Meta C++ core) and imghash, one core',
  run,
};

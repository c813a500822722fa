import { formatFixed, formatInt, formatRatio } from '../lib/stats.ts';
import type { ExactResult, IndexResult, Latency } from './jobs.ts';

const MB = 1_000_000;
const mb = (bytes: number) => formatFixed(bytes / MB, 0);
const ms = (value: number) => (value >= 10 ? formatFixed(value, 1) : formatFixed(value, 3));
const seconds = (milliseconds: number) => formatFixed(milliseconds / 1000, 1);
const qps = (latency: Latency) => formatInt(1000 / latency.meanMs);
const hashes = (n: number) => (n >= MB && n % MB === 0 ? `${n / MB}M` : formatInt(n));

function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function indexTables(results: readonly IndexResult[]): string {
  const single = table(
    [
      'Hashes',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'mean ms',
      'queries/s',
      'linear ms/query (queries)',
      'speed-up, mean',
      'speed-up, p50',
      'matches/query',
      'recall vs linear',
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    results.map((r) => [
      hashes(r.hashes),
      ms(r.single.p50Ms),
      ms(r.single.p90Ms),
      `**${ms(r.single.p99Ms)}**`,
      ms(r.single.maxMs),
      ms(r.single.meanMs),
      qps(r.single),
      `${ms(r.linearSingle.meanMs)} (${r.linearSingle.count})`,
      `**${formatRatio(r.linearSingle.meanMs, r.single.meanMs)}**`,
      formatRatio(r.linearSingle.p50Ms, r.single.p50Ms),
      `${formatFixed(r.meanMatches, 1)} (${formatFixed(100 * r.hitShare, 0)}% ≥ 1)`,
      `${r.recall.identical}/${r.recall.compared} identical`,
    ]),
  );
  const variants = table(
    [
      'Hashes',
      'p50 ms',
      'p99 ms',
      'max ms',
      'mean ms',
      'queries/s',
      'linear ms/query (queries)',
      'speed-up, mean',
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    results.map((r) => [
      hashes(r.hashes),
      ms(r.variants.p50Ms),
      `**${ms(r.variants.p99Ms)}**`,
      ms(r.variants.maxMs),
      ms(r.variants.meanMs),
      qps(r.variants),
      `${ms(r.linearVariants.meanMs)} (${r.linearVariants.count})`,
      `**${formatRatio(r.linearVariants.meanMs, r.variants.meanMs)}**`,
    ]),
  );
  const build = table(
    [
      'Hashes',
      'add s',
      'build s',
      'slot tables MB',
      'store MB',
      'id table MB',
      'total MB (`memoryBytes`)',
      'RSS growth MB',
      'peak RSS MB (incl. input)',
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    results.map((r) => [
      hashes(r.hashes),
      seconds(r.addMs),
      seconds(r.buildMs),
      mb(r.indexBytes),
      mb(r.storeBytes),
      mb(r.idTableBytes),
      `**${mb(r.memoryBytes)}**`,
      mb(r.rssDeltaBytes),
      mb(r.peakRssBytes),
    ]),
  );
  const updates = table(
    ['Hashes', 'added', 'removed', 'segments', 'tail rows', 'update time s', 'p50 ms', 'p99 ms', 'mean ms'],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    results.map((r) => {
      const u = r.afterUpdates;
      return [
        hashes(r.hashes),
        formatInt(u.added),
        formatInt(u.removed),
        String(u.segments),
        formatInt(u.tailRows),
        seconds(u.maintenanceMs),
        ms(u.single.p50Ms),
        ms(u.single.p99Ms),
        ms(u.single.meanMs),
      ];
    }),
  );
  return [
    'Baseline: **linear scan** of the same rows in the same process. Speed-up = linear ms / index ms per query.',
    '',
    '### Single-hash queries, distance ≤ 31',
    '',
    single,
    '',
    '### Queries of 8 variants (hash + 7 dihedral variants), distance ≤ 31',
    '',
    variants,
    '',
    '### Build time and memory',
    '',
    build,
    '',
    '### Single-hash queries after updates (adds and removes since the build)',
    '',
    updates,
  ].join('\n');
}

export function exactTable(results: readonly ExactResult[]): string {
  const baseline = results.find((r) => r.store === 'map');
  const rows = results.map((r) => [
    r.store === 'map' ? '`Map<string, number[]>` (baseline)' : '`ExactHashSet` (md5)',
    hashes(r.hashes),
    formatInt(r.buildMs),
    r.reportedBytes === undefined ? '–' : formatFixed(r.reportedBytes / r.hashes, 1),
    `**${formatFixed(r.heapAndBuffersDeltaBytes / r.hashes, 1)}**`,
    mb(r.rssDeltaBytes),
    formatInt(r.lookupsPerSecond),
    r === baseline || !baseline
      ? '–'
      : formatRatio(baseline.heapAndBuffersDeltaBytes, r.heapAndBuffersDeltaBytes),
  ]);
  return [
    '### Exact-hash sets: MD5',
    '',
    table(
      [
        'Store',
        'hashes',
        'build ms',
        'bytes/hash (reported)',
        'bytes/hash (heap + buffers growth)',
        'RSS growth MB',
        'lookups/s (half hits)',
        'memory vs Map',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows,
    ),
    '',
    'Each insert gets a fresh hex string (from raw digests prepared beforehand), as a decoded record would;',
    'the Map keeps its strings, `ExactHashSet` keeps 16 binary bytes per hash. Memory vs Map = Map bytes /',
    'these bytes (above 1: smaller).',
  ].join('\n');
}

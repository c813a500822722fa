import path from 'node:path';
import { runChildJob } from '../lib/child-job.ts';
import type { Memory } from '../lib/process-memory.ts';
import { formatInt } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import type { ReceiptsJob, ReceiptsResult } from './worker.ts';

const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const workerPath = path.join(import.meta.dirname, 'worker.ts');

function runJob(job: ReceiptsJob): Promise<ReceiptsResult> {
  return runChildJob<ReceiptsResult>(workerPath, job, {
    label: `receipts ${job.mode}`,
    timeoutMs: 3_600_000,
    execArgv: ['--expose-gc', '--max-old-space-size=12288'],
  });
}

const MiB = 1024 * 1024;
const mib = (bytes: number | undefined) =>
  bytes === undefined ? '-' : `${formatInt(Math.round(bytes / MiB))} MiB`;
const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const perSecond = (value: number | undefined) =>
  value === undefined ? '-' : `${formatInt(Math.round(value))}/s`;
const memoryCells = (memory: Memory) =>
  `${mib(memory.heapBytes)} | ${mib(memory.anonBytes)} | ${mib(memory.rssBytes)}`;

/**
 * Intake's receipts at a million bundles: the in-memory Map the ReceiptBook kept (baseline)
 * against the LMDB receipt store, the two embedded engines side by side (ADR 0015), and the
 * store's rebuild from a real status topic in full and from its checkpoint.
 */
export const receiptsSuite: Suite = {
  name: 'receipts',
  title: "Receipts: intake's LMDB receipt store vs the in-memory Map, LMDB vs LevelDB",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const receipts = Math.max(10_000, Math.round(1_000_000 * ctx.scale));
    const reads = Math.min(100_000, receipts);
    const topicReceipts = Math.max(5_000, Math.round(100_000 * ctx.scale));
    const tail = Math.max(100, Math.round(topicReceipts / 100));
    const results = new Map<string, ReceiptsResult>();
    for (const mode of ['map', 'lmdb-book', 'lmdb-raw', 'level-raw'] as const) {
      ctx.log(`${mode}: ${formatInt(receipts)} receipts`);
      results.set(mode, await runJob({ mode, receipts, reads }));
    }
    ctx.log(`rebuild: ${formatInt(topicReceipts)} receipts on a real topic, then ${formatInt(tail)} more`);
    const rebuild = await runJob({
      mode: 'rebuild',
      receipts: topicReceipts,
      reads: 0,
      tail,
      brokers: kafkaBrokers,
    });
    const map = results.get('map')!;
    const book = results.get('lmdb-book')!;
    const lmdbRaw = results.get('lmdb-raw')!;
    const levelRaw = results.get('level-raw')!;
    const encodedMean = Math.round(map.encodedBytes / map.receipts);
    const row = (label: string, result: ReceiptsResult) =>
      `| ${label} | ${seconds(result.loadMs)} (${perSecond(result.receipts / (result.loadMs / 1000))}) | ${memoryCells(result.loaded)} | ${mib(result.diskBytes)} | ${seconds(result.reopenMs)} | ${perSecond(result.readsPerSecond)} | ${result.afterReads ? memoryCells(result.afterReads) : '-'} |`;
    const markdown = [
      `${formatInt(receipts)} synthetic receipts (\`bench/receipts/synthetic-receipts.ts\`: one to three reports`,
      `each with four partner-hash warnings, one in ten re-sending an earlier report; ${formatInt(encodedMean)} bytes`,
      'Avro-encoded on average, 20 partners over 25 days). Each row is its own process (`--expose-gc`).',
      'Memory after a full GC: V8 heap; anonymous resident memory (RssAnon: heap, native allocations;',
      'what the kernel cannot drop); the resident set (RSS, which with LMDB also counts the mapped',
      'file pages read or written, page cache the kernel reclaims under pressure).',
      '',
      "- **Map baseline**: what the ReceiptBook kept before, every decoded receipt and each report's latest",
      '  version in `Map`s, fed the decoded receipts (loading from the topic adds the read, see below).',
      "- **Receipt store**: intake's store as it runs (`openLmdbStore` + `applyStatus`, the ReceiptBook's",
      '  flush: 2 000 receipts and the topic offsets per transaction), fed directly; reopened (with its',
      '  check of every page in a child process), then random receipt + version lookups.',
      '- **LMDB raw / LevelDB raw**: the two engines side by side, the Avro bytes as the value, 2 000 per',
      '  transaction (LMDB, synchronous, fsync per commit) or batch (classic-level, its default: written',
      '  to its log without fsync); LevelDB lookups are `await db.get` (it has no synchronous read).',
      '',
      `| ${formatInt(receipts)} receipts | load (rate) | heap | RssAnon | RSS | disk | reopen | lookups | heap after | RssAnon after | RSS after |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('Map baseline', map),
      row('Receipt store (LMDB)', book),
      row('LMDB raw', lmdbRaw),
      row('LevelDB raw (classic-level)', levelRaw),
      '',
      `Heap of the receipt store vs the Map: **${(map.loaded.heapBytes / book.loaded.heapBytes).toFixed(0)}× smaller**`,
      `(anonymous memory ${(map.loaded.anonBytes / book.loaded.anonBytes).toFixed(1)}× smaller).`,
      '',
      `From a real status topic (local Kafka, ${formatInt(rebuild.receipts)} receipts, then ${formatInt(tail)} more before the restart):`,
      '',
      '| read | time |',
      '| --- | ---: |',
      `| Map baseline (global table into Maps, the ReceiptBook before) | ${seconds(rebuild.mapLoadMs)} |`,
      `| receipt store, full rebuild (missing store) | ${seconds(rebuild.rebuildMs)} |`,
      `| receipt store, restart from its checkpoint (reads the ${formatInt(tail)}-record tail) | ${seconds(rebuild.resumeMs)} |`,
      '',
      `At a million receipts a full rebuild takes about ${seconds((rebuild.rebuildMs! * 1_000_000) / rebuild.receipts)}`,
      `(extrapolated linearly from the row above); a restart reads only the tail.`,
      '',
      'Repeat: `pnpm bench receipts` (`BENCH_SCALE=0.05 pnpm bench receipts` for a quick run).',
    ].join('\n');
    return {
      markdown,
      facts: [
        { name: 'Process', value: 'one child process per row, `--expose-gc`, `--max-old-space-size=12288`' },
        { name: 'Stores', value: 'lmdb 3.5.6, classic-level 3.0.0, on the local disk (tmpdir)' },
      ],
    };
  },
};

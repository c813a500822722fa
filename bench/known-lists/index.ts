import path from 'node:path';
import { runChildJob } from '../lib/child-job.ts';
import { formatInt } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import type { KnownListsJob, KnownListsResult } from './worker.ts';

const workerPath = path.join(import.meta.dirname, 'worker.ts');

function runJob(job: KnownListsJob): Promise<KnownListsResult> {
  return runChildJob<KnownListsResult>(workerPath, job, {
    label: `known-lists ${job.mode}`,
    timeoutMs: 600_000,
    execArgv: ['--expose-gc', '--max-old-space-size=8192'],
  });
}

/**
 * The hasher's known-list index at police-list sizes: load time, memory per entry and match
 * latency, against the baseline of holding the decoded rows (what a global table keeps).
 */
export const knownListsSuite: Suite = {
  name: 'known-lists',
  title: "Known-list index: the hasher's compact KnownHashIndex vs holding decoded rows",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const sizes = [1_000_000, 5_000_000].map((n) => Math.max(10_000, Math.round(n * ctx.scale)));
    const rows: string[] = [];
    for (const entries of sizes) {
      ctx.log(`${formatInt(entries)} entries, rows baseline`);
      const baseline = await runJob({ mode: 'rows', entries, queries: 20_000 });
      ctx.log(`${formatInt(entries)} entries, compact index`);
      const compact = await runJob({ mode: 'compact', entries, queries: 20_000 });
      rows.push(
        `| ${formatInt(entries)} | ${formatInt(Math.round(baseline.bytesPerEntry))} | ${formatInt(Math.round(compact.bytesPerEntry))} | **${(baseline.bytesPerEntry / compact.bytesPerEntry).toFixed(1)}× smaller** | ${(compact.loadMs / 1000).toFixed(1)} s | ${compact.matchP50Us.toFixed(0)} µs | ${compact.matchP99Us.toFixed(0)} µs |`,
      );
    }
    const markdown = [
      'Entries: 40 % MD5, 30 % SHA-1, 30 % PDQ (clustered like real lists), two lists. Baseline: the',
      'decoded `KnownHash` rows in a `Map` by key, as a global table would hold them (no index at all).',
      "Compact: `@triage/hash-lists`' `KnownHashIndex` (binary exact sets, PDQ multi-index, one 32-bit",
      'reference per entry to a shared list/version/category tag), built as the hasher builds it.',
      'Memory is V8 heap plus external memory (typed arrays) after a full GC, per entry. A match looks up',
      'MD5, SHA-1 and SHA-256 and queries PDQ at distance 31 (single variant); half the queries hit.',
      '',
      '| Entries | Rows baseline bytes/entry | Compact bytes/entry | Ratio | Compact load + build | Match p50 | Match p99 |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n');
    return {
      markdown,
      facts: [{ name: 'Process', value: 'one child process per measurement, `--expose-gc`' }],
    };
  },
};

// The fault tier's feed: generated once per run (seeded, with its ground truth) at the size the
// environment asks for, and pushed as its partners push it: one package after the other, each
// with its bundle ref as Idempotency-Key, waiting out 408/429/503 and broken connections (intake
// killed) with the same key, so a retry can never be accepted twice.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type GroundTruth, generateFeed, uploadPackage } from '@triage/feed';

/** Feed size: `TRIAGE_FAULT_REPORTS` (800 for `pnpm faults`), CI's smaller default otherwise. */
export const faultFeedSize = {
  reports: Number(process.env.TRIAGE_FAULT_REPORTS || 24),
  maxFiles: Number(process.env.TRIAGE_FAULT_MAX_FILES || 12),
} as const;

/** The items a report must end with: its files, then its distinct URLs (the splitter's ids). */
export function truthItemIds(truth: GroundTruth): Map<string, string[]> {
  const byReport = new Map<string, string[]>(truth.reports.map((report) => [report.reportId, []]));
  for (const item of truth.items) byReport.get(reportOf(item.itemId))?.push(item.itemId);
  for (const report of truth.reports)
    for (let index = 0; index < report.urlCount; index++)
      byReport.get(report.reportId)!.push(`${report.reportId}/url:${index}`);
  return byReport;
}

export const reportOf = (itemId: string) => itemId.slice(0, itemId.lastIndexOf('/'));

export async function generateFaultFeed(out: string, seed = 15): Promise<GroundTruth> {
  await generateFeed({
    seed,
    reports: faultFeedSize.reports,
    maxFiles: faultFeedSize.maxFiles,
    out,
    format: 'json',
    concurrency: 2,
  });
  return JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8')) as GroundTruth;
}

/** What the partners got back: one outcome per package, in feed order. */
export interface PushOutcome {
  readonly path: string;
  readonly status: number;
  /** Requests sent: more than 1 when a retry was needed (intake down, a broken connection). */
  readonly attempts: number;
  readonly reportIds: readonly string[];
  readonly body: Record<string, unknown>;
}

export interface PushOptions {
  feedDir: string;
  truth: GroundTruth;
  intakeUrl: string;
  keys: ReadonlyMap<string, string>;
  /** Called just before package `index` is sent (not awaited: a test starts a fault from it). */
  beforeUpload?: (index: number) => void;
}

/** Every package in feed order; resolves with each receipt once the last is answered. */
export async function pushFaultFeed(options: PushOptions): Promise<PushOutcome[]> {
  const outcomes: PushOutcome[] = [];
  for (const [index, entry] of options.truth.packages.entries()) {
    options.beforeUpload?.(index);
    const outcome = await uploadPackage(
      {
        path: path.join(options.feedDir, entry.path),
        apiKey: options.keys.get(entry.partnerId)!,
        bundleRef: entry.bundleRef,
      },
      // Intake killed and restarted, or the splitter's lag: wait minutes rather than give up.
      { intakeUrl: options.intakeUrl, maxRetries: 30 },
    );
    const reports = (outcome.body.reports ?? []) as { reportId: string }[];
    outcomes.push({
      path: entry.path,
      status: outcome.status,
      attempts: outcome.attempts,
      reportIds: reports.map((report) => report.reportId),
      body: outcome.body,
    });
  }
  return outcomes;
}

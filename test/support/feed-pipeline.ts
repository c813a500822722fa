// Shared by the feed e2e tests: a generated feed and its ground truth, its demo list imported, a
// listening intake with the splitter and the hasher (both groups) in the test process, and every
// package pushed the way its partner sends it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type GenerateFeedOptions, type GroundTruth, generateFeed, uploadPackage } from '@triage/feed';
import { importHashList } from '@triage/hash-lists';
import { createHasherService, createPooledMediaHasher, type HasherService } from '@triage/hasher/service';
import { type IntakeProcess, startIntakeProcess } from '@triage/intake/testing';
import type { KafkaConnection } from '@triage/messaging';
import { createSplitterService, type SplitterService } from '@triage/splitter/service';
import { expect } from 'vitest';
import { codec, expectedBundleId, logger } from './pipeline.ts';

/** The list name the feed's `known-hashes.csv` is imported under. */
export const demoList = 'feed-demo';

/** Generates a feed into `out` and reads its ground truth. */
export async function generateTruthFeed(options: GenerateFeedOptions): Promise<GroundTruth> {
  await generateFeed(options);
  return JSON.parse(await readFile(path.join(options.out, 'ground-truth.json'), 'utf8')) as GroundTruth;
}

/** The feed's known-hash CSV as list `feed-demo` version `e2e`, the way `pnpm triage hashes import` loads it. */
export async function importDemoList(connection: KafkaConnection, out: string): Promise<void> {
  const file = path.join(out, 'known-hashes.csv');
  const csv = await readFile(file, 'utf8');
  const imported = await importHashList({ file, list: demoList, version: 'e2e', connection, codec });
  const rows = csv.split('\n').filter((line) => /^[0-9a-f]+,/.test(line));
  expect(imported.counts.entries).toBe(rows.length);
}

/** Intake (own process), the splitter and the hasher + dedupe, up to items.hashed.v1. */
export interface Upstream {
  readonly intake: IntakeProcess;
  readonly splitter: SplitterService;
  readonly hasher: HasherService;
  /** Stops what runs, last stage first. */
  stop(): Promise<void>;
}

/** Starts intake for the feed's partners, then the splitter and the hasher on the same topics. */
export async function startUpstream(
  connection: KafkaConnection,
  root: string,
  truth: GroundTruth,
): Promise<Upstream> {
  const intake = await startIntakeProcess({
    connection,
    root: path.join(root, 'intake'),
    partners: truth.partners.map((partner) => partner.partnerId),
    env: { INTAKE_SPLITTER_GROUP_ID: 'splitter-e2e', INTAKE_LAG_CHECK_INTERVAL_MS: '1000' },
  });
  const splitter = createSplitterService({ connection, codec, logger, groupId: 'splitter-e2e' });
  const hasher = createHasherService({
    connection,
    codec,
    logger,
    mediaHasher: createPooledMediaHasher({
      contentStore: { root: intake.contentRoot },
      maxPixels: 50_000_000,
      threads: 2,
    }),
    hasherGroupId: 'hasher-e2e',
    dedupeGroupId: 'dedupe-e2e',
    pdqMatchDistance: 31,
    pdqMinQuality: 50,
    stateDir: path.join(root, 'hasher-state'),
  });
  const stop = async () => {
    await hasher.stop();
    await splitter.stop();
    await intake.stop();
  };
  try {
    await Promise.all([splitter.start(), hasher.start()]);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { intake, splitter, hasher, stop };
}

/**
 * Every package, one after the other (so bundles have distinct receipt times), as its partner
 * sends it; checks each receipt, then awaits `afterEach` (e.g. until the pipeline has caught up).
 * Returns when intake accepted each report (epoch ms).
 */
export async function pushFeed(
  intake: IntakeProcess,
  out: string,
  truth: GroundTruth,
  afterEach: (entry: GroundTruth['packages'][number]) => Promise<void> = async () => undefined,
): Promise<Map<string, number>> {
  const receivedAt = new Map<string, number>();
  for (const entry of truth.packages) {
    const outcome = await uploadPackage(
      {
        path: path.join(out, entry.path),
        apiKey: intake.keys.get(entry.partnerId)!,
        bundleRef: entry.bundleRef,
      },
      { intakeUrl: intake.url, maxRetries: 5 },
    );
    expect(outcome.status, `${entry.path}: ${JSON.stringify(outcome.body)}`).toBe(202);
    expect(outcome.body.bundleId).toBe(expectedBundleId(entry.partnerId, entry.bundleRef));
    const reports = outcome.body.reports as { reportId: string; version: number }[];
    expect(reports.map((report) => report.reportId)).toEqual(entry.reportIds);
    for (const report of reports)
      receivedAt.set(report.reportId, Date.parse(String(outcome.body.receivedAt)));
    await afterEach(entry);
  }
  return receivedAt;
}

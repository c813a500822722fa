// Issue 9, part 3: `triage explain` makes the pipeline's dedupe decisions. A small generated feed
// goes through intake, the splitter and the hasher (both groups) on the real broker, one package
// at a time; `triage explain` then runs over the same packages in the same order. Every file
// item's first sighting, report count and near-duplicate cluster must agree.
//
// What can legitimately differ, and why the comparison is what it is:
// - Both sides run @triage/dedupe's `dedupeFile`, whose answers depend only on the order in which
//   items are decided. Explain decides in package, report and item order. The pipeline decides in
//   the order the dedupe group reads `media.observed.v1` (key sha256): across reports that is push
//   order only because the test sends one report per package and waits until its items are on
//   `items.hashed.v1` before sending the next; within one report the items are spread over the
//   topic's partitions by sha256, which the group reads side by side, so their order is not fixed.
// - First sighting and report count do not depend on the order within a report (a report counts
//   once per file however many of its items carry it): they must be equal.
// - A cluster is named after the file that founded it. When a cluster's first report carries two
//   or more of its files, either may found it in the pipeline, so the ids are compared as: the
//   same partition of items into clusters, and each side's id is a file of the cluster's first
//   report. The partition itself is order-independent when a cluster's files are pairwise within
//   the match distance (then whichever comes first, the others join it); the test checks that
//   this holds for the feed, so a feed where it does not fails here instead of flaking.
// - `nearestSha256`/`nearestDistance` name the nearest file decided earlier, which within a
//   report depends on that order too: not compared.
// - Report ids differ by partner (explain runs with `--partner local`): ids are compared by the
//   partner's report id, which the feed keeps unique across partners.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { allTopics, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import type { Dedupe, HashedItem, Hashes } from '@triage/schemas';
import { expect } from 'vitest';
import { generateTruthFeed, pushFeed, startUpstream, type Upstream } from './support/feed-pipeline.ts';
import { codec, logger, recordCounts } from './support/pipeline.ts';
import { runTriage } from './support/triage-cli.ts';

// Seed 149: near-duplicate cluster reports, exact duplicates across reports,
// a viral report of memes and their near-duplicates. One report per package, so the pipeline's
// order across reports is the push order.
const feedOptions = { seed: 149, reports: 30, maxFiles: 30, format: 'json', reportsPerBundle: 1 } as const;
const pdqMatchDistance = 31;

interface ExplainedDedupe extends Dedupe {
  itemId: string;
  sha256: string;
}

/** `partner:123/file-1` -> `123/file-1`; `partner:123` -> `123`. */
const withoutPartner = (id: string) => id.slice(id.indexOf(':') + 1);
const reportOf = (itemId: string) => itemId.slice(0, itemId.lastIndexOf('/'));

/** Best Hamming distance between two files' PDQs over the first one's dihedral variants. */
function pdqDistance(a: Hashes, b: Hashes): number {
  const bits = (x: string, y: string) =>
    (BigInt(`0x${x}`) ^ BigInt(`0x${y}`)).toString(2).replaceAll('0', '').length;
  const variants = a.pdqDihedral.length > 0 ? a.pdqDihedral : [a.pdq!];
  return Math.min(...variants.map((variant) => bits(variant, b.pdq!)));
}

/** Clusters as sorted lists of item ids, sorted: the partition, whatever the clusters are named. */
function partition(clusterOf: ReadonlyMap<string, string | null>): string[][] {
  const members = new Map<string, string[]>();
  for (const [itemId, clusterId] of clusterOf) {
    if (clusterId !== null) members.set(clusterId, [...(members.get(clusterId) ?? []), itemId]);
  }
  return [...members.values()].map((items) => items.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

kafkaTest(
  'given a generated feed, when it goes through the pipeline one package at a time and `triage explain` runs over the same packages, then every file gets the same first sighting, report count and cluster',
  async ({ kafka }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'e2e-explain-'));
    const out = path.join(root, 'feed');
    let upstream: Upstream | undefined;
    try {
      const truth = await generateTruthFeed({ ...feedOptions, out });
      expect(truth.packages.every((entry) => entry.reportIds.length === 1)).toBe(true);
      expect(truth.exactDuplicateGroups.length).toBeGreaterThan(0);
      expect(truth.nearDuplicateGroups.length).toBeGreaterThan(0);
      const itemsOf = new Map(
        truth.reports.map((report) => [report.reportId, report.fileCount + report.urlCount]),
      );

      await kafka.createTopics(allTopics);
      upstream = await startUpstream(kafka.connection, root, truth);
      // One package at a time, each through dedupe before the next is sent.
      let expected = 0;
      await pushFeed(upstream.intake, out, truth, async (entry) => {
        expected += entry.reportIds.reduce((sum, reportId) => sum + itemsOf.get(reportId)!, 0);
        const deadline = Date.now() + 60_000;
        for (;;) {
          const counts = await recordCounts(kafka.connection, [pipelineTopics.itemsHashed]);
          if (counts[pipelineTopics.itemsHashed.name]! >= expected) return;
          if (Date.now() > deadline)
            throw new Error(`${entry.path}: items.hashed has ${JSON.stringify(counts)} of ${expected}`);
          await sleep(100);
        }
      });
      const hashed = new Map<string, HashedItem>();
      for (const record of await kafka.readTopic(pipelineTopics.itemsHashed.name, expected)) {
        const value = codec.decode('HashedItem', record.value!);
        if (value.dedupe !== null) hashed.set(withoutPartner(value.item.itemId), value);
      }
      expect(hashed.size).toBe(truth.items.length);

      const { stdout, code } = await runTriage([
        'explain',
        ...truth.packages.map((entry) => path.join(out, entry.path)),
        '--now',
        truth.asOf,
      ]);
      expect(code).toBe(0);
      const explained = new Map(
        (JSON.parse(stdout).dedupe as ExplainedDedupe[]).map((facts) => [
          withoutPartner(facts.itemId),
          facts,
        ]),
      );
      expect([...explained.keys()].sort()).toEqual([...hashed.keys()].sort());

      // First sighting and report count, item by item.
      const pipelineFacts = [...hashed].map(([itemId, value]) => ({
        itemId,
        firstSeen: withoutPartner(value.dedupe!.firstSeenReportId),
        reportCount: value.dedupe!.reportCount,
      }));
      const explainFacts = pipelineFacts.map(({ itemId }) => ({
        itemId,
        firstSeen: withoutPartner(explained.get(itemId)!.firstSeenReportId),
        reportCount: explained.get(itemId)!.reportCount,
      }));
      expect(explainFacts).toEqual(pipelineFacts);
      expect(pipelineFacts.some((facts) => facts.reportCount > 1)).toBe(true);

      // Clusters: the same partition of items.
      const pipelineClusters = new Map(
        [...hashed].map(([itemId, value]) => [itemId, value.dedupe!.nearDuplicateClusterId]),
      );
      const explainClusters = new Map(
        [...explained].map(([itemId, facts]) => [itemId, facts.nearDuplicateClusterId]),
      );
      const clusters = partition(pipelineClusters);
      expect(partition(explainClusters)).toEqual(clusters);
      expect(clusters.some((items) => new Set(items.map(reportOf)).size > 1)).toBe(true);

      // Its precondition: the files of a cluster are pairwise near duplicates.
      const far = clusters.flatMap((items) =>
        items.flatMap((a) =>
          items
            .filter((b) => pdqDistance(hashed.get(a)!.hashes!, hashed.get(b)!.hashes!) > pdqMatchDistance)
            .map((b) => `${a} ~ ${b}`),
        ),
      );
      expect(far).toEqual([]);

      // Each side's cluster id is a file of the cluster's first report (push order).
      const order = new Map(
        truth.packages.map((entry, index) => [withoutPartner(entry.reportIds[0]!), index]),
      );
      const misnamed = clusters.flatMap((items) => {
        const first = items.reduce((a, b) => (order.get(reportOf(b))! < order.get(reportOf(a))! ? b : a));
        const founders = new Set(
          items
            .filter((itemId) => reportOf(itemId) === reportOf(first))
            .map((itemId) => hashed.get(itemId)!.item.sha256),
        );
        return [pipelineClusters.get(first)!, explainClusters.get(first)!]
          .filter((clusterId) => !founders.has(clusterId))
          .map((clusterId) => `${items.join(', ')}: ${clusterId}`);
      });
      expect(misnamed).toEqual([]);
    } catch (error) {
      if (upstream) logger.error({ intake: upstream.intake.output().slice(-4000) }, 'intake output');
      throw error;
    } finally {
      await upstream?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
);

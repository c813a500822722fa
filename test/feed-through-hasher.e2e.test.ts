// A generated synthetic feed pushed through a listening intake, the splitter and the hasher (both
// groups) on the real broker, with the feed's demo known-hash list imported: what comes out on
// items.hashed.v1 checked against the feed's ground truth.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FEED_FORMATS } from '@triage/feed';
import { allTopics, pipelineTopics, stateTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import type { HashedItem, MediaSummary } from '@triage/schemas';
import { expect } from 'vitest';
import {
  demoList,
  generateTruthFeed,
  importDemoList,
  pushFeed,
  startUpstream,
  type Upstream,
} from './support/feed-pipeline.ts';
import { codec, groupBy, logger } from './support/pipeline.ts';

// 25 reports of every partner, 5 URLs, 2 wrong partner MD5s, three listed families and one
// unlisted, viral memes; JSON and ZIP 146 files (68 distinct) with a text file, XML (which draws
// no JSON-only scenario, so another plan) 190 files (57 distinct).
const feedOptions = { seed: 20, reports: 25, maxFiles: 40 } as const;

kafkaTest.for(FEED_FORMATS)(
  'given a synthetic %s feed and its demo list, when pushed through intake, splitter and hasher, then items.hashed agrees with the ground truth',
  async (format, { kafka }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'e2e-feed-'));
    const out = path.join(root, 'feed');
    let upstream: Upstream | undefined;
    try {
      const truth = await generateTruthFeed({ ...feedOptions, format, out });
      await kafka.createTopics(allTopics);
      await importDemoList(kafka.connection, out);
      upstream = await startUpstream(kafka.connection, root, truth);
      const receivedAt = await pushFeed(upstream.intake, out, truth);

      // Every file and URL item, once hashed and deduped.
      const expectedUrls = truth.reports.reduce((sum, report) => sum + report.urlCount, 0);
      const expectedCount = truth.items.length + expectedUrls;
      const hashed = new Map<string, HashedItem>();
      await kafka.readTopic(
        pipelineTopics.itemsHashed.name,
        (records) => {
          const last = records.at(-1);
          if (last?.value) {
            const value = codec.decode('HashedItem', last.value);
            hashed.set(value.item.itemId, value);
          }
          return hashed.size >= expectedCount;
        },
        120_000,
      );
      const files = truth.items.map((item) => ({ truth: item, hashed: hashed.get(item.itemId) }));
      expect(files.filter((file) => file.hashed === undefined).map((file) => file.truth.itemId)).toEqual([]);
      const urlItems = [...hashed.values()].filter((value) => value.item.kind === 'url');
      expect(urlItems).toHaveLength(expectedUrls);
      expect(hashed.size).toBe(expectedCount);
      for (const value of urlItems)
        expect(value, value.item.itemId).toMatchObject({ hashes: null, dedupe: null, matches: [] });

      // The stored bytes are the generated ones: sha256 (so every exact-duplicate group shares
      // one), MD5, size and sniffed type.
      for (const { truth: expected, hashed: actual } of files) {
        expect(actual!.item, expected.itemId).toMatchObject({
          kind: 'file',
          sha256: expected.sha256,
          size: expected.size,
          mediaType: expected.mediaType,
        });
        expect(actual!.hashes, expected.itemId).toMatchObject({
          sha256: expected.sha256,
          md5: expected.md5,
          perceptualStatus: expected.origin === 'text' ? 'not_image' : 'hashed',
        });
      }
      for (const group of truth.exactDuplicateGroups) {
        expect(
          new Set(group.itemIds.map((itemId) => hashed.get(itemId)!.hashes!.sha256)),
          group.sha256,
        ).toEqual(new Set([group.sha256]));
      }

      // Dedupe: per distinct file, the reports carrying it; the first is the earliest receipt
      // (report id breaking ties within a bundle), the count is every carrier.
      const carriers = new Map(
        [...groupBy(truth.items, (item) => item.sha256)].map(([sha256, items]) => [
          sha256,
          [...new Set(items.map((item) => item.itemId.slice(0, item.itemId.lastIndexOf('/'))))].sort(
            (a, b) => receivedAt.get(a)! - receivedAt.get(b)! || (a < b ? -1 : 1),
          ),
        ]),
      );
      const summaries = new Map<string, MediaSummary>();
      await kafka.readTopic(
        stateTopics.dedupeMedia.name,
        (records) => {
          const last = records.at(-1);
          if (last?.value) summaries.set(last.key, codec.decode('MediaSummary', last.value));
          return [...carriers].every(
            ([sha256, reports]) => summaries.get(sha256)?.reportCount === reports.length,
          );
        },
        30_000,
      );
      for (const [sha256, reports] of carriers) {
        expect(summaries.get(sha256), sha256).toMatchObject({
          firstSeenReportId: reports[0],
          firstSeenAt: receivedAt.get(reports[0]!),
          reportCount: reports.length,
        });
      }
      for (const { truth: expected, hashed: actual } of files) {
        const reports = carriers.get(expected.sha256)!;
        const dedupe = actual!.dedupe!;
        // As known when the item was processed: a carrier no later than this item's report.
        expect(reports, expected.itemId).toContain(dedupe.firstSeenReportId);
        expect(dedupe.firstSeenAt, expected.itemId).toBeLessThanOrEqual(actual!.item.receivedAt);
        if (actual!.item.reportId === reports[0])
          expect(dedupe.firstSeenReportId, expected.itemId).toBe(reports[0]);
      }
      for (const [sha256, reports] of carriers) {
        const ordinals = new Map<string, number>();
        for (const { hashed: actual } of files.filter((file) => file.truth.sha256 === sha256)) {
          ordinals.set(actual!.item.reportId, actual!.dedupe!.reportCount);
        }
        expect(
          [...ordinals.values()].sort((a, b) => a - b),
          sha256,
        ).toEqual(reports.map((_, index) => index + 1));
      }

      // Near duplicates: each family's members in one cluster, no two families in the same one,
      // and no image outside a family in a family's cluster.
      const clusterOf = (itemId: string) => hashed.get(itemId)!.dedupe!.nearDuplicateClusterId;
      const familyClusters = new Map(
        truth.nearDuplicateGroups.map((group) => [
          group.family,
          [...new Set(group.members.map((member) => clusterOf(member.itemId)))],
        ]),
      );
      const split = [...familyClusters]
        .filter(([, clusters]) => clusters.length !== 1 || clusters[0] === null)
        .map(([family, clusters]) => ({
          family,
          clusters: clusters.map((cluster) =>
            truth.nearDuplicateGroups
              .find((group) => group.family === family)!
              .members.filter((member) => clusterOf(member.itemId) === cluster)
              .map((member) => {
                const hashes = hashed.get(member.itemId)!.hashes;
                return `${member.itemId} ${member.edit}: cluster ${cluster?.slice(0, 12) ?? 'none'}, PDQ quality ${hashes?.pdqQuality}`;
              }),
          ),
        }));
      expect(split).toEqual([]);
      const clusterFamilies = groupBy([...familyClusters], ([, clusters]) => String(clusters[0]));
      expect([...clusterFamilies.values()].filter((families) => families.length > 1)).toEqual([]);
      const inFamily = new Set(
        truth.nearDuplicateGroups.flatMap((group) => group.members.map((member) => member.itemId)),
      );
      const strays = files
        .filter(
          ({ truth: expected }) =>
            !inFamily.has(expected.itemId) && clusterFamilies.has(String(clusterOf(expected.itemId))),
        )
        .map(({ truth: expected }) => `${expected.itemId} (${expected.origin})`);
      expect(strays).toEqual([]);

      // Known content: every item the ground truth calls known matches the demo list by the same
      // hash type and category; no other item matches it.
      const knownByItem = new Map(truth.knownMatches.map((match) => [match.itemId, match]));
      const matched = files.filter(({ hashed: actual }) =>
        actual!.matches.some((match) => match.listName === demoList),
      );
      expect(matched.map(({ truth: expected }) => expected.itemId).sort()).toEqual(
        [...knownByItem.keys()].sort(),
      );
      for (const { truth: expected, hashed: actual } of files) {
        if (expected.known === null) continue;
        const known = knownByItem.get(expected.itemId)!;
        expect(actual!.matches, expected.itemId).toContainEqual(
          expect.objectContaining({
            listName: demoList,
            listVersion: 'e2e',
            hashType: known.match.toUpperCase(),
            category: known.category,
          }),
        );
      }

      // Partner hashes: the generated wrong MD5s are mismatches; every other MD5 and SHA1 matches.
      const mismatches = new Set(truth.partnerHashMismatches.map((entry) => entry.itemId));
      expect(mismatches.size).toBeGreaterThan(0);
      for (const { truth: expected, hashed: actual } of files) {
        const md5Check = actual!.item.partnerHashChecks.find((check) => check.hashType === 'MD5');
        const sha1Check = actual!.item.partnerHashChecks.find((check) => check.hashType === 'SHA1');
        expect(md5Check, expected.itemId).toMatchObject({
          computedValue: expected.md5,
          status: mismatches.has(expected.itemId) ? 'mismatch' : 'match',
        });
        expect(sha1Check?.status, expected.itemId).toBe('match');
      }
    } catch (error) {
      if (upstream) logger.error({ intake: upstream.intake.output().slice(-4000) }, 'intake output');
      throw error;
    } finally {
      await upstream?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
);

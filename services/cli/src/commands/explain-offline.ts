// `triage explain` without the pipeline: intake's parsing and the splitter's split, the hasher's
// hashing and list matching, dedupe and links within the packages given, enrichment, scoring.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type MediaSink, splitBundle, validateBundlePath } from '@triage/bundles';
import { InMemoryDedupe } from '@triage/dedupe';
import {
  KnownHashIndex,
  knownHashKey,
  listNamePattern,
  openHashListFile,
  readHashList,
  toKnownHash,
} from '@triage/hash-lists';
import { type ByteSource, hashesRecord, hashMedia } from '@triage/hashing';
import { pdqDefaults } from '@triage/matching';
import type {
  Bundle,
  Case,
  Dedupe,
  EnrichedItem,
  Hashes,
  Item,
  KnownHash,
  LinkedReport,
  NetworkEnrichment,
  Report,
} from '@triage/schemas';
import {
  buildCase,
  identifierRows,
  type ReportEvidence,
  reportIdentifiers,
  type ScoringRules,
  SuspectLinkIndex,
  scoreReport,
} from '@triage/scoring';

/** What explain needs of `@triage/enrichment`'s NetworkEnricher. */
interface ExplainEnricher {
  enrichItem(item: Item): NetworkEnrichment[];
  enrichReport(report: Report): NetworkEnrichment[];
}

export interface ExplainOptions {
  /** Packages (bundle.json, report XML, ZIP, folder): dedupe and links reach across all of them, no further. */
  readonly packages: readonly string[];
  readonly partnerId: string;
  /** Known-hash lists (VICS JSON or CSV). */
  readonly known: readonly string[];
  readonly rules: ScoringRules;
  /** Recency is measured from here (epoch ms). */
  readonly now: number;
  readonly enricher: ExplainEnricher | null;
}

/** A sink that hashes each media entry as the hasher would (exact hashes and PDQ) and keeps only the hashes. */
function hashingSink(hashes: Map<string, Hashes>): MediaSink {
  return {
    async accept(_entryName, bytes) {
      const result = await hashMedia(bytes as unknown as ByteSource);
      hashes.set(result.sha256, hashesRecord(result));
      return {
        sha256: result.sha256,
        md5: result.md5,
        sha1: result.sha1,
        size: result.size,
        mediaType: result.mediaType,
      };
    },
  };
}

/** Every list read into the hasher's index; the list is named after its file. */
async function knownHashIndex(files: readonly string[], importedAt: number): Promise<KnownHashIndex> {
  const index = new KnownHashIndex({
    pdqMatchDistance: pdqDefaults.matchDistance,
    pdqMinQuality: pdqDefaults.minQuality,
  });
  for (const file of files) {
    const base = path
      .basename(file)
      .replace(/\.[^.]*$/, '')
      .replace(/[^A-Za-z0-9._-]/g, '-');
    const listName = listNamePattern.test(base) ? base : 'known';
    const reader = await readHashList((await openHashListFile(file)).chunks);
    for await (const entry of reader.items) {
      if (entry.kind !== 'entry') continue;
      const record = toKnownHash(entry.entry, { listName, listVersion: 'file', importedAt }) as KnownHash;
      index.apply(knownHashKey(listName, entry.entry.hashType, entry.entry.value), record);
    }
  }
  index.optimize();
  return index;
}

interface OfflineItem {
  item: Item;
  hashes: Hashes | null;
}

/** One item's seen-before facts, as `triage explain` prints them beside the cases. */
interface ExplainedDedupe extends Dedupe {
  itemId: string;
  sha256: string;
}

/**
 * Seen-before facts within the given packages: @triage/dedupe's decision, the one the hasher's
 * dedupe stage makes, over every file item in the order the pipeline would see them (package
 * order, report order within a package, item order within a report). Nothing before the first
 * package is known.
 */
function offlineDedupe(items: readonly OfflineItem[]): ExplainedDedupe[] {
  const dedupe = new InMemoryDedupe({
    pdqMatchDistance: pdqDefaults.matchDistance,
    pdqMinQuality: pdqDefaults.minQuality,
  });
  return items.flatMap(({ item, hashes }) => {
    if (item.sha256 === null) return [];
    const { itemId, reportId, receivedAt, sha256 } = item;
    return [{ itemId, sha256, ...dedupe.observe({ sha256, reportId, itemId, receivedAt, hashes }) }];
  });
}

/**
 * The bundle stamped after `previous` when validation stamped it at the same millisecond: intake
 * receives packages one after another, and equal receipt times would let report ids rather than
 * package order pick a file's first sighting.
 */
function receivedAfter(bundle: Bundle, previous: number): Bundle {
  if (bundle.receivedAt > previous) return bundle;
  const receivedAt = previous + 1;
  return {
    ...bundle,
    receivedAt,
    reports: bundle.reports.map((bundled) => ({ ...bundled, report: { ...bundled.report, receivedAt } })),
  };
}

/**
 * Reports sharing a normalised suspect identifier, within the given packages: the scorer's own
 * link index and rows, so a case lists its links as the pipeline would (sorted, capped).
 */
function offlineLinks(reports: readonly Report[], phoneRegion: string): Map<string, LinkedReport[]> {
  // Links never leave this run, so any key links them as the scorer's shared one would: a fresh one.
  const keying = { phoneRegion, key: { id: 'offline', secret: randomBytes(32) } };
  const index = new SuspectLinkIndex({ keyId: keying.key.id });
  for (const report of reports) {
    for (const row of identifierRows(report, undefined, keying)) index.apply(row.key, row.value);
  }
  return new Map(
    reports.map((report) => [
      report.reportId,
      index.linksOf(report.reportId, reportIdentifiers(report, keying)),
    ]),
  );
}

export interface Explained {
  /** One case per report, in package order. */
  cases: Case[];
  /** Every file item's seen-before facts, in the order they were decided. */
  dedupe: ExplainedDedupe[];
}

/** Runs the offline pipeline over the packages. */
export async function explainPackages(options: ExplainOptions): Promise<Explained> {
  const hashes = new Map<string, Hashes>();
  const sink = hashingSink(hashes);
  const reports: Report[] = [];
  const items: OfflineItem[] = [];
  let lastReceivedAt = Number.NEGATIVE_INFINITY;
  for (const target of options.packages) {
    const validated = await validateBundlePath(target, { partnerId: options.partnerId, sink });
    const bundle = receivedAfter(validated.bundle, lastReceivedAt);
    lastReceivedAt = bundle.receivedAt;
    const split = splitBundle(bundle);
    reports.push(...split.reports);
    for (const item of split.items)
      items.push({ item, hashes: item.sha256 === null ? null : (hashes.get(item.sha256) ?? null) });
  }
  const index = await knownHashIndex(options.known, options.now);
  const dedupe = offlineDedupe(items);
  const dedupeOf = new Map(dedupe.map(({ itemId, sha256: _sha256, ...facts }) => [itemId, facts]));
  const links = offlineLinks(reports, options.rules.homeCountry);
  const enriched = new Map<string, EnrichedItem[]>();
  for (const { item, hashes: itemHashes } of items) {
    const list = enriched.get(item.reportId) ?? [];
    list.push({
      item,
      hashes: itemHashes,
      matches: itemHashes === null ? [] : index.match(itemHashes),
      dedupe: dedupeOf.get(item.itemId) ?? null,
      enrichment: options.enricher?.enrichItem(item) ?? [],
    });
    enriched.set(item.reportId, list);
  }
  const cases = reports.map((report) => {
    const evidence: ReportEvidence = {
      report,
      items: enriched.get(report.reportId) ?? [],
      reportEnrichment: options.enricher?.enrichReport(report) ?? [],
      links: links.get(report.reportId) ?? [],
      now: options.now,
    };
    return buildCase(evidence, scoreReport(evidence, options.rules), {
      provisional: false,
      updatedAt: options.now,
    });
  });
  return { cases, dedupe };
}

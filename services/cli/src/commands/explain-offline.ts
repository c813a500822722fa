// `triage explain` without the pipeline: intake's parsing and the splitter's split, the hasher's
// hashing and list matching, dedupe and links within the packages given, enrichment, scoring.
import path from 'node:path';
import { type MediaSink, splitBundle, validateBundlePath } from '@triage/bundles';
import {
  KnownHashIndex,
  knownHashKey,
  listNamePattern,
  openHashListFile,
  readHashList,
  toKnownHash,
} from '@triage/hash-lists';
import { type ByteSource, hashesRecord, hashMedia } from '@triage/hashing';
import { PdqIndex, pdqDefaults } from '@triage/matching';
import type {
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

const { matchDistance: PDQ_MATCH_DISTANCE, minQuality: PDQ_MIN_QUALITY } = pdqDefaults;

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
  const index = new KnownHashIndex({ pdqMatchDistance: PDQ_MATCH_DISTANCE, pdqMinQuality: PDQ_MIN_QUALITY });
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

/**
 * Seen-before facts within the given packages. Unlike the pipeline (which only knows earlier
 * reports), this is symmetric: `reportCount` counts every given report carrying the bytes, the
 * cluster is the connected set of PDQ neighbours (named after its first member), and the nearest
 * neighbour is taken from another report when there is one.
 */
function offlineDedupe(items: readonly OfflineItem[]): Map<string, Dedupe> {
  const reportsBySha = new Map<string, string[]>();
  const shas: string[] = [];
  const pdqOf = new Map<string, Hashes>();
  for (const { item, hashes } of items) {
    if (item.sha256 === null || hashes === null) continue;
    const carriers = reportsBySha.get(item.sha256);
    if (carriers === undefined) {
      reportsBySha.set(item.sha256, [item.reportId]);
      shas.push(item.sha256);
    } else if (!carriers.includes(item.reportId)) carriers.push(item.reportId);
    if (hashes.pdq !== null && (hashes.pdqQuality ?? 0) >= PDQ_MIN_QUALITY) pdqOf.set(item.sha256, hashes);
  }
  const ids = new Map(shas.map((sha, id) => [sha, id] as const));
  const index = new PdqIndex({ maxDistance: PDQ_MATCH_DISTANCE });
  for (const [sha, hashes] of pdqOf) index.add(ids.get(sha)!, hashes.pdq!);
  const neighbours = new Map<string, { sha256: string; distance: number }[]>();
  const parent = shas.map((_, id) => id);
  const root = (id: number): number => {
    while (parent[id] !== id) {
      parent[id] = parent[parent[id]!]!;
      id = parent[id]!;
    }
    return id;
  };
  for (const [sha, hashes] of pdqOf) {
    const variants = hashes.pdqDihedral.length > 0 ? hashes.pdqDihedral : [hashes.pdq!];
    const hits = index.query(variants, PDQ_MATCH_DISTANCE).filter((hit) => shas[hit.id] !== sha);
    neighbours.set(
      sha,
      hits.map((hit) => ({ sha256: shas[hit.id]!, distance: hit.distance })),
    );
    for (const hit of hits) {
      const [a, b] = [root(ids.get(sha)!), root(hit.id)];
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const dedupe = new Map<string, Dedupe>();
  for (const { item } of items) {
    if (item.sha256 === null || !reportsBySha.has(item.sha256)) continue;
    const carriers = reportsBySha.get(item.sha256)!;
    const elsewhere = (sha: string) => reportsBySha.get(sha)!.some((reportId) => reportId !== item.reportId);
    const nearest = [...(neighbours.get(item.sha256) ?? [])].sort(
      (a, b) =>
        Number(elsewhere(b.sha256)) - Number(elsewhere(a.sha256)) ||
        a.distance - b.distance ||
        (a.sha256 < b.sha256 ? -1 : 1),
    )[0];
    dedupe.set(item.itemId, {
      firstSeenReportId: carriers[0]!,
      firstSeenAt: item.receivedAt,
      reportCount: carriers.length,
      nearDuplicateClusterId: pdqOf.has(item.sha256) ? shas[root(ids.get(item.sha256)!)]! : null,
      nearestSha256: nearest?.sha256 ?? null,
      nearestDistance: nearest?.distance ?? null,
    });
  }
  return dedupe;
}

/**
 * Reports sharing a normalised suspect identifier, within the given packages: the scorer's own
 * link index and rows, so a case lists its links as the pipeline would (sorted, capped).
 */
function offlineLinks(reports: readonly Report[], phoneRegion: string): Map<string, LinkedReport[]> {
  const index = new SuspectLinkIndex();
  for (const report of reports) {
    for (const row of identifierRows(report, undefined, phoneRegion)) index.apply(row.key, row.value);
  }
  return new Map(
    reports.map((report) => [
      report.reportId,
      index.linksOf(report.reportId, reportIdentifiers(report, phoneRegion)),
    ]),
  );
}

/** Runs the offline pipeline over the packages and returns one case per report, in package order. */
export async function explainPackages(options: ExplainOptions): Promise<Case[]> {
  const hashes = new Map<string, Hashes>();
  const sink = hashingSink(hashes);
  const reports: Report[] = [];
  const items: OfflineItem[] = [];
  for (const target of options.packages) {
    const { bundle } = await validateBundlePath(target, { partnerId: options.partnerId, sink });
    const split = splitBundle(bundle);
    reports.push(...split.reports);
    for (const item of split.items)
      items.push({ item, hashes: item.sha256 === null ? null : (hashes.get(item.sha256) ?? null) });
  }
  const index = await knownHashIndex(options.known, options.now);
  const dedupe = offlineDedupe(items);
  const links = offlineLinks(reports, options.rules.homeCountry);
  const enriched = new Map<string, EnrichedItem[]>();
  for (const { item, hashes: itemHashes } of items) {
    const list = enriched.get(item.reportId) ?? [];
    list.push({
      item,
      hashes: itemHashes,
      matches: itemHashes === null ? [] : index.match(itemHashes),
      dedupe: dedupe.get(item.itemId) ?? null,
      enrichment: options.enricher?.enrichItem(item) ?? [],
    });
    enriched.set(item.reportId, list);
  }
  return reports.map((report) => {
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
}

import { describe, expect, it } from 'vitest';
import { CorpusGenerator, type CorpusOptions, corpusAsOf, corpusDays } from './corpus.ts';

const options: CorpusOptions = { seed: 99, cases: 200, itemsPerCase: 10 };

function generate(corpus: CorpusOptions) {
  const generator = new CorpusGenerator(corpus);
  const reports = Array.from({ length: corpus.cases }, (_, n) => generator.report(n));
  return { reports, shared: generator.sharedMedia() };
}

describe('the search corpus', () => {
  it('given the same seed and version, when generated twice, then the documents are identical', () => {
    expect(JSON.stringify(generate(options))).toBe(JSON.stringify(generate(options)));
  });

  it('given another seed, when generated, then the documents differ', () => {
    const a = generate(options).reports.map((report) => report.caseDocument.score);
    const b = generate({ ...options, seed: 100 }).reports.map((report) => report.caseDocument.score);
    expect(a).not.toEqual(b);
  });

  it('given 200 cases of 10 items on average, when generated, then there are exactly 2 000 items with unique ids', () => {
    const { reports } = generate(options);
    const ids = reports.flatMap((report) => report.items.map((item) => item.id));
    expect(ids).toHaveLength(2_000);
    expect(new Set(ids).size).toBe(2_000);
    expect(new Set(reports.map((report) => report.reportId)).size).toBe(200);
  });

  it('given a case, when generated, then its document is the indexer\u2019s: a final case with report text and its items summarised', () => {
    const [report] = generate(options).reports;
    const document = report!.caseDocument;
    expect(document.hasCase).toBe(true);
    expect(document.provisional).toBe(false);
    expect(document.items).toHaveLength(report!.items.length);
    expect(document.itemsSeen).toBe(report!.items.length);
    expect(document.reportText?.text.split(' ').length).toBeGreaterThanOrEqual(20);
    expect(document.report!.receivedAt).toBeLessThanOrEqual(corpusAsOf);
    expect(document.report!.receivedAt).toBeGreaterThan(corpusAsOf - corpusDays * 86_400_000);
    expect(report!.items[0]!.document.reportId).toBe(report!.reportId);
  });

  it('given many cases, when generated, then tiers, statuses and novelty are spread like a queue (all present, P3 most common)', () => {
    const { reports } = generate({ ...options, cases: 2_000 });
    const count = (values: (string | null | undefined)[]) =>
      values.reduce<Record<string, number>>((counts, value) => {
        counts[String(value)] = (counts[String(value)] ?? 0) + 1;
        return counts;
      }, {});
    const tiers = count(reports.map((report) => report.caseDocument.tier));
    expect(Object.keys(tiers).sort()).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(Math.max(...Object.values(tiers))).toBe(tiers.P3);
    const statuses = count(reports.map((report) => report.caseDocument.triage.status));
    expect(Object.keys(statuses).sort()).toEqual(['closed', 'escalated', 'in_progress', 'null']);
    const novelty = count(
      reports.flatMap((report) => report.caseDocument.items!.map((item) => item.novelty)),
    );
    expect(Object.keys(novelty).sort()).toEqual(['known', 'near_duplicate', 'new', 'seen']);
  });

  it('given files shared by several reports, when generated, then each has one media document listing every report that carries it', () => {
    const { reports, shared } = generate(options);
    const carriers = new Map<string, Set<string>>();
    for (const report of reports) {
      for (const item of report.items) {
        const sha256 = item.document.sha256!;
        carriers.set(sha256, (carriers.get(sha256) ?? new Set()).add(report.reportId));
      }
    }
    const own = reports.flatMap((report) => report.media);
    const media = [...own, ...shared];
    expect(new Set(media.map((doc) => doc.sha256)).size).toBe(media.length);
    expect(media).toHaveLength(carriers.size);
    for (const doc of media) expect(doc.reportIds).toEqual([...carriers.get(doc.sha256)!].sort());
    expect(shared.some((doc) => doc.reportIds.length > 1)).toBe(true);
  });

  it('given an id tag, when generated, then no report id is one of the untagged corpus', () => {
    const plain = new Set(generate(options).reports.map((report) => report.reportId));
    const tagged = generate({ ...options, idTag: 'L-' }).reports.map((report) => report.reportId);
    expect(tagged.filter((id) => plain.has(id))).toEqual([]);
  });
});

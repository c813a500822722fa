import type { RevealCaseFact, RevealItemFact } from '../media/reveal-gate.ts';
import { alias, run, type SearchDeps } from './case-store.ts';

/**
 * Most items (and so reports) read for one file. Each allowance of the gate is positive evidence,
 * so a file carried by more items than this can only be refused wrongly, never revealed wrongly.
 */
const revealFactLimit = 1_000;

/**
 * The gate's facts for one file: the items carrying it (report, viewed by the reporting company)
 * and the legal authority recorded on those reports' cases. Only these fields are read. The
 * named report's items and the viewed ones rank first, so a bounded read keeps what matters.
 */
export async function readRevealFacts(
  deps: SearchDeps,
  sha256: string,
  reportId: string,
): Promise<{ items: RevealItemFact[]; cases: RevealCaseFact[] }> {
  const itemsFound = await run('read the items carrying a file', () =>
    deps.client.search<{ reportId: string; fileViewedByEsp?: boolean | null }>({
      index: alias(deps, 'items'),
      query: {
        bool: {
          filter: [{ term: { sha256 } }],
          should: [{ term: { reportId } }, { term: { fileViewedByEsp: true } }],
        },
      },
      _source: ['reportId', 'fileViewedByEsp'],
      sort: [{ _score: { order: 'desc' } }, { reportId: { order: 'asc' } }],
      size: revealFactLimit,
    }),
  );
  const items = itemsFound.hits.hits.flatMap((hit) =>
    hit._source === undefined
      ? []
      : [{ reportId: hit._source.reportId, fileViewedByEsp: hit._source.fileViewedByEsp ?? null }],
  );
  const reportIds = [...new Set(items.map((item) => item.reportId))];
  if (reportIds.length === 0) return { items, cases: [] };
  const casesFound = await run('read the cases carrying a file', () =>
    deps.client.search<{ reportId: string; triage?: { legalAuthority?: string | null } }>({
      index: alias(deps, 'cases'),
      query: { terms: { reportId: reportIds } },
      _source: ['reportId', 'triage.legalAuthority'],
      size: reportIds.length,
    }),
  );
  const cases = casesFound.hits.hits.flatMap((hit) =>
    hit._source === undefined
      ? []
      : [{ reportId: hit._source.reportId, legalAuthority: hit._source.triage?.legalAuthority ?? null }],
  );
  return { items, cases };
}

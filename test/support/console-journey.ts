// The console journey's decisions, apart from the browser so they are unit-tested: which case of a
// generated feed gives an allowed and a denied reveal, which words make it the top of a filtered
// queue, and how numbers are read off the page.

/** What the items index says about one file item (the reveal gate's facts, plus what the page shows). */
export interface FileItemFact {
  reportId: string;
  sha256: string | null;
  mediaType: string | null;
  fileViewedByEsp: boolean | null;
  /** Known-list matches: such an item shows its list, not a picture (`known-match`), so it is not used. */
  matchCount: number;
}

/** A case whose page offers one reveal the API allows and one it refuses. */
export interface RevealCase {
  reportId: string;
  /** An image whose file some reporting company viewed (the gate's `fileViewedByEsp` basis). */
  allowed: string;
  /** An image no reporting company viewed, in no other report (so no legal authority elsewhere can open it). */
  denied: string;
}

const isPlainImage = (item: FileItemFact): item is FileItemFact & { sha256: string } =>
  item.sha256 !== null && (item.mediaType ?? '').startsWith('image/') && item.matchCount === 0;

/**
 * Every case with both kinds of reveal, by report id. A file counts as viewed when ANY item
 * carrying it was viewed (the gate reads every item of the sha256, ADR of issue 10), so a
 * denied file must be unviewed everywhere; it must also sit in this report only, so that no
 * other case's legal authority applies. No case has legal authority when the journey starts.
 */
export function revealCases(items: readonly FileItemFact[]): RevealCase[] {
  const viewed = new Set<string>();
  const reportsOf = new Map<string, Set<string>>();
  for (const item of items) {
    if (item.sha256 === null) continue;
    if (item.fileViewedByEsp === true) viewed.add(item.sha256);
    const reports = reportsOf.get(item.sha256) ?? new Set<string>();
    reports.add(item.reportId);
    reportsOf.set(item.sha256, reports);
  }
  const byReport = Map.groupBy(items.filter(isPlainImage), (item) => item.reportId);
  const found: RevealCase[] = [];
  for (const [reportId, images] of [...byReport].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const allowed = images.find((item) => viewed.has(item.sha256));
    const denied = images.find((item) => !viewed.has(item.sha256) && reportsOf.get(item.sha256)?.size === 1);
    if (allowed && denied) found.push({ reportId, allowed: allowed.sha256, denied: denied.sha256 });
  }
  return found;
}

/** Distinct words of a report's free text worth a full-text search (letters only, 4+), longest first. */
export function searchWords(text: string): string[] {
  const words = new Set(
    (text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((word) => !stopWords.has(word)),
  );
  return [...words].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

const stopWords = new Set([
  'with',
  'from',
  'that',
  'this',
  'have',
  'were',
  'they',
  'their',
  'about',
  'which',
]);

/** The first whole number in a text (`exposure-count`, `queue-total` say it with words around it). */
export function numberIn(text: string | null): number {
  const match = /\d[\d\u2009\u202f,.\s]*/.exec(text ?? '');
  if (!match) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(match[0].replace(/[^\d]/g, ''));
}

/** The audit actions the analyst's journey must leave, each by the analyst's sub. */
const journeyAuditActions = ['search', 'view_case', 'view_media', 'reveal', 'triage_action'] as const;

/** One `audit-row` as the page shows it. */
export interface AuditRowFact {
  action: string | null;
  actor: string | null;
  outcome: string | null;
}

/** What the journey's audit rows still lack: actions not seen, and the two reveal outcomes. */
export function missingAuditRows(rows: readonly AuditRowFact[], actor: string): string[] {
  const mine = rows.filter((row) => row.actor === actor);
  const missing: string[] = journeyAuditActions.filter(
    (action) => !mine.some((row) => row.action === action),
  );
  for (const outcome of ['allowed', 'denied'])
    if (!mine.some((row) => row.action === 'reveal' && row.outcome === outcome))
      missing.push(`reveal ${outcome}`);
  return missing;
}

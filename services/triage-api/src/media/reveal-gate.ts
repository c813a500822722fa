/**
 * The reveal gate: whether an analyst may see a file unblurred. A pure decision over the facts
 * the indices hold; the route reads them and audits the answer either way.
 */

/** An item carrying the file (items index): its report, and whether the reporting company viewed it. */
export interface RevealItemFact {
  reportId: string;
  /** Null: not stated by the partner, which counts as not viewed. */
  fileViewedByEsp: boolean | null;
}

/** A case of a report carrying the file (cases index): its recorded legal authority, if any. */
export interface RevealCaseFact {
  reportId: string;
  legalAuthority: string | null;
}

export interface RevealFacts {
  /** The report the analyst reveals the file for (the case they work on). */
  reportId: string;
  /** Every item known to carry the file (a bounded read may hold fewer: the gate then errs towards refusing). */
  items: readonly RevealItemFact[];
  /** The cases of the reports those items belong to. */
  cases: readonly RevealCaseFact[];
}

/** A condition the reveal needs and did not find. */
export type RevealCondition = 'reportCarriesFile' | 'fileViewedByEsp' | 'legalAuthority';

export type RevealDecision =
  | { allowed: true; basis: 'fileViewedByEsp' | 'legalAuthority' }
  | { allowed: false; missing: RevealCondition[] };

/**
 * Allowed when the named report carries the file, and either an item carrying the file was viewed
 * by its reporting company or a case of a report carrying it has legal authority recorded.
 * Every allowance is positive evidence, so facts left out can only turn an allowance into a
 * refusal, never the reverse. A viewed item is preferred as the basis (no warrant needed).
 */
export function decideReveal(facts: RevealFacts): RevealDecision {
  const carrying = new Set(facts.items.map((item) => item.reportId));
  if (!carrying.has(facts.reportId)) return { allowed: false, missing: ['reportCarriesFile'] };
  if (facts.items.some((item) => item.fileViewedByEsp === true)) {
    return { allowed: true, basis: 'fileViewedByEsp' };
  }
  const authorised = facts.cases.some(
    (found) => carrying.has(found.reportId) && found.legalAuthority !== null && found.legalAuthority !== '',
  );
  if (authorised) return { allowed: true, basis: 'legalAuthority' };
  return { allowed: false, missing: ['fileViewedByEsp', 'legalAuthority'] };
}

const conditionText: Record<RevealCondition, string> = {
  reportCarriesFile: 'the report named in the request does not carry this file',
  fileViewedByEsp: 'no item carrying this file was viewed by its reporting company (fileViewedByEsp)',
  legalAuthority: 'no case carrying this file has legal authority recorded',
};

/** The refusal's detail: which conditions are missing, nothing about the content. */
export function describeMissing(missing: readonly RevealCondition[]): string {
  return `Reveal not permitted: ${missing.map((condition) => conditionText[condition]).join(', and ')}`;
}

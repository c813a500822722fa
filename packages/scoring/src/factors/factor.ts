import type { ReportEvidence } from '../evidence.ts';
import type { ScoringRules } from '../rules.ts';

/** What one factor found: the points it adds, and the input field and value that triggered it. */
export interface FactorOutcome {
  readonly contribution: number;
  /** The record field that triggered it, e.g. `report.reportAnnotations`. */
  readonly field: string;
  /** The value that triggered it, never personal data (counts and codes, not identifiers or free text). */
  readonly value: string;
}

/** A pure function of the evidence and the rules; null when the factor does not apply. */
export type Factor = (evidence: ReportEvidence, rules: ScoringRules) => FactorOutcome | null;

/** A contribution of 0 explains nothing: the factor is left out of the reasons. */
export function outcome(contribution: number, field: string, value: string): FactorOutcome | null {
  return contribution === 0 ? null : { contribution, field, value };
}

export const DAY_MS = 86_400_000;

/** `1 victim`, `2 victims`: counts in reason values. */
export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

import type { ScoreReason } from '@triage/schemas';
import type { ReportEvidence } from './evidence.ts';
import { factors } from './factors/index.ts';
import { floorReason, floorsOf, higherTier, type ScoredTier } from './floors.ts';
import type { ScoringRules } from './rules.ts';

export interface ReportScore {
  /** The sum of the factors' contributions (floors add nothing): orders reports within a tier. */
  readonly score: number;
  /** The most urgent of the score's tier and every floor that applies. */
  readonly tier: ScoredTier;
  /**
   * Every floor that applied (`floor:<name>`, contribution 0, most urgent first), then every factor
   * that applied, largest contribution (in absolute terms) first.
   */
  readonly reasons: ScoreReason[];
  readonly ruleVersion: string;
}

/** Two decimals: enough for decayed weights, and the same sum on every machine. */
const round = (value: number) => Math.round(value * 100) / 100;

/** Lowest score of each tier, highest tier first; below the P3 threshold is P4. */
export function tierOf(score: number, rules: ScoringRules): ScoredTier {
  if (score >= rules.tiers.P1) return 'P1';
  if (score >= rules.tiers.P2) return 'P2';
  if (score >= rules.tiers.P3) return 'P3';
  return 'P4';
}

/**
 * The priority of one report: the sum of every factor's contribution, its tier (the score's tier,
 * raised by any floor that applies; a floor never lowers it), and the reasons.
 * Pure: the same evidence and rules give the same result (recency is measured from `evidence.now`).
 */
export function scoreReport(evidence: ReportEvidence, rules: ScoringRules): ReportScore {
  const reasons: ScoreReason[] = [];
  for (const [factor, weigh] of Object.entries(factors)) {
    const found = weigh(evidence, rules);
    if (found === null) continue;
    const contribution = round(found.contribution);
    if (contribution === 0) continue;
    reasons.push({ factor, field: found.field, value: found.value, contribution });
  }
  reasons.sort(
    (a, b) =>
      Math.abs(b.contribution) - Math.abs(a.contribution) ||
      (a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : 0),
  );
  const score = round(reasons.reduce((sum, reason) => sum + reason.contribution, 0));
  const scoreTier = tierOf(score, rules);
  const floors = floorsOf(evidence, rules);
  const tier = floors.reduce((lowest, floor) => higherTier(lowest, floor.tier), scoreTier);
  return {
    score,
    tier,
    reasons: [...floors.map((floor) => floorReason(floor, scoreTier)), ...reasons],
    ruleVersion: rules.ruleVersion,
  };
}

// Tier floors (issue 9, "danger is never cancelled by a dampener"). The score is a sum, so a
// dampener (batched, viral, an old incident, spam) could pull an escalated enticement out of P1.
// Police triage works the other way: some signals set the lowest tier a report may have. The
// score stays the sum of the factors (it orders reports within a tier); the tier is the most
// urgent of the score's tier and every floor that applies.
import type { Report, ScoreReason, Tier } from '@triage/schemas';
import type { ReportEvidence } from './evidence.ts';
import { plural } from './factors/factor.ts';
import { escalationOf } from './factors/victim-risk.ts';
import type { ScoringRules, TierFloor } from './rules.ts';

/** A tier a score can have (never `UNKNOWN`). */
export type ScoredTier = Exclude<Tier, 'UNKNOWN'>;

/** A floor whose every condition holds, with the report fields and values that triggered it. */
export interface AppliedFloor {
  readonly name: string;
  readonly tier: TierFloor['tier'];
  /** The fields, e.g. `report.escalateToHighPriority, report.incidentType`. */
  readonly field: string;
  /** Their values, never personal data or free text, e.g. `text given (96 characters), ONLINE_ENTICEMENT`. */
  readonly value: string;
}

type Condition = TierFloor['when'];
type Trigger = { readonly field: string; readonly value: string };

/** One check per condition key: what the report states, or null when the condition does not hold. */
const checks: {
  readonly [K in keyof Condition]-?: (report: Report, wanted: NonNullable<Condition[K]>) => Trigger | null;
} = {
  escalated: (report) => escalationOf(report),
  incidentTypes: (report, wanted) =>
    wanted.includes(report.incidentType)
      ? { field: 'report.incidentType', value: report.incidentType }
      : null,
  ncmecPriority: (report, wanted) =>
    report.ncmecPriority === wanted ? { field: 'report.ncmecPriority', value: String(wanted) } : null,
  victimRecorded: (report) =>
    report.victims.length === 0
      ? null
      : { field: 'report.victims', value: plural(report.victims.length, 'victim') },
};

function triggersOf(report: Report, when: Condition): Trigger[] | null {
  const triggers: Trigger[] = [];
  // In the order of `checks`, so a floor's reason reads the same whatever the key order in the file.
  for (const key of Object.keys(checks) as (keyof Condition)[]) {
    const wanted = when[key];
    if (wanted === undefined) continue;
    const check = checks[key] as (report: Report, wanted: unknown) => Trigger | null;
    const found = check(report, wanted);
    if (found === null) return null;
    triggers.push(found);
  }
  return triggers;
}

const TIER_ORDER: readonly ScoredTier[] = ['P1', 'P2', 'P3', 'P4'];

/** The more urgent of two tiers. */
export function higherTier(a: ScoredTier, b: ScoredTier): ScoredTier {
  return TIER_ORDER.indexOf(a) <= TIER_ORDER.indexOf(b) ? a : b;
}

/**
 * The floors of the rules that apply to the evidence: every condition of a floor must hold. Most
 * urgent first, file order within a tier. Pure; only the report as stated is read, so no factor's
 * weight and no dampener can switch a floor off.
 */
export function floorsOf(evidence: ReportEvidence, rules: ScoringRules): AppliedFloor[] {
  const applied: AppliedFloor[] = [];
  for (const floor of rules.floors) {
    const triggers = triggersOf(evidence.report, floor.when);
    if (triggers === null) continue;
    applied.push({
      name: floor.name,
      tier: floor.tier,
      field: triggers.map((each) => each.field).join(', '),
      value: triggers.map((each) => each.value).join(', '),
    });
  }
  return applied.sort((a, b) => TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier));
}

const FLOOR_PREFIX = 'floor:';

/**
 * A floor as a reason: factor `floor:<name>`, the triggering fields and values, the tier it holds
 * the report at and, when it raised the tier, the tier of the score alone. Contribution 0: a floor
 * sets the tier, not points, so the score stays the sum of the factors.
 */
export function floorReason(floor: AppliedFloor, scoreTier: ScoredTier): ScoreReason {
  const raised = higherTier(floor.tier, scoreTier) !== scoreTier;
  return {
    factor: `${FLOOR_PREFIX}${floor.name}`,
    field: floor.field,
    value: `${floor.value} -> at least ${floor.tier}${raised ? ` (score alone: ${scoreTier})` : ''}`,
    contribution: 0,
  };
}

/** True for a floor's reason (`floor:<name>`), false for a factor's. */
export function isFloorReason(reason: Pick<ScoreReason, 'factor'>): boolean {
  return reason.factor.startsWith(FLOOR_PREFIX);
}

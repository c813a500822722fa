// Production indicators and classification (docs/domain.md): possibleSelfProduction, liveStreaming,
// infant, physicalHarm; A1 (prepubescent, sex act) over B2 (pubescent, lascivious exhibition).
import type { IndustryClassification } from '@triage/schemas';
import { type Factor, outcome } from './factor.ts';

/**
 * File annotations that indicate production. They are evidence of one thing (the content is being
 * produced), so the indicator that weighs most counts, not their sum; the value lists them all.
 */
export const productionIndicators: Factor = ({ items }, rules) => {
  const weights = rules.weights.productionIndicators;
  const flags = [
    ...new Set(
      items.flatMap((each) => each.item.fileAnnotations.filter((flag) => weights[flag] !== undefined)),
    ),
  ].sort();
  if (flags.length === 0) return null;
  const strongest = flags.reduce((best, flag) =>
    Math.abs(weights[flag]!) > Math.abs(weights[best]!) ? flag : best,
  );
  return outcome(weights[strongest]!, 'items[].item.fileAnnotations', flags.join(', '));
};

/** The weightiest industry classification among the files (A1 > A2 > B1 > B2 by default). */
export const industryClassification: Factor = ({ items }, rules) => {
  const weights = rules.weights.industryClassification;
  let chosen: Exclude<IndustryClassification, 'UNKNOWN'> | null = null;
  for (const each of items) {
    const value = each.item.industryClassification;
    if (value === null || value === 'UNKNOWN' || weights[value] === undefined) continue;
    if (
      chosen === null ||
      weights[value]! > weights[chosen]! ||
      (weights[value] === weights[chosen] && value < chosen)
    )
      chosen = value;
  }
  return chosen === null ? null : outcome(weights[chosen]!, 'items[].item.industryClassification', chosen);
};

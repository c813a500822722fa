// Victim risk comes first in triage (docs/domain.md): escalation, NCMEC priority 1, the incident type,
// a victim or intended recipient, and the risk annotations of the report.
import { type Factor, outcome } from './factor.ts';

/** The reporting company asked for high priority (`escalateToHighPriority` has text). */
export const escalation: Factor = ({ report }, rules) => {
  const text = report.escalateToHighPriority?.trim() ?? '';
  if (text === '') return null;
  return outcome(
    rules.weights.escalation,
    'report.escalateToHighPriority',
    `text given (${text.length} characters)`,
  );
};

/**
 * NCMEC priority level 1 (child believed in imminent danger). NCMEC has not published what other
 * levels mean, so no other value is interpreted.
 */
export const ncmecPriority1: Factor = ({ report }, rules) =>
  report.ncmecPriority === 1 ? outcome(rules.weights.ncmecPriority1, 'report.ncmecPriority', '1') : null;

/** The incident type's weight (enticement, trafficking and molestation weigh most). */
export const incidentType: Factor = ({ report }, rules) => {
  const weight = rules.weights.incidentType[report.incidentType];
  return weight === undefined ? null : outcome(weight, 'report.incidentType', report.incidentType);
};

/** At least one victim or intended recipient is named. */
export const victimPresent: Factor = ({ report }, rules) => {
  const victims = report.victims.length;
  const recipients = report.intendedRecipients.length;
  if (victims + recipients === 0) return null;
  const parts = [
    ...(victims > 0 ? [`${victims} victim${victims === 1 ? '' : 's'}`] : []),
    ...(recipients > 0 ? [`${recipients} intended recipient${recipients === 1 ? '' : 's'}`] : []),
  ];
  return outcome(rules.weights.victimPresent, 'report.victims, report.intendedRecipients', parts.join(', '));
};

/** Report annotations with a weight (sextortion, sadistic exploitation, solicitation; spam lowers). */
export const reportAnnotations: Factor = ({ report }, rules) => {
  const flags = [...new Set(report.reportAnnotations)].filter(
    (flag) => rules.weights.reportAnnotations[flag] !== undefined,
  );
  if (flags.length === 0) return null;
  const sum = flags.reduce((total, flag) => total + rules.weights.reportAnnotations[flag]!, 0);
  return outcome(sum, 'report.reportAnnotations', flags.sort().join(', '));
};

/** An informational referral (the `informational` annotation, or NCMEC's referral label) ranks lower. */
export const informational: Factor = ({ report }, rules) => {
  if (report.reportAnnotations.includes('informational'))
    return outcome(rules.weights.informational, 'report.reportAnnotations', 'informational');
  if (report.ncmecReferralLabel?.trim().toLowerCase() === 'informational')
    return outcome(rules.weights.informational, 'report.ncmecReferralLabel', 'informational');
  return null;
};

// Victim risk comes first in triage (docs/domain.md): escalation, NCMEC priority 1, the incident type,
// a victim or intended recipient, and the risk annotations of the report.
import type { Report } from '@triage/schemas';
import { type Factor, outcome, plural } from './factor.ts';

/**
 * The company's escalation as reasons show it: the field and the text's length, never the text;
 * null when it did not escalate. The XSD: "Company indicated a higher level of urgency (immediate
 * risk to child)".
 */
export function escalationOf(report: Report): { field: string; value: string } | null {
  const text = report.escalateToHighPriority?.trim() ?? '';
  if (text === '') return null;
  return { field: 'report.escalateToHighPriority', value: `text given (${text.length} characters)` };
}

/** The reporting company asked for high priority (`escalateToHighPriority` has text). */
export const escalation: Factor = ({ report }, rules) => {
  const found = escalationOf(report);
  return found === null ? null : outcome(rules.weights.escalation, found.field, found.value);
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
    ...(victims > 0 ? [plural(victims, 'victim')] : []),
    ...(recipients > 0 ? [plural(recipients, 'intended recipient')] : []),
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

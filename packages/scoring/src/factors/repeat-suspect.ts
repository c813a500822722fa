// Repeat suspects (docs/domain.md): priorCTReports, and the same identifier across reports.
import { type Factor, outcome } from './factor.ts';

/** The partner names earlier CyberTipline reports about a reported person. */
export const priorReports: Factor = ({ report }, rules) => {
  const prior = new Set(
    report.personsReported.flatMap((person) => person.priorCTReports.map((id) => id.trim())),
  );
  prior.delete('');
  if (prior.size === 0) return null;
  return outcome(
    rules.weights.priorReports,
    'report.personsReported[].priorCTReports',
    `${prior.size} earlier report${prior.size === 1 ? '' : 's'}`,
  );
};

/** Other reports share a suspect identifier with this one (linked by the scorer; see suspectIdentifiers). */
export const linkedReports: Factor = ({ report, links }, rules) => {
  const others = links.filter((link) => link.reportId !== report.reportId);
  const reports = new Set(others.map((link) => link.reportId));
  if (reports.size === 0) return null;
  const kinds = [...new Set(others.map((link) => link.identifierType))].sort();
  return outcome(
    rules.weights.linkedReports,
    'links',
    `${reports.size} other report${reports.size === 1 ? '' : 's'} (${kinds.join(', ')})`,
  );
};

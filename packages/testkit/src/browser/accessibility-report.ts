/**
 * axe-core's answer reduced to what the console's quality bar judges: violations of impact
 * `serious` or `critical` fail (issue 17), the others are reported. Pure, so the formatting is
 * tested without a browser.
 */

/** The part of an axe-core result this module reads (axe's own types are wider). */
export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: readonly { target: readonly unknown[] }[];
}

export interface AxeResults {
  violations: readonly AxeViolation[];
  passes: readonly unknown[];
  incomplete: readonly unknown[];
}

/** Impacts that fail the bar. */
const failingImpacts: readonly string[] = ['serious', 'critical'];

const impactOrder = ['critical', 'serious', 'moderate', 'minor'];

/** The violations that fail the bar, most severe first. */
export function failingViolations(violations: readonly AxeViolation[]): AxeViolation[] {
  return violations
    .filter((violation) => failingImpacts.includes(violation.impact ?? ''))
    .sort((a, b) => impactOrder.indexOf(a.impact ?? '') - impactOrder.indexOf(b.impact ?? ''));
}

/** One line per violation: impact, rule, help, the first few elements and the rule's page. */
export function formatViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((violation) => {
      const targets = violation.nodes.map((node) => node.target.map(String).join(' '));
      const shown =
        targets.slice(0, 3).join(', ') + (targets.length > 3 ? `, +${targets.length - 3} more` : '');
      return `- [${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help} (${targets.length} element${targets.length === 1 ? '' : 's'}: ${shown}) ${violation.helpUrl}`;
    })
    .join('\n');
}

/** Counts per impact, e.g. for a results table: `{ critical: 0, serious: 0, moderate: 1, minor: 0 }`. */
export function violationCounts(violations: readonly AxeViolation[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(impactOrder.map((impact) => [impact, 0]));
  for (const violation of violations) {
    const impact = violation.impact ?? 'minor';
    counts[impact] = (counts[impact] ?? 0) + 1;
  }
  return counts;
}

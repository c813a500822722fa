import { describe, expect, it } from 'vitest';
import {
  type AxeViolation,
  failingViolations,
  formatViolations,
  violationCounts,
} from './accessibility-report.ts';

const violation = (id: string, impact: string | null, targets: string[]): AxeViolation => ({
  id,
  impact,
  help: `help for ${id}`,
  helpUrl: `https://dequeuniversity.com/rules/axe/4.14/${id}`,
  nodes: targets.map((target) => ({ target: [target] })),
});

describe('failingViolations', () => {
  it('given violations of every impact, then only serious and critical fail, critical first', () => {
    const found = failingViolations([
      violation('region', 'moderate', ['div']),
      violation('color-contrast', 'serious', ['.badge']),
      violation('landmark-one-main', 'minor', ['html']),
      violation('image-alt', 'critical', ['img']),
    ]);
    expect(found.map((entry) => entry.id)).toEqual(['image-alt', 'color-contrast']);
  });

  it('given no serious or critical violation, then nothing fails', () => {
    expect(failingViolations([violation('region', 'moderate', ['div'])])).toEqual([]);
  });
});

describe('formatViolations', () => {
  it('given a violation on many elements, then one line names impact, rule, count, the first three and the help page', () => {
    expect(formatViolations([violation('image-alt', 'critical', ['#a', '#b', '#c', '#d'])])).toBe(
      '- [critical] image-alt: help for image-alt (4 elements: #a, #b, #c, +1 more) https://dequeuniversity.com/rules/axe/4.14/image-alt',
    );
  });

  it('given one element, then it is named in the singular', () => {
    expect(formatViolations([violation('label', 'critical', ['input'])])).toContain('(1 element: input)');
  });
});

describe('violationCounts', () => {
  it('given violations, then each impact is counted and missing impacts are zero', () => {
    expect(
      violationCounts([
        violation('a', 'serious', []),
        violation('b', 'serious', []),
        violation('c', null, []),
      ]),
    ).toEqual({ critical: 0, serious: 2, moderate: 0, minor: 1 });
  });
});

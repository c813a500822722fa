import { describe, expect, it } from 'vitest';
import { dropTree, rulesBelow } from './drop-tree.ts';

describe('dropTree', () => {
  it('Given paths sharing a parent, when built, then each path ends in a drop under one shared branch', () => {
    const tree = dropTree(new Set(['report/reporter/reportingPerson', 'report/reporter/contactPerson']));

    const reporter = rulesBelow(rulesBelow(tree.get('report'))?.get('reporter'));
    expect([...(reporter?.entries() ?? [])]).toEqual([
      ['reportingPerson', 'drop'],
      ['contactPerson', 'drop'],
    ]);
  });

  it.each([
    ['report/reporter', 'report/reporter/contactPerson'],
    ['report/reporter/contactPerson', 'report/reporter'],
  ])(
    'Given a dropped element and a path below it (%s, %s), when built, then the element is dropped whole',
    (...paths) => {
      const tree = dropTree(new Set(paths));

      expect(rulesBelow(tree.get('report'))?.get('reporter')).toBe('drop');
    },
  );

  it('Given no paths, when built, then no element has rules', () => {
    expect(dropTree(new Set()).size).toBe(0);
  });
});

describe('rulesBelow', () => {
  it('Given a dropped element or one without rules, when asked for its children, then there are none', () => {
    expect(rulesBelow('drop')).toBeNull();
    expect(rulesBelow(undefined)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { OpenReports } from './open-reports.ts';

describe('OpenReports', () => {
  it('given a report shown final, when a record touches it, then its quiet time restarts and its case is no longer final; what it showed stays', () => {
    const open = new OpenReports();
    open.showed(2, 'r1', { seen: 3, links: '' }, true, 1_000);
    open.touch(2, 'r1', 5_000);
    expect(open.entries()).toEqual([
      ['r1', { partition: 2, changedAt: 5_000, shown: { seen: 3, links: '' }, final: false }],
    ]);
  });

  it('given a report re-linked after a restart, when the save is read back, then the newer entry is kept', () => {
    const open = new OpenReports();
    open.showed(0, 'r1', { seen: 1, links: 'new' }, true, 9_000);
    open.reopen(0, { reportId: 'r1', final: true, shown: { seen: 1, links: 'old' } }, 10_000);
    open.reopen(0, { reportId: 'r2', final: false }, 10_000);
    expect(open.shown('r1')).toEqual({ seen: 1, links: 'new' });
    expect(open.entries().map(([reportId, entry]) => [reportId, entry.changedAt])).toEqual([
      ['r1', 9_000],
      ['r2', 10_000],
    ]);
  });

  it('given reports of two partitions, when one is no longer assigned, then its reports and its index are forgotten; the save lists a partition only', () => {
    const open = new OpenReports();
    open.touch(0, 'a', 1);
    open.showed(1, 'b', { seen: 2, links: 'x' }, false, 1);
    open.indexed(0);
    open.indexed(1);
    expect(open.saved(1)).toEqual([{ reportId: 'b', final: false, shown: { seen: 2, links: 'x' } }]);
    open.retain([0]);
    expect([open.has('a'), open.has('b'), open.isIndexed(0), open.isIndexed(1)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(open.saved(0)).toEqual([{ reportId: 'a', final: false }]);
    open.close('a');
    expect(open.size).toBe(0);
  });
});

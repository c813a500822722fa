import { describe, expect, it } from 'vitest';
import { DueCases } from './due-cases.ts';
import { inbound } from './testing/scorer-fixtures.ts';

const record = (offset: number) => inbound('reports.v1', 0, offset, 'r', Buffer.alloc(0));

describe('DueCases', () => {
  it('given several triggers for one report in a batch, when taken, then one entry, the latest trigger', () => {
    const due = new DueCases();
    due.mark('r1', { partition: 0, trigger: 'report', record: record(1) });
    due.mark('r1', { partition: 0, trigger: 'progress', record: record(2) });
    expect(due.take().map(([id, entry]) => [id, entry.trigger, Number(entry.record.offset)])).toEqual([
      ['r1', 'progress', 2],
    ]);
  });

  it('given a batch that completes a report, when a later record of it is only progress, then the final case is kept', () => {
    const due = new DueCases();
    due.mark('r1', { partition: 0, trigger: 'complete', record: record(1) });
    due.mark('r1', { partition: 0, trigger: 'report', record: record(2) });
    expect(due.take().map(([, entry]) => entry.trigger)).toEqual(['complete']);
  });

  it('given due reports, when taken, then they are in first-due order and the next batch starts empty', () => {
    const due = new DueCases();
    due.mark('b', { partition: 0, trigger: 'report', record: record(1) });
    due.mark('a', { partition: 1, trigger: 'report', record: record(2) });
    expect(due.take().map(([id]) => id)).toEqual(['b', 'a']);
    expect(due.take()).toEqual([]);
  });
});

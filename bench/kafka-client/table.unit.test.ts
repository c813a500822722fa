import { describe, expect, it } from 'vitest';
import type { ClientName, Measurement } from './jobs.ts';
import type { RecoveryVerdict } from './recovery-verdict.ts';
import { recoveryTable, resourceTable, type Sample, summarize, throughputTable } from './table.ts';

const names = {
  baseline: 'kafkajs' as ClientName,
  candidate: 'platformatic' as ClientName,
  label: (client: ClientName) => client,
};

function sample(
  order: number,
  client: ClientName,
  recordsPerSecond: number,
  extra: Partial<Measurement> = {},
): Sample {
  const records = 1000;
  return {
    order,
    repetition: 1,
    size: '1 KB',
    direction: 'produce',
    client,
    measurement: {
      records,
      bytes: records * 1000,
      elapsedMs: (records / recordsPerSecond) * 1000,
      cpuMs: 500,
      peakRssMb: 100,
      ...extra,
    },
  };
}

describe('bake-off tables', () => {
  it('given three runs per client, when summarized, then each client gets its median rate', () => {
    const rows = summarize([
      sample(1, 'kafkajs', 1000),
      sample(2, 'platformatic', 3000),
      sample(3, 'kafkajs', 5000),
      sample(4, 'platformatic', 2000),
      sample(5, 'kafkajs', 2000),
      sample(6, 'platformatic', 4000),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.clients.get('kafkajs')!.recordsPerSecond).toBeCloseTo(2000);
    expect(rows[0]!.clients.get('platformatic')!.recordsPerSecond).toBeCloseTo(3000);
    expect(rows[0]!.clients.get('platformatic')!.mbPerSecond).toBeCloseTo(3);
  });

  it('given a summary, when rendered, then the ratio is candidate over baseline', () => {
    const table = throughputTable(
      summarize([sample(1, 'kafkajs', 2000), sample(2, 'platformatic', 3000)]),
      names,
    );
    expect(table).toContain('| 1 KB | produce | 2\u2009000 | 2.0 | 3\u2009000 | 3.0 | **1.50×** |');
  });

  it('given produce runs without startup times, when rendering resources, then startup shows a dash', () => {
    const table = resourceTable(
      summarize([sample(1, 'kafkajs', 1000), sample(2, 'platformatic', 1000)]),
      names,
    );
    expect(table).toContain('| 1 KB | produce | 500.0 | 500.0 | 100 | 100 | – | – |');
  });
});

describe('recovery table', () => {
  const clean: RecoveryVerdict = {
    exercised: true,
    completed: true,
    acked: 100,
    logRecords: 100,
    ackedMissing: 0,
    logDuplicates: 0,
    unackedInLog: 0,
    lostCommitted: 0,
    unprocessedAcked: 0,
    redelivered: 3,
    produceResumeMs: 1500,
    consumeResumeMs: 2500,
    produceStallMs: 9000,
    consumeStallMs: 12000,
    recovered: true,
  };

  it('given a clean recovery, when rendered, then it says yes with the stall and resume times', () => {
    const table = recoveryTable(
      [{ scenario: '1 node', client: 'platformatic', verdict: clean, sendFailures: 0 }],
      String,
    );
    expect(table).toContain(
      '| 1 node | platformatic | yes | 9.0 s | 12.0 s | 1.5 s / 2.5 s | 100 | 0 | 0 | 0 | 3 | 0 |',
    );
  });

  it('given lost and duplicated records, when rendered, then the verdict names each failure', () => {
    const verdict = { ...clean, recovered: false, completed: false, ackedMissing: 2, logDuplicates: 5 };
    const table = recoveryTable([{ scenario: '3 nodes', client: 'kafkajs', verdict }], String);
    expect(table).toContain('**no** (did not finish; acknowledged records lost; duplicates in the log)');
  });

  it('given a check that could not run, when rendered, then the row says why and keeps the column count', () => {
    const table = recoveryTable(
      [{ scenario: '1 node', client: 'kafkajs', verdict: undefined, failure: 'timed out' }],
      String,
    );
    const row = table.split('\n')[2]!;
    expect(row).toContain('**no**: timed out');
    expect(row.split('|').length).toBe(table.split('\n')[0]!.split('|').length);
  });
});

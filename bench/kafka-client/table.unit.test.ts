import { describe, expect, it } from 'vitest';
import type { ClientName, Measurement } from './jobs.ts';
import { resourceTable, type Sample, summarize, throughputTable } from './table.ts';

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

import { describe, expect, it } from 'vitest';
import type { PartitionOffsets, ReadAllResult, RecoveryRun } from './jobs.ts';
import { judgeRecovery, type Outage } from './recovery-verdict.ts';

const records = 6;
const outage: Outage = {
  stoppedAt: 1000,
  restartAt: 2000,
  readyAt: 2500,
  ackedAtStop: 2,
  processedAtStop: 1,
};

function run(overrides: Partial<RecoveryRun> = {}): RecoveryRun {
  return {
    acked: Uint8Array.from([1, 1, 1, 1, 1, 1]),
    processed: Uint8Array.from([1, 1, 1, 1, 1, 1]),
    ackTimes: Float64Array.from([500, 900, 2600]),
    processTimes: Float64Array.from([600, 950, 2800, 2900, 2950, 3000]),
    sendFailures: 0,
    errors: {},
    completed: true,
    ...overrides,
  };
}

/** Records 0..5 spread over two partitions: seq s at partition s % 2, offset floor(s / 2). */
function log(seqs: number[]): ReadAllResult {
  return {
    partitions: Int32Array.from(seqs.map((seq) => seq % 2)),
    offsets: Float64Array.from(seqs.map((_, i) => Math.floor(i / 2))),
    seqs: Int32Array.from(seqs),
  };
}

const committedAll: PartitionOffsets[] = [
  { partition: 0, start: 0, end: 3, committed: 3 },
  { partition: 1, start: 0, end: 3, committed: 3 },
];

describe('judgeRecovery', () => {
  it('given a clean run across the outage, when judged, then it recovered with the resume times', () => {
    const verdict = judgeRecovery({
      records,
      run: run(),
      log: log([0, 1, 2, 3, 4, 5]),
      offsets: committedAll,
      outage,
    });
    expect(verdict).toMatchObject({
      exercised: true,
      recovered: true,
      acked: 6,
      ackedMissing: 0,
      logDuplicates: 0,
      lostCommitted: 0,
      redelivered: 0,
      produceResumeMs: 600,
      consumeResumeMs: 800,
      produceStallMs: 1700,
      consumeStallMs: 1850,
    });
  });

  it('given a record written twice, when judged, then the log duplicate fails the check', () => {
    const verdict = judgeRecovery({
      records,
      run: run({ processed: Uint8Array.from([1, 1, 1, 1, 2, 1]) }),
      log: log([0, 1, 2, 3, 4, 5, 4]),
      offsets: committedAll,
      outage,
    });
    expect(verdict.logDuplicates).toBe(1);
    expect(verdict.redelivered).toBe(0);
    expect(verdict.recovered).toBe(false);
  });

  it('given an acknowledged record missing from the log, when judged, then it is a lost write', () => {
    const verdict = judgeRecovery({
      records,
      run: run(),
      log: log([0, 1, 2, 3, 5]),
      offsets: committedAll,
      outage,
    });
    expect(verdict.ackedMissing).toBe(1);
    expect(verdict.recovered).toBe(false);
  });

  it('given a committed record the consumer never processed, when judged, then it is a lost commit', () => {
    const verdict = judgeRecovery({
      records,
      run: run({ processed: Uint8Array.from([1, 1, 0, 1, 1, 1]) }),
      log: log([0, 1, 2, 3, 4, 5]),
      offsets: committedAll,
      outage,
    });
    expect(verdict.lostCommitted).toBe(1);
    expect(verdict.unprocessedAcked).toBe(1);
    expect(verdict.recovered).toBe(false);
  });

  it('given records processed twice, when judged, then they count as redelivered and do not fail the check', () => {
    const verdict = judgeRecovery({
      records,
      run: run({ processed: Uint8Array.from([1, 2, 3, 1, 1, 1]) }),
      log: log([0, 1, 2, 3, 4, 5]),
      offsets: committedAll,
      outage,
    });
    expect(verdict.redelivered).toBe(3);
    expect(verdict.recovered).toBe(true);
  });

  it('given an outage after the producer had finished, when judged, then the check was not exercised', () => {
    const verdict = judgeRecovery({
      records,
      run: run({ ackTimes: Float64Array.from([500, 900]) }),
      log: log([0, 1, 2, 3, 4, 5]),
      offsets: committedAll,
      outage: { ...outage, ackedAtStop: 6 },
    });
    expect(verdict.exercised).toBe(false);
    expect(verdict.recovered).toBe(false);
  });

  it('given a write whose ack was lost, when judged, then it shows as unacknowledged in the log, not as a failure', () => {
    const verdict = judgeRecovery({
      records,
      run: run({ acked: Uint8Array.from([1, 1, 1, 1, 1, 0]) }),
      log: log([0, 1, 2, 3, 4, 5]),
      offsets: committedAll,
      outage,
    });
    expect(verdict.unackedInLog).toBe(1);
    expect(verdict.recovered).toBe(true);
  });
});

import type { PartitionOffsets, ReadAllResult, RecoveryRun } from './jobs.ts';

/** When the suite stopped and restarted the broker (epoch ms), and how far the run was then. */
export interface Outage {
  readonly stoppedAt: number;
  readonly restartAt: number;
  readonly readyAt: number;
  readonly ackedAtStop: number;
  readonly processedAtStop: number;
}

export interface RecoveryEvidence {
  readonly records: number;
  readonly run: RecoveryRun;
  /** The whole topic, read afterwards by a fresh consumer group. */
  readonly log: ReadAllResult;
  /** End and committed offsets of the recovery consumer group, after it closed. */
  readonly offsets: readonly PartitionOffsets[];
  readonly outage: Outage | undefined;
}

export interface RecoveryVerdict {
  /** The broker went down while records were still being produced and consumed. */
  readonly exercised: boolean;
  /** Every record was acknowledged and every acknowledged record processed before the deadline. */
  readonly completed: boolean;
  readonly acked: number;
  readonly logRecords: number;
  /** Acknowledged records that are not in the log: lost writes. */
  readonly ackedMissing: number;
  /** Extra copies of a record in the log (a record written twice counts once). */
  readonly logDuplicates: number;
  /** Records in the log the producer never saw acknowledged (written, but the ack was lost). */
  readonly unackedInLog: number;
  /** Records below the group's committed offsets that the consumer never processed: lost commits. */
  readonly lostCommitted: number;
  /** Acknowledged records the consumer never processed (it stalled or gave up). */
  readonly unprocessedAcked: number;
  /** Deliveries beyond one per copy in the log: at-least-once redelivery after the restart. */
  readonly redelivered: number;
  /** First acknowledged send after the restart began, in ms after it began. */
  readonly produceResumeMs: number | undefined;
  /** First processed record after the restart began, in ms after it began. */
  readonly consumeResumeMs: number | undefined;
  /** Longest time without an acknowledged send: how long production stood still. */
  readonly produceStallMs: number;
  /** Longest time without a processed record: how long consumption stood still. */
  readonly consumeStallMs: number;
  /** Exercised, completed, and nothing lost or duplicated in the log. */
  readonly recovered: boolean;
}

function longestGap(times: Float64Array): number {
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return longest;
}

function firstAfter(times: Float64Array, instant: number): number | undefined {
  for (const time of times) if (time > instant) return time - instant;
  return undefined;
}

/** Pure judgement of one client's recovery check from what the producer, consumer and log show. */
export function judgeRecovery(evidence: RecoveryEvidence): RecoveryVerdict {
  const { records, run, log, offsets, outage } = evidence;
  const copies = new Uint32Array(records);
  let foreign = 0;
  for (const seq of log.seqs) {
    if (seq >= 0 && seq < records) copies[seq]! += 1;
    else foreign += 1;
  }
  const committed = new Map(offsets.map((p) => [p.partition, p.committed]));

  let acked = 0;
  let ackedMissing = 0;
  let logDuplicates = 0;
  let unackedInLog = 0;
  let unprocessedAcked = 0;
  let redelivered = 0;
  for (let seq = 0; seq < records; seq++) {
    const isAcked = run.acked[seq] === 1;
    const inLog = copies[seq]!;
    const processed = run.processed[seq]!;
    if (isAcked) acked += 1;
    if (isAcked && inLog === 0) ackedMissing += 1;
    if (inLog > 1) logDuplicates += inLog - 1;
    if (!isAcked && inLog > 0) unackedInLog += 1;
    if (isAcked && processed === 0) unprocessedAcked += 1;
    if (processed > inLog) redelivered += processed - Math.max(inLog, 1);
  }

  let lostCommitted = 0;
  for (let i = 0; i < log.seqs.length; i++) {
    const seq = log.seqs[i]!;
    const below = log.offsets[i]! < (committed.get(log.partitions[i]!) ?? -1);
    if (below && seq >= 0 && seq < records && run.processed[seq] === 0) lostCommitted += 1;
  }

  const exercised =
    outage !== undefined &&
    outage.ackedAtStop < records &&
    outage.processedAtStop > 0 &&
    firstAfter(run.ackTimes, outage.restartAt) !== undefined;
  const clean = ackedMissing === 0 && logDuplicates === 0 && lostCommitted === 0 && foreign === 0;
  return {
    exercised,
    completed: run.completed,
    acked,
    logRecords: log.seqs.length,
    ackedMissing,
    logDuplicates,
    unackedInLog,
    lostCommitted,
    unprocessedAcked,
    redelivered,
    produceResumeMs: outage ? firstAfter(run.ackTimes, outage.restartAt) : undefined,
    consumeResumeMs: outage ? firstAfter(run.processTimes, outage.restartAt) : undefined,
    produceStallMs: longestGap(run.ackTimes),
    consumeStallMs: longestGap(run.processTimes),
    recovered: exercised && run.completed && clean && unprocessedAcked === 0,
  };
}

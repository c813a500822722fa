/**
 * Headers `triage dlq redrive` adds to a dead letter's record when it sends it back to its
 * original topic (docs/adr/0013-dead-letter-redrive.md). A dead-letter topic is shared by every
 * group that reads the input topic, so the copy names the one stage that failed it.
 */
export const redriveHeader = {
  /** The stage that failed the record: the only one that handles the copy. */
  stage: 'triage-redrive-stage',
  /** The dead letter it was sent from: `<dlq topic>:<partition>:<offset>`. */
  of: 'triage-redrive-of',
  /** When it was sent back (ISO 8601). */
  at: 'triage-redriven-at',
  /** Where the record was first consumed from, `<topic>:<partition>:<offset>`; kept over repeated redrives. */
  origin: 'triage-redrive-origin',
} as const;

/**
 * Whether a runner of `stage` leaves a record alone (commits past it without handling it): a
 * redriven copy meant for another stage. On a compacted input every stage handles it, because
 * after compaction the copy may be the only record of its key that a group reading later sees.
 */
export function skipsRedriven(
  headers: Readonly<Record<string, string>>,
  stage: string,
  compacted: boolean,
): boolean {
  const target = headers[redriveHeader.stage];
  return target !== undefined && target !== stage && !compacted;
}

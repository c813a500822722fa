import { TriageError } from '@triage/errors';

/** Where a dead letter is: its dead-letter topic (catalogue name, no prefix), partition and offset. */
export interface DeadLetterId {
  topic: string;
  partition: number;
  offset: bigint;
}

/** `<dlq topic>:<partition>:<offset>`, the id `triage dlq` prints and the redrive ledger's key. */
export function formatDeadLetterId(id: DeadLetterId): string {
  return `${id.topic}:${id.partition}:${id.offset}`;
}

/** Reads an id `formatDeadLetterId` wrote (topic names have no `:`); `TRIAGE_DLQ_OPTION_INVALID` otherwise. */
export function parseDeadLetterId(text: string): DeadLetterId {
  const match = /^([A-Za-z0-9._-]+\.dlq):(\d{1,9}):(\d{1,18})$/.exec(text.trim());
  if (!match)
    throw new TriageError(
      'TRIAGE_DLQ_OPTION_INVALID',
      `dead-letter id must be <dlq topic>:<partition>:<offset>, e.g. items.v1.dlq:0:12; got ${JSON.stringify(text)}`,
    );
  return { topic: match[1]!, partition: Number(match[2]), offset: BigInt(match[3]!) };
}

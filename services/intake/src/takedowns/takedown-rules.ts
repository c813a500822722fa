import type { TakedownEvent } from '@triage/schemas';
import type { CheckedTakedown, TakedownFailure } from './takedown-request.ts';
import {
  applyTakedown,
  caseKey,
  overlayTables,
  recordEventId,
  type TakedownTables,
  takedownDigest,
} from './takedown-rows.ts';

export interface TakedownDecision {
  /** The new events as records, in request order: all of them are published, or none. */
  records: TakedownEvent[];
  /** Events recorded before with the same content (or repeated in this request). */
  duplicates: number;
  /** Every event refused; when not empty nothing is recorded. */
  failures: TakedownFailure[];
}

export interface DecideInput {
  partnerId: string;
  /** When intake received the request (epoch ms), on every record. */
  receivedAt: number;
  events: readonly CheckedTakedown[];
  /** What takedowns.v1 held when the request's turn came (not changed here). */
  tables: TakedownTables;
}

const followUps = new Set(['renotice_sent', 'removed_confirmed', 'content_moved']);

/**
 * The state rules of docs/hoster-figures.md, "Events", over the recorded events plus the
 * request's earlier ones: a follow-up needs its partner's own open notice case, a notice id is
 * sent once, time runs forward per case and per URL, and an event id names one content. Pure:
 * the tables are read through an overlay that takes the request's accepted events.
 */
export function decideTakedowns(input: DecideInput): TakedownDecision {
  const tables = overlayTables(input.tables);
  const decision: TakedownDecision = { records: [], duplicates: 0, failures: [] };
  input.events.forEach((event, index) => {
    const outcome = decideOne(event, index, input, tables);
    if ('failure' in outcome) decision.failures.push(outcome.failure);
    else if (outcome.duplicate) decision.duplicates += 1;
    else {
      decision.records.push(outcome.record);
      applyTakedown(tables, outcome.record);
    }
  });
  if (decision.failures.length > 0) decision.records = [];
  return decision;
}

type Outcome =
  | { failure: TakedownFailure }
  | { duplicate: true }
  | { duplicate: false; record: TakedownEvent };

function decideOne(
  event: CheckedTakedown,
  index: number,
  input: DecideInput,
  tables: TakedownTables,
): Outcome {
  const fail = (code: TakedownFailure['code'], field: string, reason: string): Outcome => ({
    failure: { index, code, pointer: `/events/${index}/${field}`, reason },
  });
  const { partnerId } = input;
  const notice = event.noticeId === null ? undefined : tables.cases.get(caseKey(partnerId, event.noticeId));
  const record = toRecord(event, input, notice);
  const recorded = tables.events.get(record.eventId);
  if (recorded !== undefined) {
    // Compared as filled in: a follow-up takes its URL from its case both times.
    return recorded === takedownDigest(record)
      ? { duplicate: true }
      : fail('TRIAGE_TAKEDOWN_EVENT_ID_REUSED', 'eventId', 'this eventId was recorded with other content');
  }
  if (event.noticeId !== null && event.type === 'notice_sent' && notice) {
    return fail('TRIAGE_TAKEDOWN_NOTICE_EXISTS', 'noticeId', 'a notice_sent for this noticeId was recorded');
  }
  if (event.noticeId !== null && followUps.has(event.type)) {
    if (!notice) {
      const owner = tables.noticeOwners.get(event.noticeId);
      return owner !== undefined && owner !== partnerId
        ? fail('TRIAGE_TAKEDOWN_NOTICE_FORBIDDEN', 'noticeId', "this noticeId is another partner's notice")
        : fail(
            'TRIAGE_TAKEDOWN_NO_NOTICE',
            'noticeId',
            `${event.type} before the notice_sent of this noticeId`,
          );
    }
    if (notice.closed) {
      return fail('TRIAGE_TAKEDOWN_CASE_CLOSED', 'noticeId', `the notice case is closed (${notice.closed})`);
    }
    if (event.url !== null && event.url !== notice.url) {
      return fail('TRIAGE_TAKEDOWN_INVALID', 'url', "url differs from the notice case's url");
    }
    if (event.at < notice.latestAt) {
      return fail('TRIAGE_TAKEDOWN_OUT_OF_ORDER', 'at', 'before the latest event of its notice case');
    }
  }
  const urlLatest = tables.urls.get(record.url);
  if (urlLatest !== undefined && event.at < urlLatest) {
    return fail('TRIAGE_TAKEDOWN_OUT_OF_ORDER', 'at', 'before the latest event on its url');
  }
  return { duplicate: false, record };
}

/** The record of an event: partner and receipt time from intake, URL and host from its case when it names only the notice. */
function toRecord(
  event: CheckedTakedown,
  input: DecideInput,
  notice: { url: string; host: string } | undefined,
): TakedownEvent {
  return {
    ...event,
    eventId: recordEventId(input.partnerId, event.eventId),
    partnerId: input.partnerId,
    url: event.url ?? notice?.url ?? '',
    host: event.host ?? notice?.host ?? '',
    receivedAt: input.receivedAt,
  };
}

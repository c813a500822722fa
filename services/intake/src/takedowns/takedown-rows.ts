import { createHash } from 'node:crypto';
import type { TakedownEvent } from '@triage/schemas';

/** A notice case, `(partnerId, noticeId)`, as far as validation needs it. */
export interface NoticeCase {
  partnerId: string;
  url: string;
  host: string;
  /** `at` of its latest event (epoch ms). */
  latestAt: number;
  /** How it closed; null while open. */
  closed: 'removed' | 'moved' | null;
}

/** A table as the rows need it: the LMDB store's, or an overlay in memory. */
export interface RowTable<V> {
  get(key: string): V | undefined;
  put(key: string, value: V): void;
}

/** What intake keeps of takedowns.v1 to validate new events (the LMDB store's tables). */
export interface TakedownTables {
  /** Record eventId (`partnerId:eventId`) → digest of its content. */
  events: RowTable<string>;
  /** `partnerId:noticeId` → the notice case. */
  cases: RowTable<NoticeCase>;
  /** noticeId → the partner whose notice first used it (to refuse another partner's events). */
  noticeOwners: RowTable<string>;
  /** URL → `at` of its latest event. */
  urls: RowTable<number>;
}

export const takedownTableNames = ['events', 'cases', 'noticeOwners', 'urls'] as const;

/** The record's event id: the partner's id under the partner's (partner ids never hold a colon). */
export function recordEventId(partnerId: string, eventId: string): string {
  return `${partnerId}:${eventId}`;
}

export function caseKey(partnerId: string, noticeId: string): string {
  return `${partnerId}:${noticeId}`;
}

/**
 * What decides "the same event again": every field the partner chose or intake derived from
 * them, not the time intake received it.
 */
export function takedownDigest(record: TakedownEvent): string {
  const { receivedAt: _receivedAt, ...content } = record;
  const ordered = Object.keys(content)
    .sort()
    .map((key) => [key, content[key as keyof typeof content]]);
  return createHash('sha256').update(JSON.stringify(ordered)).digest('base64url');
}

/**
 * Applies one recorded event to the tables. Idempotent and order-tolerant (latest times are
 * maxima, a closed case stays closed), so an event applied when it was published and again when
 * the topic is read back leaves the same rows.
 */
export function applyTakedown(tables: TakedownTables, record: TakedownEvent): void {
  tables.events.put(record.eventId, takedownDigest(record));
  tables.urls.put(record.url, Math.max(tables.urls.get(record.url) ?? record.at, record.at));
  if (record.noticeId === null || record.type === 'report_received' || record.type === 'reappeared') return;
  const key = caseKey(record.partnerId, record.noticeId);
  const existing = tables.cases.get(key);
  const notice: NoticeCase = existing ?? {
    partnerId: record.partnerId,
    url: record.url,
    host: record.host,
    latestAt: record.at,
    closed: null,
  };
  tables.cases.put(key, {
    ...notice,
    latestAt: Math.max(notice.latestAt, record.at),
    closed: notice.closed ?? closingOf(record),
  });
  if (tables.noticeOwners.get(record.noticeId) === undefined) {
    tables.noticeOwners.put(record.noticeId, record.partnerId);
  }
}

function closingOf(record: TakedownEvent): NoticeCase['closed'] {
  if (record.type === 'removed_confirmed') return 'removed';
  if (record.type === 'content_moved') return 'moved';
  return null;
}

/** Tables that read through to `base` and keep their own writes: one request's events seen by the next. */
export function overlayTables(base: TakedownTables): TakedownTables {
  const overlay = <V>(table: RowTable<V>): RowTable<V> => {
    const written = new Map<string, V>();
    return {
      get: (key) => (written.has(key) ? written.get(key) : table.get(key)),
      put: (key, value) => void written.set(key, value),
    };
  };
  return {
    events: overlay(base.events),
    cases: overlay(base.cases),
    noticeOwners: overlay(base.noticeOwners),
    urls: overlay(base.urls),
  };
}

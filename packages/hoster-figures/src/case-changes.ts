import type { TakedownEvent } from '@triage/schemas';
import type { NoticeCase, Reappearance } from './types.ts';

/** Where an IP is: its AS and country from the offline databases (nulls when unknown). */
export interface IpAttribution {
  asn: number | null;
  asOrganisation: string | null;
  country: string | null;
}

export type Attribute = (ip: string) => IpAttribution;

/** AS0 (IANA: not routed) stands for an IP no database attributes, so it still counts somewhere. */
export const unattributedAsn = 0;

/**
 * What one event changes: fields of a notice case (merged into the case's document, keyed by
 * `caseKey`), or a reappearance (a document of its own, keyed by `reappearanceKey`). Every change
 * sets values the event alone decides, keyed by the event's id where events accumulate, so
 * applying a change twice, or changes of one case in any order, gives the same case: a replayed
 * or restarted stage writes the same documents.
 */
export type CaseChange =
  | { kind: 'case'; key: string; fields: Partial<NoticeCase> }
  | { kind: 'reappearance'; key: string; reappearance: Reappearance };

/** A notice case's key: partner ids are `[a-z0-9._-]`, so the first colon separates. */
export function caseKey(partnerId: string, noticeId: string): string {
  return `${partnerId}:${noticeId}`;
}

function reappearanceKey(partnerId: string, eventId: string): string {
  return `${partnerId}:${eventId}`;
}

/** The change an event makes, or null for one that changes no figure (report_received, unknown, no notice id). */
export function caseChangeOf(event: TakedownEvent, attribute: Attribute): CaseChange | null {
  if (event.type === 'reappeared') {
    const where = event.ip === null ? null : attribute(event.ip);
    return {
      kind: 'reappearance',
      key: reappearanceKey(event.partnerId, event.eventId),
      reappearance: {
        partnerId: event.partnerId,
        eventId: event.eventId,
        at: event.at,
        sha256: event.sha256,
        url: event.url,
        asn: where?.asn ?? unattributedAsn,
        asOrganisation: where?.asOrganisation ?? null,
        country: where?.country ?? null,
      },
    };
  }
  if (event.noticeId === null) return null;
  const base = { partnerId: event.partnerId, noticeId: event.noticeId };
  const change = (fields: Partial<NoticeCase>): CaseChange => ({
    kind: 'case',
    key: caseKey(event.partnerId, event.noticeId as string),
    fields: { ...base, ...fields },
  });
  switch (event.type) {
    case 'notice_sent': {
      const where = event.ip === null ? null : attribute(event.ip);
      return change({
        noticeEventId: event.eventId,
        noticeAt: event.at,
        url: event.url,
        sha256: event.sha256,
        itemId: event.itemId,
        asn: where?.asn ?? unattributedAsn,
        asOrganisation: where?.asOrganisation ?? null,
        country: where?.country ?? null,
      });
    }
    case 'renotice_sent':
      return change({ renotices: { [event.eventId]: event.at } });
    case 'removed_confirmed':
      return change({ removedEventId: event.eventId, removedAt: event.at });
    case 'content_moved':
      return change({ movedEventId: event.eventId, movedAt: event.at });
    default:
      return null;
  }
}

/** An empty case of this key: what the changes are merged onto. */
export function blankCase(partnerId: string, noticeId: string): NoticeCase {
  return {
    partnerId,
    noticeId,
    noticeEventId: null,
    noticeAt: null,
    url: null,
    sha256: null,
    itemId: null,
    asn: null,
    asOrganisation: null,
    country: null,
    renotices: {},
    removedEventId: null,
    removedAt: null,
    movedEventId: null,
    movedAt: null,
  };
}

/**
 * A change merged onto a case the way Elasticsearch merges a partial document (objects merged
 * key by key, other values replaced): the in-process fold of tests and the benchmark.
 */
export function applyCaseChange(current: NoticeCase | undefined, fields: Partial<NoticeCase>): NoticeCase {
  const start = current ?? blankCase(fields.partnerId as string, fields.noticeId as string);
  return {
    ...start,
    ...fields,
    renotices: fields.renotices === undefined ? start.renotices : { ...start.renotices, ...fields.renotices },
  };
}

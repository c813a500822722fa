// The plan's events as each hotline sends them (the request shape of `POST /v1/takedowns`), in
// time order per partner: every case's and every URL's events come out in their own order.
import type { PlannedCase, TakedownEventRequest, TakedownPlan } from './types.ts';

/** Where `generateFeed` writes a partner's events, relative to the feed directory: one event per line. */
export function takedownEventsPath(partnerId: string): string {
  return `takedowns/${partnerId}.jsonl`;
}

/** `at` in the partner's UTC offset (ISO 8601; `Z` for 0), to the second unless it has milliseconds. */
export function formatAt(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  const clock = ms % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23);
  if (offsetMinutes === 0) return `${clock}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const minutes = Math.abs(offsetMinutes);
  return `${clock}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Unstamped = Omit<TakedownEventRequest, 'eventId' | 'at'>;

function caseEvents(entry: PlannedCase, push: (at: number, event: Unstamped) => void): void {
  const { url, hosting, noticeId } = entry;
  push(entry.reportAt, { type: 'report_received', url });
  if (entry.reappearedAt !== null) {
    push(entry.reappearedAt, { type: 'reappeared', url, ip: hosting.ip, sha256: entry.sha256 });
  }
  push(entry.noticeAt, {
    type: 'notice_sent',
    url,
    ip: hosting.ip,
    noticeId,
    sha256: entry.sha256,
    ...(entry.itemId === null ? {} : { itemId: entry.itemId }),
    hosterContact: hosting.hosterContact,
    hosterHint: hosting.hosterHint,
  });
  for (const at of entry.renoticeAts) push(at, { type: 'renotice_sent', noticeId });
  const { outcome } = entry;
  if (outcome.kind === 'removed') push(outcome.at, { type: 'removed_confirmed', noticeId });
  if (outcome.kind === 'moved') {
    push(outcome.at, {
      type: 'content_moved',
      noticeId,
      newUrl: outcome.newUrl,
      newIp: outcome.newHosting.ip,
    });
  }
}

/**
 * Every partner's events in the order to send them, with event ids unique per partner. Events at
 * the same instant keep their planning order (a stable sort), so a cause stays before its effect.
 */
export function takedownEvents(plan: TakedownPlan): Map<string, TakedownEventRequest[]> {
  const byPartner = new Map<string, { events: Mutable<TakedownEventRequest>[]; ats: number[] }>(
    plan.partners.map((partner) => [partner.partnerId, { events: [], ats: [] }]),
  );
  for (const entry of plan.cases) {
    const list = byPartner.get(entry.partnerId);
    if (!list)
      throw new Error(`takedown plan bug: case ${entry.noticeId} of unknown partner ${entry.partnerId}`);
    caseEvents(entry, (at, event) => {
      // eventId and at first, filled in once the order is known (one object per event: a year is a million).
      const { type, ...fields } = event;
      list.events.push({ eventId: '', type, at: '', ...fields });
      list.ats.push(at);
    });
  }
  const out = new Map<string, TakedownEventRequest[]>();
  for (const partner of plan.partners) {
    const { events, ats } = byPartner.get(partner.partnerId)!;
    const order = Array.from(events.keys()).sort((a, b) => ats[a]! - ats[b]!);
    out.set(
      partner.partnerId,
      order.map((index, position) => {
        const event = events[index]!;
        event.eventId = `ev-${plan.idTag}-${partner.partnerId}-${String(position + 1).padStart(7, '0')}`;
        event.at = formatAt(ats[index]!, partner.offsetMinutes);
        return event;
      }),
    );
  }
  return out;
}

// The validation rules of docs/hoster-figures.md as a checker over event streams, for tests: a
// generated month must pass it, and it must catch each kind of breach.
import { hostingRanges } from '../../ip-ranges.ts';
import type { TakedownEventRequest } from '../types.ts';

export const requiredFields: Record<string, readonly (keyof TakedownEventRequest)[]> = {
  report_received: ['url'],
  notice_sent: ['url', 'ip', 'noticeId'],
  renotice_sent: ['noticeId'],
  removed_confirmed: ['noticeId'],
  content_moved: ['noticeId', 'newUrl', 'newIp'],
  reappeared: ['url', 'ip', 'sha256'],
};

const ranges = Object.values(hostingRanges)
  .flat()
  .map((range) => {
    const [address, bits] = range.cidr.split('/') as [string, string];
    return { ...range, base: ipValue(address), size: 2 ** (32 - Number(bits)) };
  });

function ipValue(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function inFeedRange(ip: string): boolean {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return false;
  const value = ipValue(ip);
  return ranges.some((range) => value >= range.base && value < range.base + range.size);
}

const isoWithOffset = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?(Z|[+-]\d\d:\d\d)$/;

/** Every breach of the doc's validation rules in one intake's view of the partners' streams, sent in this order. */
export function ruleViolations(streams: ReadonlyMap<string, readonly TakedownEventRequest[]>): string[] {
  const problems: string[] = [];
  const cases = new Map<string, { partnerId: string; url: string; latest: number; closed: boolean }>();
  const urlLatest = new Map<string, { at: number; partnerId: string }>();
  for (const [partnerId, events] of streams) {
    const eventIds = new Set<string>();
    for (const event of events) {
      const where = `${partnerId} ${event.eventId} ${event.type}`;
      if (eventIds.has(event.eventId)) problems.push(`${where}: eventId repeated`);
      eventIds.add(event.eventId);
      const fields = requiredFields[event.type];
      if (!fields) {
        problems.push(`${where}: unknown type`);
        continue;
      }
      for (const field of fields) if (event[field] === undefined) problems.push(`${where}: no ${field}`);
      if (event.type === 'notice_sent' && event.sha256 === undefined && event.itemId === undefined)
        problems.push(`${where}: neither sha256 nor itemId`);
      if (!isoWithOffset.test(event.at))
        problems.push(`${where}: at ${event.at} is not ISO 8601 with an offset`);
      for (const url of [event.url, event.newUrl]) {
        if (url !== undefined && !URL.canParse(url)) problems.push(`${where}: malformed URL ${url}`);
      }
      for (const ip of [event.ip, event.newIp]) {
        if (ip !== undefined && !inFeedRange(ip)) problems.push(`${where}: ${ip} outside the feed ranges`);
      }
      if (event.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(event.sha256))
        problems.push(`${where}: sha256`);
      if (
        event.hosterContact !== undefined &&
        !/^abuse@[a-z0-9-]+\.example\.invalid$/.test(event.hosterContact)
      )
        problems.push(`${where}: contact ${event.hosterContact}`);
      const at = Date.parse(event.at);
      let url = event.url;
      if (event.noticeId !== undefined) {
        const existing = cases.get(event.noticeId);
        if (event.type === 'notice_sent') {
          if (existing) problems.push(`${where}: second notice_sent for ${event.noticeId}`);
          else cases.set(event.noticeId, { partnerId, url: event.url!, latest: at, closed: false });
        } else if (!existing) {
          problems.push(`${where}: ${event.noticeId} has no notice_sent yet`);
        } else {
          if (existing.partnerId !== partnerId)
            problems.push(`${where}: ${event.noticeId} is another partner's`);
          if (existing.closed) problems.push(`${where}: ${event.noticeId} is closed`);
          if (at < existing.latest) problems.push(`${where}: before the case's latest event`);
          existing.latest = at;
          existing.closed = event.type === 'removed_confirmed' || event.type === 'content_moved';
          url ??= existing.url;
        }
      }
      if (url !== undefined) {
        const latest = urlLatest.get(url);
        if (latest && at < latest.at) problems.push(`${where}: before the latest event on ${url}`);
        if (latest && latest.partnerId !== partnerId)
          problems.push(`${where}: ${url} is shared by two partners`);
        urlLatest.set(url, { at, partnerId });
      }
    }
  }
  return problems;
}

/** Each notice's URL had a report_received earlier in the partner's stream. */
export function noticesWithoutReport(events: readonly TakedownEventRequest[]): string[] {
  const reported = new Set<string>();
  const missing: string[] = [];
  for (const event of events) {
    if (event.type === 'report_received') reported.add(event.url!);
    if (event.type === 'notice_sent' && !reported.has(event.url!)) missing.push(event.noticeId!);
    if (event.type === 'notice_sent') reported.delete(event.url!);
  }
  return missing;
}

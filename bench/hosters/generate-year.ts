// A seeded year of notice-and-takedown events over the feed's hosting ranges, for bench hosters.
// The feed generator's takedown month (issue 12 part 5) is built beside this; this one is small
// and the bench's own, so the measurement does not wait on it. Every report and URL is invented.
import { createHash } from 'node:crypto';
import { hostingRanges } from '@triage/feed';
import type { TakedownEvent } from '@triage/schemas';
import { seededRandom } from '@triage/testkit';

const hour = 3_600_000;
const day = 24 * hour;

interface Range {
  base: number;
  size: number;
  /** The hoster's median hours to removal: hosters differ by an order of magnitude. */
  medianHours: number;
  weight: number;
}

const ranges: Range[] = Object.values(hostingRanges)
  .flat()
  .map((range, index) => {
    const [address, bits] = range.cidr.split('/') as [string, string];
    return {
      base: address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0),
      size: 2 ** (32 - Number(bits)),
      medianHours: [3, 8, 20, 40, 6, 70, 12, 30, 5][index % 9] as number,
      weight: [30, 10, 20, 8, 14, 6, 5, 4, 3][index % 9] as number,
    };
  });
const totalWeight = ranges.reduce((sum, range) => sum + range.weight, 0);

const ipOf = (value: number) =>
  [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');

export interface YearOptions {
  /** Notices over the year (a reappearance's new notice included). */
  notices: number;
  seed: number;
  /** Start of the year (epoch ms); its end is the events' asOf. */
  from: number;
}

export interface GeneratedYear {
  /** Every event at or before the year's end, in time order. */
  events: TakedownEvent[];
  from: number;
  to: number;
}

/**
 * Notices spread over the year; per case, by the hoster's speed: removal after a log-normal delay
 * (70%), moved (10%) or never removed (20%); a re-notice after 24-48 h while still online; 3% of
 * removed content reappears at the same hoster, followed by its new notice.
 */
export function generateYear(options: YearOptions): GeneratedYear {
  const next = seededRandom(options.seed);
  const to = options.from + 365 * day;
  const events: TakedownEvent[] = [];
  const push = (
    event: Omit<TakedownEvent, 'host' | 'receivedAt' | 'hosterContact' | 'hosterHint' | 'newHost'> & {
      newHost?: string | null;
    },
  ) => {
    if (event.at > to) return;
    events.push({
      host: new URL(event.url).hostname,
      receivedAt: event.at,
      hosterContact: null,
      hosterHint: null,
      newHost: null,
      ...event,
    } as TakedownEvent);
  };
  const pickRange = () => {
    let roll = next() * totalWeight;
    for (const range of ranges) {
      roll -= range.weight;
      if (roll < 0) return range;
    }
    return ranges[ranges.length - 1] as Range;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  let made = 0;
  const noticeCase = (at: number, range: Range, sha256: string) => {
    const n = made++;
    const noticeId = `N-${n}`;
    // Three hotlines; a case's events are all its hotline's.
    const partnerId = `hotline-${(n % 3) + 1}`;
    const url = `https://host${n % 5_000}.example.invalid/f/${n}`;
    const ip = ipOf(range.base + 1 + Math.floor(next() * (range.size - 2)));
    push({
      partnerId,
      eventId: `e-${n}-n`,
      type: 'notice_sent',
      url,
      ip,
      sha256,
      itemId: null,
      noticeId,
      newUrl: null,
      newIp: null,
      at,
    });
    const fate = next();
    const closeAt =
      fate < 0.7
        ? at + Math.round(range.medianHours * hour * Math.exp(0.9 * gaussian()))
        : fate < 0.8
          ? at + Math.round(next() * 10 * day)
          : Number.POSITIVE_INFINITY;
    const renoticeAt = at + day + Math.round(next() * day);
    const shared = {
      partnerId,
      url,
      ip: null,
      sha256: null,
      itemId: null,
      noticeId,
      newUrl: null,
      newIp: null,
    };
    if (renoticeAt < closeAt) push({ ...shared, eventId: `e-${n}-r`, type: 'renotice_sent', at: renoticeAt });
    if (fate < 0.7) {
      push({ ...shared, eventId: `e-${n}-x`, type: 'removed_confirmed', at: closeAt });
      if (next() < 0.03) {
        const backAt = closeAt + Math.round(next() * 30 * day);
        const ipBack = ipOf(range.base + 1 + Math.floor(next() * (range.size - 2)));
        push({
          partnerId,
          eventId: `e-${n}-b`,
          type: 'reappeared',
          url: `${url}/back`,
          ip: ipBack,
          sha256,
          itemId: null,
          noticeId: null,
          newUrl: null,
          newIp: null,
          at: backAt,
        });
        if (made < options.notices && backAt < to) noticeCase(backAt + hour, range, sha256);
      }
    } else if (fate < 0.8) {
      push({
        ...shared,
        eventId: `e-${n}-m`,
        type: 'content_moved',
        newUrl: `${url}/moved`,
        newIp: ipOf(range.base + 1),
        at: closeAt,
      });
    }
  };
  while (made < options.notices) {
    const at = options.from + Math.floor(next() * 365 * day);
    const sha256 = createHash('sha256').update(`bench-hosters-${made}`).digest('hex');
    noticeCase(at, pickRange(), sha256);
  }
  events.sort((a, b) => a.at - b.at || a.eventId.localeCompare(b.eventId));
  return { events, from: options.from, to };
}

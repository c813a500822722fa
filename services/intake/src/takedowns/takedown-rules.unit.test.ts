// Every rule of docs/hoster-figures.md, "Events": the request's shape and each event's fields
// (checkTakedownRequest), then the state rules (decideTakedowns) over tables in memory.
import { TriageError } from '@triage/errors';
import type { TakedownEvent } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { checkTakedownRequest, maxTakedownEvents } from './takedown-request.ts';
import { applyTakedown, type NoticeCase, type RowTable, type TakedownTables } from './takedown-rows.ts';
import { decideTakedowns } from './takedown-rules.ts';

const sha = 'ab'.repeat(32);
const hour = 3_600_000;
const t0 = Date.UTC(2026, 2, 14, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

type Wire = Record<string, unknown>;
const notice = (
  eventId: string,
  noticeId: string,
  at = t0,
  url = 'https://files.example.invalid/a',
): Wire => ({
  eventId,
  type: 'notice_sent',
  at: iso(at),
  url,
  ip: '203.0.113.9',
  noticeId,
  sha256: sha,
});
const followUp = (eventId: string, type: string, noticeId: string, at: number, extra: Wire = {}): Wire => ({
  eventId,
  type,
  at: iso(at),
  noticeId,
  ...extra,
});

function refusal(run: () => unknown): TriageError {
  try {
    run();
  } catch (error) {
    if (error instanceof TriageError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

function memoryTables(): TakedownTables & { sizes(): number[] } {
  const table = <V>(): RowTable<V> & { size: () => number } => {
    const rows = new Map<string, V>();
    return {
      get: (key) => rows.get(key),
      put: (key, value) => void rows.set(key, value),
      size: () => rows.size,
    };
  };
  const events = table<string>();
  const cases = table<NoticeCase>();
  const noticeOwners = table<string>();
  const urls = table<number>();
  return {
    events,
    cases,
    noticeOwners,
    urls,
    sizes: () => [events.size(), cases.size(), noticeOwners.size(), urls.size()],
  };
}

/** Decides a request of `partnerId` and, when accepted, applies it as intake does after the commit. */
function send(tables: TakedownTables, partnerId: string, events: Wire[], receivedAt = t0 + 48 * hour) {
  const decision = decideTakedowns({
    partnerId,
    receivedAt,
    events: checkTakedownRequest({ events }),
    tables,
  });
  for (const record of decision.records) applyTakedown(tables, record);
  return decision;
}

describe('checkTakedownRequest: the request and each event', () => {
  it.each<[string, unknown, string, string]>([
    ['a body that is not an object', [notice('e1', 'n1')], 'TRIAGE_TAKEDOWN_INVALID', '/events'],
    ['a body without events', { items: [] }, 'TRIAGE_TAKEDOWN_INVALID', '/events'],
    ['an empty list', { events: [] }, 'TRIAGE_TAKEDOWN_INVALID', '/events'],
    [
      'a field beside events',
      { events: [notice('e1', 'n1')], partnerId: 'x' },
      'TRIAGE_TAKEDOWN_INVALID',
      '/partnerId',
    ],
    [
      `more than ${maxTakedownEvents} events`,
      { events: Array.from({ length: maxTakedownEvents + 1 }, (_, i) => notice(`e${i}`, `n${i}`)) },
      'TRIAGE_TAKEDOWN_TOO_LARGE',
      '/events',
    ],
    ['an event that is not an object', { events: ['notice'] }, 'TRIAGE_TAKEDOWN_INVALID', '/events/0'],
    [
      'an unknown type',
      { events: [{ ...notice('e1', 'n1'), type: 'hoster_called' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/type',
    ],
    [
      'the type "unknown"',
      { events: [{ ...notice('e1', 'n1'), type: 'unknown' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/type',
    ],
    [
      'no type',
      { events: [{ ...notice('e1', 'n1'), type: undefined }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/type',
    ],
    [
      'an unknown field',
      { events: [{ ...notice('e1', 'n1'), reporterEmail: 'x' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/reporterEmail',
    ],
    [
      'no eventId',
      { events: [{ ...notice('e1', 'n1'), eventId: undefined }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/eventId',
    ],
    ['no at', { events: [{ ...notice('e1', 'n1'), at: null }] }, 'TRIAGE_TAKEDOWN_INVALID', '/events/0/at'],
    [
      'report_received without url',
      { events: [{ eventId: 'e1', type: 'report_received', at: iso(t0) }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/url',
    ],
    [
      'notice_sent without url',
      { events: [{ ...notice('e1', 'n1'), url: undefined }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/url',
    ],
    [
      'notice_sent without ip',
      { events: [{ ...notice('e1', 'n1'), ip: undefined }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/ip',
    ],
    [
      'notice_sent without noticeId',
      { events: [{ ...notice('e1', 'n1'), noticeId: undefined }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/noticeId',
    ],
    [
      'notice_sent without sha256 or itemId',
      { events: [{ ...notice('e1', 'n1'), sha256: undefined }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/sha256',
    ],
    [
      'renotice_sent without noticeId',
      { events: [{ eventId: 'e1', type: 'renotice_sent', at: iso(t0) }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/noticeId',
    ],
    [
      'removed_confirmed without noticeId',
      { events: [{ eventId: 'e1', type: 'removed_confirmed', at: iso(t0) }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/noticeId',
    ],
    [
      'content_moved without newUrl',
      { events: [followUp('e1', 'content_moved', 'n1', t0, { newIp: '198.51.100.7' })] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/newUrl',
    ],
    [
      'content_moved without newIp',
      { events: [followUp('e1', 'content_moved', 'n1', t0, { newUrl: 'https://b.example.invalid/x' })] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/newIp',
    ],
    [
      'reappeared without sha256',
      {
        events: [
          {
            eventId: 'e1',
            type: 'reappeared',
            at: iso(t0),
            url: 'https://a.example.invalid/',
            ip: '203.0.113.9',
          },
        ],
      },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/sha256',
    ],
    [
      'reappeared without ip',
      {
        events: [
          { eventId: 'e1', type: 'reappeared', at: iso(t0), url: 'https://a.example.invalid/', sha256: sha },
        ],
      },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/ip',
    ],
    [
      'a URL that is not absolute',
      { events: [{ ...notice('e1', 'n1'), url: 'files.example.invalid/a' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/url',
    ],
    [
      'a URL that is not http(s)',
      { events: [{ ...notice('e1', 'n1'), url: 'ftp://files.example.invalid/a' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/url',
    ],
    [
      'a malformed new URL',
      { events: [followUp('e1', 'content_moved', 'n1', t0, { newUrl: 'https://', newIp: '198.51.100.7' })] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/newUrl',
    ],
    [
      'a malformed IP',
      { events: [{ ...notice('e1', 'n1'), ip: '203.0.113.300' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/ip',
    ],
    [
      'a malformed new IP',
      {
        events: [
          followUp('e1', 'content_moved', 'n1', t0, { newUrl: 'https://b.example.invalid/', newIp: 'host' }),
        ],
      },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/newIp',
    ],
    [
      'a malformed sha256',
      { events: [{ ...notice('e1', 'n1'), sha256: 'ab'.repeat(31) }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/sha256',
    ],
    [
      'a time without an offset',
      { events: [{ ...notice('e1', 'n1'), at: '2026-03-14T10:00:00' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/at',
    ],
    [
      'a time that is a number',
      { events: [{ ...notice('e1', 'n1'), at: t0 }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/at',
    ],
    [
      'an eventId with a space',
      { events: [{ ...notice('e1', 'n1'), eventId: 'e 1' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/eventId',
    ],
    [
      'a noticeId on report_received',
      {
        events: [
          {
            eventId: 'e1',
            type: 'report_received',
            at: iso(t0),
            url: 'https://a.example.invalid/',
            noticeId: 'n1',
          },
        ],
      },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/noticeId',
    ],
    [
      'a new URL on a notice',
      { events: [{ ...notice('e1', 'n1'), newUrl: 'https://b.example.invalid/' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/newUrl',
    ],
    [
      'a hoster contact with a control character',
      { events: [{ ...notice('e1', 'n1'), hosterContact: 'abuse@\nx' }] },
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/hosterContact',
    ],
  ])('given %s, then the request is refused with %s at %s', (_case, body, code, pointer) => {
    const error = refusal(() => checkTakedownRequest(body));
    expect(error.code).toBe(code);
    expect(error.pointer).toBe(pointer);
  });

  it('given several bad events, then one refusal lists each by index and code, without their values', () => {
    const error = refusal(() =>
      checkTakedownRequest({
        events: [
          notice('e1', 'n1'),
          { ...notice('e2', 'n2'), ip: 'not-an-ip' },
          notice('e3', 'n3'),
          { ...notice('e4', 'n4'), type: 'hoster_called' },
        ],
      }),
    );
    expect(error.code).toBe('TRIAGE_TAKEDOWN_INVALID');
    expect(error.status).toBe(422);
    expect(error.pointer).toBe('/events/1/ip');
    expect(error.message).toContain('2 of 4 events refused');
    expect(error.message).toContain('/events/1/ip TRIAGE_TAKEDOWN_INVALID');
    expect(error.message).toContain('/events/3/type TRIAGE_TAKEDOWN_INVALID');
    expect(error.message).not.toContain('not-an-ip');
    expect(error.message).not.toContain('hoster_called');
  });

  it('given a valid notice, then URL, host, sha256 and time are normalised and a notice may name an item instead of a hash', () => {
    const [first, second] = checkTakedownRequest({
      events: [
        {
          ...notice('e1', 'n1'),
          url: 'HTTPS://Files.Example.INVALID/a b',
          sha256: sha.toUpperCase(),
          at: '2026-03-14T12:00:00+02:00',
        },
        { ...notice('e2', 'n2'), sha256: undefined, itemId: 'item-42', ip: '2001:DB8::1' },
      ],
    });
    expect(first).toMatchObject({
      url: 'https://files.example.invalid/a%20b',
      host: 'files.example.invalid',
      sha256: sha,
      at: t0,
    });
    expect(second).toMatchObject({ sha256: null, itemId: 'item-42', ip: '2001:db8::1' });
  });
});

describe('decideTakedowns: the state rules', () => {
  it('given a whole notice case in time order, then each event is a record, follow-ups carry their case URL, and intake fills partner and receipt time', () => {
    const tables = memoryTables();
    const decision = send(tables, 'hotline-nl', [
      { eventId: 'r1', type: 'report_received', at: iso(t0 - hour), url: 'https://files.example.invalid/a' },
      notice('n1-sent', 'n1', t0),
      followUp('n1-re', 'renotice_sent', 'n1', t0 + 24 * hour),
      followUp('n1-gone', 'removed_confirmed', 'n1', t0 + 30 * hour),
    ]);
    expect(decision.failures).toEqual([]);
    expect(decision.duplicates).toBe(0);
    expect(decision.records.map((record) => record.type)).toEqual([
      'report_received',
      'notice_sent',
      'renotice_sent',
      'removed_confirmed',
    ]);
    expect(decision.records[3]).toMatchObject<Partial<TakedownEvent>>({
      eventId: 'hotline-nl:n1-gone',
      partnerId: 'hotline-nl',
      url: 'https://files.example.invalid/a',
      host: 'files.example.invalid',
      noticeId: 'n1',
      at: t0 + 30 * hour,
      receivedAt: t0 + 48 * hour,
    });
  });

  it.each<[string, Wire[], Wire[], string, string]>([
    [
      'a removal before its notice',
      [],
      [followUp('g', 'removed_confirmed', 'n1', t0)],
      'TRIAGE_TAKEDOWN_NO_NOTICE',
      '/events/0/noticeId',
    ],
    [
      'a re-notice before its notice',
      [],
      [followUp('g', 'renotice_sent', 'n1', t0)],
      'TRIAGE_TAKEDOWN_NO_NOTICE',
      '/events/0/noticeId',
    ],
    [
      'a move before its notice',
      [],
      [
        followUp('g', 'content_moved', 'n1', t0, {
          newUrl: 'https://b.example.invalid/',
          newIp: '198.51.100.7',
        }),
      ],
      'TRIAGE_TAKEDOWN_NO_NOTICE',
      '/events/0/noticeId',
    ],
    [
      'a second notice_sent for a noticeId',
      [notice('s', 'n1', t0)],
      [notice('s2', 'n1', t0 + hour)],
      'TRIAGE_TAKEDOWN_NOTICE_EXISTS',
      '/events/0/noticeId',
    ],
    [
      'a re-notice on a case closed as removed',
      [notice('s', 'n1', t0), followUp('g', 'removed_confirmed', 'n1', t0 + hour)],
      [followUp('r', 'renotice_sent', 'n1', t0 + 2 * hour)],
      'TRIAGE_TAKEDOWN_CASE_CLOSED',
      '/events/0/noticeId',
    ],
    [
      'a removal on a case closed as moved',
      [
        notice('s', 'n1', t0),
        followUp('m', 'content_moved', 'n1', t0 + hour, {
          newUrl: 'https://b.example.invalid/',
          newIp: '198.51.100.7',
        }),
      ],
      [followUp('g', 'removed_confirmed', 'n1', t0 + 2 * hour)],
      'TRIAGE_TAKEDOWN_CASE_CLOSED',
      '/events/0/noticeId',
    ],
    [
      'an event before the latest of its case',
      [notice('s', 'n1', t0), followUp('r', 'renotice_sent', 'n1', t0 + 24 * hour)],
      [followUp('g', 'removed_confirmed', 'n1', t0 + 12 * hour)],
      'TRIAGE_TAKEDOWN_OUT_OF_ORDER',
      '/events/0/at',
    ],
    [
      'an event before the latest on its URL',
      [{ eventId: 'r', type: 'report_received', at: iso(t0 + hour), url: 'https://files.example.invalid/a' }],
      [notice('s', 'n1', t0)],
      'TRIAGE_TAKEDOWN_OUT_OF_ORDER',
      '/events/0/at',
    ],
    [
      "a follow-up naming a URL other than its case's",
      [notice('s', 'n1', t0)],
      [followUp('r', 'renotice_sent', 'n1', t0 + hour, { url: 'https://other.example.invalid/' })],
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/url',
    ],
    [
      'an eventId recorded before with other content',
      [notice('s', 'n1', t0)],
      [notice('s', 'n1', t0 + hour)],
      'TRIAGE_TAKEDOWN_EVENT_ID_REUSED',
      '/events/0/eventId',
    ],
  ])(
    'given %s, then it is refused with its code and nothing changes',
    (_case, before, request, code, pointer) => {
      const tables = memoryTables();
      if (before.length > 0) expect(send(tables, 'hotline-nl', before).failures).toEqual([]);
      const sizes = tables.sizes();
      const decision = send(tables, 'hotline-nl', [...request]);
      expect(decision.failures.map((failure) => [failure.code, failure.pointer])).toEqual([[code, pointer]]);
      expect(decision.records).toEqual([]);
      expect(tables.sizes()).toEqual(sizes);
    },
  );

  it("given another partner's notice, then its follow-ups are refused as forbidden, while that partner may open its own case with the same noticeId", () => {
    const tables = memoryTables();
    send(tables, 'hotline-nl', [notice('s', 'n1', t0)]);
    const foreign = send(tables, 'hotline-be', [followUp('g', 'removed_confirmed', 'n1', t0 + hour)]);
    expect(foreign.failures.map((failure) => failure.code)).toEqual(['TRIAGE_TAKEDOWN_NOTICE_FORBIDDEN']);
    expect(foreign.failures[0]!.reason).not.toContain('hotline-nl');
    const own = send(tables, 'hotline-be', [
      notice('s', 'n1', t0 + hour, 'https://other.example.invalid/x'),
      followUp('g', 'removed_confirmed', 'n1', t0 + 2 * hour),
    ]);
    expect(own.failures).toEqual([]);
    expect(own.records.map((record) => [record.eventId, record.url])).toEqual([
      ['hotline-be:s', 'https://other.example.invalid/x'],
      ['hotline-be:g', 'https://other.example.invalid/x'],
    ]);
  });

  it('given one bad event among good ones, then no event of the request is recorded and every failure is listed', () => {
    const tables = memoryTables();
    const decision = send(tables, 'hotline-nl', [
      notice('s1', 'n1', t0),
      followUp('g2', 'removed_confirmed', 'n2', t0 + hour),
      notice('s3', 'n3', t0, 'https://files.example.invalid/c'),
      notice('s1', 'n1', t0 + hour),
    ]);
    expect(decision.records).toEqual([]);
    expect(decision.failures.map((failure) => [failure.index, failure.code])).toEqual([
      [1, 'TRIAGE_TAKEDOWN_NO_NOTICE'],
      [3, 'TRIAGE_TAKEDOWN_EVENT_ID_REUSED'],
    ]);
    expect(tables.sizes()).toEqual([0, 0, 0, 0]);
  });

  it('given the same events again, alone or twice in one request, then they are duplicates and nothing new is recorded', () => {
    const tables = memoryTables();
    const events = [notice('s', 'n1', t0), followUp('g', 'removed_confirmed', 'n1', t0 + hour)];
    expect(send(tables, 'hotline-nl', events).records).toHaveLength(2);
    const sizes = tables.sizes();
    // Later receipt time, and the time written with another offset: the same content.
    const again = send(
      tables,
      'hotline-nl',
      [{ ...events[0]!, at: '2026-03-14T11:00:00+01:00' }, events[1]!],
      t0 + 99 * hour,
    );
    expect(again).toEqual({ records: [], duplicates: 2, failures: [] });
    expect(tables.sizes()).toEqual(sizes);

    const twice = send(tables, 'hotline-nl', [
      {
        eventId: 'r',
        type: 'report_received',
        at: iso(t0 + 2 * hour),
        url: 'https://files.example.invalid/b',
      },
      {
        eventId: 'r',
        type: 'report_received',
        at: iso(t0 + 2 * hour),
        url: 'https://files.example.invalid/b',
      },
    ]);
    expect([twice.records.length, twice.duplicates]).toEqual([1, 1]);
    // The same eventId of another partner is another event.
    expect(
      send(tables, 'hotline-be', [notice('s', 'n9', t0 + 3 * hour, 'https://x.example.invalid/')]).records,
    ).toHaveLength(1);
  });

  it('given events applied twice (published, then read back from the topic), then the rows are the same', () => {
    const once = memoryTables();
    const twice = memoryTables();
    const decision = send(once, 'hotline-nl', [
      notice('s', 'n1', t0),
      followUp('g', 'removed_confirmed', 'n1', t0 + hour),
    ]);
    for (const record of [...decision.records, ...decision.records]) applyTakedown(twice, record);
    expect(twice.sizes()).toEqual(once.sizes());
    expect(twice.cases.get('hotline-nl:n1')).toEqual(once.cases.get('hotline-nl:n1'));
    expect(once.cases.get('hotline-nl:n1')).toMatchObject({ closed: 'removed', latestAt: t0 + hour });
  });
});

// The hoster routes (services/triage-api) over the hoster monitor's documents (services/hoster-monitor)
// on the real Kafka and Elasticsearch: takedown events produced to a test's own
// takedowns.v1, folded by the hoster monitor stage into its indices, read through the API; the
// figures checked against a table computed by hand, CSV against JSON, roles, the audit gate, the
// evidence export, and a replayed stage giving the same figures.
import type { UserRole } from '@triage/auth';
import { sendTakedowns, startHosterMonitor, takedownEvent } from '@triage/hoster-monitor/testing';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, type TakedownEvent } from '@triage/schemas';
import { type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
import { heldRecorder, memoryRecorder, startTestApi } from '@triage/triage-api/testing';
import { describe, expect } from 'vitest';

const codec = createCodec();
const hour = 3_600_000;
const day = 24 * hour;
const t0 = Date.UTC(2026, 2, 1);
const asOf = t0 + 5 * day;
// February (no notice) and March: two months of trend.
const window = `from=2026-02-01T00:00:00.000Z&to=2026-04-01T00:00:00.000Z&asOf=${new Date(asOf).toISOString()}`;
const sha = (n: number) => String(n).padStart(64, '0');

// Addresses in the feed's hosting ranges, which the bundled databases attribute (feed-ranges test).
const leaseweb = 60781;
const hetzner = 24940;
const ovh = 16276;

const notice = (id: string, url: string, ip: string, at: number, sha256: string | null = null) =>
  takedownEvent({ eventId: `${id}-notice`, type: 'notice_sent', noticeId: id, url, ip, at, sha256 });
const on = (
  id: string,
  url: string,
  type: TakedownEvent['type'],
  at: number,
  extra: Partial<TakedownEvent> = {},
) => takedownEvent({ eventId: `${id}-${type}-${at}`, type, noticeId: id, url, at, ...extra });

const u = (n: number) => `https://files${n}.example.invalid/item`;

/**
 * By hand, as of t0 + 5 d:
 * LeaseWeb (NL): n1 removed after 3 h; n2 re-noticed, removed after 30 h; n3 re-noticed, online
 *   since t0 + 1 h (overdue); s1 back at LeaseWeb on day 2 (recidivism 1).
 * Hetzner (DE): n4 moved after 2 h; n5 noticed 12 h before asOf (online, not overdue).
 * OVH (FR): n6 removed after 11 h. A report_received changes nothing.
 */
const events: TakedownEvent[] = [
  takedownEvent({ eventId: 'r0', type: 'report_received', url: u(1), at: t0 - hour }),
  notice('n1', u(1), '95.211.0.10', t0, sha(1)),
  on('n1', u(1), 'removed_confirmed', t0 + 3 * hour),
  notice('n2', u(2), '95.211.0.11', t0, sha(2)),
  on('n2', u(2), 'renotice_sent', t0 + 25 * hour),
  on('n2', u(2), 'removed_confirmed', t0 + 30 * hour),
  notice('n3', u(3), '85.17.0.5', t0 + hour, sha(3)),
  on('n3', u(3), 'renotice_sent', t0 + 26 * hour),
  takedownEvent({
    eventId: 'back-1',
    type: 'reappeared',
    url: u(7),
    ip: '95.211.0.12',
    sha256: sha(1),
    at: t0 + 2 * day,
  }),
  notice('n4', u(4), '88.198.0.1', t0),
  on('n4', u(4), 'content_moved', t0 + 2 * hour, {
    newUrl: u(8),
    newHost: 'files8.example.invalid',
    newIp: '88.198.0.2',
  }),
  notice('n5', u(5), '136.243.0.9', asOf - 12 * hour),
  notice('n6', u(6), '91.121.0.3', t0, sha(6)),
  on('n6', u(6), 'removed_confirmed', t0 + 11 * hour),
];

const expectedLeaseweb = {
  asn: leaseweb,
  country: 'NL',
  countries: ['NL'],
  notices: 3,
  renotices: 2,
  removed: 2,
  moved: 0,
  stillOnline: 1,
  // Times 3 h, 30 h, +∞: median rank 2, P90 rank 3 (+∞).
  medianTimeToRemovalMs: 30 * hour,
  p90TimeToRemovalMs: null,
  removedWithin24hShare: 1 / 3,
  removedWithin12hShare: 1 / 3,
  onlineNow: 1,
  countryOnlineShare: 1,
  recidivism: 1,
  overdueNow: 1,
};
const expectedHetzner = {
  asn: hetzner,
  country: 'DE',
  notices: 2,
  renotices: 0,
  removed: 0,
  moved: 1,
  stillOnline: 1,
  medianTimeToRemovalMs: null,
  p90TimeToRemovalMs: null,
  removedWithin24hShare: 0,
  removedWithin12hShare: 0,
  onlineNow: 1,
  countryOnlineShare: 1,
  recidivism: 0,
  overdueNow: 0,
};
const expectedOvh = {
  asn: ovh,
  country: 'FR',
  notices: 1,
  removed: 1,
  stillOnline: 0,
  medianTimeToRemovalMs: 11 * hour,
  p90TimeToRemovalMs: 11 * hour,
  removedWithin24hShare: 1,
  removedWithin12hShare: 1,
  onlineNow: 0,
  // Nothing online in FR: a zero denominator.
  countryOnlineShare: null,
  overdueNow: 0,
};

/** A test with its own takedowns topic and indices, the events sent and folded by a stage. */
const test = kafkaTest.extend<{ search: SearchFixture }>({
  search: async ({ kafka }, use) => {
    await kafka.createTopics([pipelineTopics.takedowns]);
    await useSearchFixture(kafka.connection.topicPrefix ?? '', async (fixture) => {
      await sendTakedowns(kafka.connection, codec, events);
      const stage = await startHosterMonitor({
        connection: kafka.connection,
        codec,
        client: fixture.client,
        groupId: 'hoster-monitor',
      });
      try {
        await stage.consumed(events.length);
      } finally {
        await stage.stop();
      }
      await use(fixture);
    });
  },
});

type Trail = Parameters<typeof startTestApi>[0]['trail'];

/** The API on the test's indices, reading the hoster documents on every request; `app.close()` closes it all. */
async function appWith(
  kafka: { connection: Parameters<typeof startTestApi>[0]['connection'] },
  search: SearchFixture,
  trail: Trail,
) {
  const api = await startTestApi({
    connection: kafka.connection,
    search: { client: search.client, prefix: search.prefix },
    trail,
    hosterRefreshMs: 0,
  });
  return {
    inject: api.app.inject.bind(api.app),
    bearer: (role: UserRole) => api.bearer(role),
    close: () => api.close(),
  };
}

/** CSV text as rows of cells (the test's values have no quotes or commas). */
const csvRows = (text: string) =>
  text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
const cellOf = (value: unknown) => (value === null || value === undefined ? '' : String(value));

describe('GET /v1/hosters', () => {
  test('given the month of events, then the ranking has every figure as computed by hand, and the CSV the same numbers', async ({
    kafka,
    search,
  }) => {
    const trail = memoryRecorder();
    const app = await appWith(kafka, search, trail);
    try {
      const response = await app.inject({
        url: `/v1/hosters?${window}`,
        headers: { authorization: await app.bearer('supervisor') },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.period).toEqual({
        from: '2026-02-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        asOf: new Date(asOf).toISOString(),
      });
      // Ranked by overdueNow, then notices.
      expect(body.hosters.map((row: { asn: number }) => row.asn)).toEqual([leaseweb, hetzner, ovh]);
      expect(body.hosters[0]).toMatchObject(expectedLeaseweb);
      expect(body.hosters[0].asOrganisation).toEqual(expect.any(String));
      expect(body.hosters[1]).toMatchObject(expectedHetzner);
      expect(body.hosters[2]).toMatchObject(expectedOvh);

      const csv = await app.inject({
        url: `/v1/hosters?${window}&format=csv`,
        headers: { authorization: await app.bearer('auditor') },
      });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const [header, ...rows] = csvRows(csv.body);
      expect(header?.slice(0, 4)).toEqual(['asn', 'asOrganisation', 'country', 'notices']);
      expect(rows).toEqual(
        body.hosters.map((row: Record<string, unknown>) =>
          (header ?? []).map((column) => cellOf(row[column])),
        ),
      );
      expect(
        trail.events.map((event) => [event.action, event.target, event.outcome, event.resultCount]),
      ).toEqual([
        ['search', { type: 'hoster', id: null }, 'allowed', 3],
        ['search', { type: 'hoster', id: null }, 'allowed', 3],
      ]);
    } finally {
      await app.close();
    }
  });

  test('given a country, a minimum and a sort, then the rows are the hosters within it', async ({
    kafka,
    search,
  }) => {
    const app = await appWith(kafka, search, memoryRecorder());
    try {
      const get = async (query: string) =>
        (
          await app.inject({
            url: `/v1/hosters?${window}&${query}`,
            headers: { authorization: await app.bearer('auditor') },
          })
        ).json();
      expect((await get('country=DE')).hosters).toMatchObject([{ ...expectedHetzner, countries: ['DE'] }]);
      expect((await get('minNotices=2')).hosters.map((row: { asn: number }) => row.asn)).toEqual([
        leaseweb,
        hetzner,
      ]);
      expect(
        (await get('sort=medianTimeToRemovalMs&order=asc')).hosters.map((row: { asn: number }) => row.asn),
      ).toEqual([ovh, leaseweb, hetzner]);
      const bad = await app.inject({
        url: '/v1/hosters?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
        headers: { authorization: await app.bearer('auditor') },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('TRIAGE_REQUEST_INVALID');
    } finally {
      await app.close();
    }
  });

  test('given an analyst, then 403 on every hoster route, each refusal audited as denied', async ({
    kafka,
    search,
  }) => {
    const trail = memoryRecorder();
    const app = await appWith(kafka, search, trail);
    try {
      for (const url of ['/v1/hosters', `/v1/hosters/${leaseweb}`, `/v1/hosters/${leaseweb}/evidence`]) {
        const response = await app.inject({ url, headers: { authorization: await app.bearer('analyst') } });
        expect(response.statusCode, url).toBe(403);
      }
      expect(trail.events.map((event) => [event.action, event.outcome])).toEqual([
        ['search', 'denied'],
        ['search', 'denied'],
        ['export', 'denied'],
      ]);
    } finally {
      await app.close();
    }
  });

  test('given a slow audit acknowledgement, then the answer waits for it', async ({ kafka, search }) => {
    const { trail, recordCalled, release } = heldRecorder();
    const app = await appWith(kafka, search, trail);
    try {
      let answered = false;
      const pending = app
        .inject({ url: `/v1/hosters?${window}`, headers: { authorization: await app.bearer('supervisor') } })
        .then((response) => {
          answered = true;
          return response;
        });
      await recordCalled;
      await new Promise((resolve) => setImmediate(resolve));
      expect(answered).toBe(false);
      release();
      expect((await pending).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('GET /v1/hosters/{asn}', () => {
  test('given LeaseWeb, then its figures, countries, trend per month, distribution and overdue list; the CSV the same numbers', async ({
    kafka,
    search,
  }) => {
    const trail = memoryRecorder();
    const app = await appWith(kafka, search, trail);
    try {
      const response = await app.inject({
        url: `/v1/hosters/${leaseweb}?${window}`,
        headers: { authorization: await app.bearer('auditor') },
      });
      expect(response.statusCode).toBe(200);
      const page = response.json();
      expect(page.hoster).toMatchObject(expectedLeaseweb);
      expect(page.countries).toMatchObject([{ ...expectedLeaseweb, country: 'NL' }]);
      expect(
        page.trend.map((month: { month: string; notices: number }) => [month.month, month.notices]),
      ).toEqual([
        ['2026-02', 0],
        ['2026-03', 3],
      ]);
      expect(page.trend[1]).toMatchObject({ removed: 2, medianTimeToRemovalMs: 30 * hour, recidivism: 1 });
      // 3 h in [2 h, 4 h), 30 h in [24 h, 48 h); one censored.
      expect(page.distribution.bins.map((bin: { removed: number }) => bin.removed)).toEqual([
        0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
      ]);
      expect(page.distribution).toMatchObject({
        notices: 3,
        notRemoved: 1,
        notRemovedAt12hShare: 2 / 3,
        notRemovedAt24hShare: 2 / 3,
      });
      expect(page.overdue).toEqual([
        {
          partnerId: 'hotline-a',
          noticeId: 'n3',
          noticeEventId: 'n3-notice',
          url: u(3),
          sha256: sha(3),
          itemId: null,
          country: 'NL',
          noticeAt: new Date(t0 + hour).toISOString(),
          renotices: [
            { eventId: `n3-renotice_sent-${t0 + 26 * hour}`, at: new Date(t0 + 26 * hour).toISOString() },
          ],
          onlineForMs: asOf - t0 - hour,
        },
      ]);

      const csv = await app.inject({
        url: `/v1/hosters/${leaseweb}?${window}&format=csv`,
        headers: { authorization: await app.bearer('auditor') },
      });
      const [header, hosterRow, countryRow, february, march] = csvRows(csv.body);
      const cells = (scope: string, month: string | null, row: Record<string, unknown>) =>
        (header ?? []).map((column) =>
          column === 'scope' ? scope : column === 'month' ? cellOf(month) : cellOf(row[column]),
        );
      expect(hosterRow).toEqual(cells('hoster', null, page.hoster));
      expect(countryRow).toEqual(cells('country', null, page.countries[0]));
      expect(february).toEqual(cells('month', '2026-02', { ...page.trend[0], country: 'NL' }));
      expect(march).toEqual(cells('month', '2026-03', { ...page.trend[1], country: 'NL' }));

      const missing = await app.inject({
        url: '/v1/hosters/64512',
        headers: { authorization: await app.bearer('auditor') },
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('TRIAGE_HOSTER_NOT_FOUND');
      expect(trail.events.map((event) => [event.target.id, event.outcome, event.resultCount])).toEqual([
        [String(leaseweb), 'allowed', 1],
        [String(leaseweb), 'allowed', 1],
        ['64512', 'allowed', 0],
      ]);
    } finally {
      await app.close();
    }
  });

  test('given the evidence export, then the overdue items with ids, times and hashes only, audited as an export first', async ({
    kafka,
    search,
  }) => {
    const trail = memoryRecorder();
    const app = await appWith(kafka, search, trail);
    try {
      const response = await app.inject({
        url: `/v1/hosters/${leaseweb}/evidence?asOf=${new Date(asOf).toISOString()}`,
        headers: { authorization: await app.bearer('supervisor') },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ asn: leaseweb, asOf: new Date(asOf).toISOString() });
      expect(body.items.map((item: { noticeId: string }) => item.noticeId)).toEqual(['n3']);
      expect(Object.keys(body.items[0]).sort()).toEqual(
        [
          'country',
          'itemId',
          'noticeAt',
          'noticeEventId',
          'noticeId',
          'onlineForMs',
          'partnerId',
          'renotices',
          'sha256',
          'url',
        ].sort(),
      );
      expect(trail.events).toMatchObject([
        {
          action: 'export',
          target: { type: 'hoster', id: String(leaseweb) },
          outcome: 'allowed',
          resultCount: 1,
        },
      ]);
      // Nothing is exported unaudited.
      trail.failing = true;
      const refused = await app.inject({
        url: `/v1/hosters/${leaseweb}/evidence`,
        headers: { authorization: await app.bearer('supervisor') },
      });
      expect(refused.statusCode).toBe(503);
      expect(refused.json().code).toBe('TRIAGE_AUDIT_UNAVAILABLE');
    } finally {
      await app.close();
    }
  });
});

describe('a replayed stage', () => {
  test('given every event delivered again and a stage replaying the topic from the start, then the same figures', async ({
    kafka,
    search,
  }) => {
    const app = await appWith(kafka, search, memoryRecorder());
    const read = async () =>
      (
        await app.inject({
          url: `/v1/hosters?${window}`,
          headers: { authorization: await app.bearer('auditor') },
        })
      ).json();
    const page = async () =>
      (
        await app.inject({
          url: `/v1/hosters/${leaseweb}?${window}`,
          headers: { authorization: await app.bearer('auditor') },
        })
      ).json();
    try {
      const before = await read();
      const pageBefore = await page();
      // At-least-once upstream: the same events again (same ids), then a new group reads both copies.
      await sendTakedowns(kafka.connection, codec, events);
      const stage = await startHosterMonitor({
        connection: kafka.connection,
        codec,
        client: search.client,
        groupId: 'hoster-monitor-replay',
      });
      try {
        await stage.consumed(2 * events.length);
      } finally {
        await stage.stop();
      }
      expect(await read()).toEqual(before);
      expect(await page()).toEqual(pageBefore);
      expect(before.hosters[0]).toMatchObject(expectedLeaseweb);
    } finally {
      await app.close();
    }
  });
});

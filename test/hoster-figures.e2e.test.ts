// Issue 12's "Done when", end to end: a generated month of hotlines' takedown events, sent through
// intake's POST /v1/takedowns with hotline-scoped keys, folded by the hoster monitor, read through
// the triage API: every figure of every hoster, and of every hoster within each country, equals the
// generator's ground truth (computed from its plan, censoring included), in JSON and in the CSV;
// the overdue lists name the same notices. Bad events are refused with their codes and change
// nothing already recorded.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  buildHosterTruth,
  type HosterFigures,
  planTakedowns,
  pushTakedowns,
  type TakedownEventRequest,
  takedownEvents,
} from '@triage/feed';
import { startHosterMonitor } from '@triage/hoster-monitor/testing';
import { type IntakeProcess, startIntakeProcess } from '@triage/intake/testing';
import { allTopics, deployedTopic, pipelineTopics } from '@triage/messaging';
import { committedRecordCount } from '@triage/messaging/testing';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { createSearchClient, ensureSearchIndices, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { startTriageApiProcess, type TriageApiProcess } from '@triage/triage-api/testing';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';

const codec = createCodec();

const figureNames = [
  'notices',
  'renotices',
  'removed',
  'moved',
  'stillOnline',
  'medianTimeToRemovalMs',
  'p90TimeToRemovalMs',
  'removedWithin24hShare',
  'removedWithin12hShare',
  'onlineNow',
  'countryOnlineShare',
  'recidivism',
  'overdueNow',
] as const satisfies readonly (keyof HosterFigures)[];

type Row = Record<(typeof figureNames)[number], number | null> & { asn: number; country: string | null };

const figuresOf = (row: object) =>
  Object.fromEntries(figureNames.map((name) => [name, (row as Record<string, unknown>)[name]]));

/** A CSV answer as records of its header's columns; numbers as the JSON has them, empty cells as null. */
function parseCsv(text: string): Record<string, string | number | null>[] {
  return parse(text, {
    columns: true,
    cast: (cell) => (cell === '' ? null : Number.isNaN(Number(cell)) ? cell : Number(cell)),
  }) as Record<string, string | number | null>[];
}

async function post(intake: IntakeProcess, partnerId: string, events: object[]) {
  const response = await fetch(`${intake.url}/v1/takedowns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${intake.keys.get(partnerId)!}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  return { status: response.status, body: (await response.json()) as { code?: string; duplicates?: number } };
}

kafkaTest(
  'given a generated month of takedown events through intake, then every hoster figure, per hoster and per country, equals the ground truth in JSON and CSV, and bad events change nothing',
  async ({ kafka }) => {
    const plan = planTakedowns({ seed: 2612, from: Date.UTC(2026, 8, 1), notices: 240 });
    const truth = buildHosterTruth(plan);
    const events = takedownEvents(plan);
    const partners = [...events.keys()];
    const total = [...events.values()].reduce((sum, list) => sum + list.length, 0);
    // Censoring and every kind of fate are in the month, or the comparison proves less.
    expect(truth.hosters.some((row) => row.stillOnline > 0 && row.overdueNow > 0)).toBe(true);
    expect(truth.hosters.some((row) => row.moved > 0)).toBe(true);
    expect(truth.hosters.some((row) => row.recidivism > 0)).toBe(true);

    await kafka.createTopics(allTopics);
    const client = createSearchClient({ url: elasticsearchUrl });
    const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
    await ensureSearchIndices({ client, prefix, replicas: 0 });
    const root = await mkdtemp(path.join(tmpdir(), 'e2e-hosters-'));
    let intake: IntakeProcess | undefined;
    let api: TriageApiProcess | undefined;
    const stage = await startHosterMonitor({
      connection: kafka.connection,
      codec,
      client,
      groupId: 'hoster-monitor-e2e',
    });
    try {
      intake = await startIntakeProcess({
        connection: kafka.connection,
        root: path.join(root, 'intake'),
        partners: [...partners, 'platform-e2e'],
        scopes: Object.fromEntries(partners.map((partnerId) => [partnerId, ['hotline']])),
      });
      api = await startTriageApiProcess({
        connection: kafka.connection,
        elasticsearchUrl,
        authDir: path.join(root, 'auth'),
        env: { TRIAGE_API_HOSTER_REFRESH_MS: '200' },
      });
      for (const [partnerId, list] of events) {
        const outcome = await pushTakedowns({
          intakeUrl: intake.url,
          apiKey: intake.keys.get(partnerId)!,
          events: list,
          maxRetries: 10,
        });
        expect(outcome.refusal, JSON.stringify(outcome.refusal)).toBeNull();
        expect(outcome.recorded).toBe(list.length);
      }
      await stage.consumed(total, 180_000);

      const window = `from=${truth.period.from}&to=${truth.period.to}&asOf=${truth.asOf}`;
      const get = async (url: string) => {
        const response = await fetch(`${api!.url}${url}`, {
          headers: { authorization: await api!.bearer('supervisor', 'e2e-supervisor') },
        });
        expect(response.status, url).toBe(200);
        return response;
      };
      const ranking = async () =>
        ((await (await get(`/v1/hosters?${window}`)).json()) as { hosters: Row[] }).hosters;
      // The API reads the stage's documents every 200 ms: until the last notice shows.
      const noticed = truth.hosters.reduce((sum, row) => sum + row.notices, 0);
      const deadline = Date.now() + 60_000;
      let rows = await ranking();
      while (rows.reduce((sum, row) => sum + Number(row.notices), 0) < noticed && Date.now() < deadline) {
        await sleep(250);
        rows = await ranking();
      }

      // Per hoster: every figure, and no hoster more or less.
      expect(rows.map((row) => row.asn).sort()).toEqual(truth.hosters.map((row) => row.asn).sort());
      for (const expected of truth.hosters) {
        const row = rows.find((candidate) => candidate.asn === expected.asn)!;
        expect(figuresOf(row), `AS${expected.asn}`).toEqual(figuresOf(expected));
      }
      // Per hoster within each country.
      const countries = [
        ...new Set(truth.hosters.flatMap((row) => row.countries.map((entry) => entry.country))),
      ];
      for (const country of countries) {
        const answer = (await (await get(`/v1/hosters?${window}&country=${country}`)).json()) as {
          hosters: Row[];
        };
        const expected = truth.hosters.flatMap((row) =>
          row.countries
            .filter((entry) => entry.country === country)
            .map((entry) => ({ asn: row.asn, ...entry })),
        );
        expect(answer.hosters.map((row) => row.asn).sort(), country).toEqual(
          expected.map((row) => row.asn).sort(),
        );
        for (const entry of expected) {
          const row = answer.hosters.find((candidate) => candidate.asn === entry.asn)!;
          expect(figuresOf(row), `AS${entry.asn} in ${country}`).toEqual(figuresOf(entry));
        }
      }
      // The overdue list of each hoster: the same notices, first notice times and hashes.
      for (const expected of truth.hosters) {
        const page = (await (await get(`/v1/hosters/${expected.asn}?${window}`)).json()) as {
          overdue: { partnerId: string; noticeId: string; noticeAt: string; sha256: string | null }[];
        };
        const key = (item: { partnerId: string; noticeId: string; sha256: string | null }, at: string) =>
          `${item.partnerId}/${item.noticeId}/${new Date(at).toISOString()}/${item.sha256}`;
        expect(
          page.overdue.map((item) => key(item, item.noticeAt)).sort(),
          `AS${expected.asn} overdue`,
        ).toEqual(expected.overdue.map((item) => key(item, item.firstNoticeAt)).sort());
      }
      // The CSV holds the JSON's numbers.
      const csv = parseCsv(await (await get(`/v1/hosters?${window}&format=csv`)).text());
      expect(csv).toHaveLength(rows.length);
      for (const row of rows) {
        const line = csv.find((candidate) => candidate.asn === row.asn)!;
        expect(figuresOf(line), `CSV AS${row.asn}`).toEqual(figuresOf(row));
      }

      // Bad events: each refused with its code, nothing recorded, the figures unchanged.
      const recordedBefore = await committedRecordCount(
        kafka.connection,
        deployedTopic(kafka.connection, pipelineTopics.takedowns.name),
      );
      const [hotline, otherHotline] = partners as [string, string];
      const sent = events.get(hotline)!;
      const someNotice = sent.find((event) => event.type === 'notice_sent')! as TakedownEventRequest;
      const at = new Date(Date.parse(truth.asOf) + 3_600_000).toISOString();
      const refusals = [
        {
          what: 'an unknown type',
          partner: hotline,
          events: [{ eventId: 'bad-type', type: 'notice_withdrawn', at, url: 'https://x.example.invalid/a' }],
          code: 'TRIAGE_TAKEDOWN_INVALID',
        },
        {
          what: 'a removal before its notice',
          partner: hotline,
          events: [{ eventId: 'bad-removal', type: 'removed_confirmed', at, noticeId: 'never-sent' }],
          code: 'TRIAGE_TAKEDOWN_NO_NOTICE',
        },
        {
          what: "an event on another partner's notice",
          partner: otherHotline,
          events: [{ eventId: 'bad-other', type: 'renotice_sent', at, noticeId: someNotice.noticeId }],
          code: 'TRIAGE_TAKEDOWN_NOTICE_FORBIDDEN',
        },
        {
          what: 'a replayed id with other content',
          partner: hotline,
          events: [{ ...someNotice, ip: '95.211.0.77' }],
          code: 'TRIAGE_TAKEDOWN_EVENT_ID_REUSED',
        },
        {
          what: 'a partner without the hotline scope',
          partner: 'platform-e2e',
          events: [{ eventId: 'bad-scope', type: 'report_received', at, url: 'https://x.example.invalid/b' }],
          code: 'TRIAGE_AUTH_FORBIDDEN',
        },
      ];
      for (const refusal of refusals) {
        const answer = await post(intake, refusal.partner, refusal.events);
        expect(answer.body.code, refusal.what).toBe(refusal.code);
      }
      // The same event again is a duplicate: answered, not recorded.
      const replay = await post(intake, hotline, [someNotice]);
      expect({ status: replay.status, duplicates: replay.body.duplicates }).toEqual({
        status: 200,
        duplicates: 1,
      });
      expect(
        await committedRecordCount(
          kafka.connection,
          deployedTopic(kafka.connection, pipelineTopics.takedowns.name),
        ),
      ).toBe(recordedBefore);
      await sleep(500);
      expect(await ranking()).toEqual(rows);
    } finally {
      await stage.stop();
      await api?.stop();
      await intake?.stop();
      await deletePrefixedIndices(client, prefix).catch(() => undefined);
      await client.close();
      await rm(root, { recursive: true, force: true });
    }
  },
  600_000,
);

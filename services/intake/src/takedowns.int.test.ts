// Issue 12, "Done when": bad takedown events get problems with codes and nothing already
// recorded changes. Intake as an operator runs it (main.ts, real HTTP, real Kafka), restarted
// with its takedown store kept and with the store deleted: it is rebuilt from takedowns.v1.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { committedRecordCount } from '@triage/messaging/testing';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { expect } from 'vitest';
import { maxTakedownBodyBytes } from './takedowns/takedown-request.ts';
import { jsonBundle, minimalReport } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';

const sha = 'c3'.repeat(32);
const urlA = 'https://files.example.invalid/share/a';
const urlB = 'https://files.example.invalid/share/b';
const hour = 3_600_000;
const t0 = Date.UTC(2026, 9, 1, 8, 0, 0);
const at = (hours: number) => new Date(t0 + hours * hour).toISOString();

/** A month's worth of one hotline's work in one request: every type, in time order. */
const validSequence = [
  { eventId: 'ev-1', type: 'report_received', at: at(0), url: urlA },
  {
    eventId: 'ev-2',
    type: 'notice_sent',
    at: at(1),
    url: urlA,
    ip: '203.0.113.9',
    noticeId: 'N-1',
    sha256: sha,
    hosterContact: 'abuse@hosting.example.invalid',
  },
  { eventId: 'ev-3', type: 'renotice_sent', at: at(25), noticeId: 'N-1' },
  { eventId: 'ev-4', type: 'removed_confirmed', at: at(30), noticeId: 'N-1' },
  {
    eventId: 'ev-5',
    type: 'notice_sent',
    at: at(2),
    url: urlB,
    ip: '198.51.100.4',
    noticeId: 'N-2',
    itemId: 'item-9',
  },
  {
    eventId: 'ev-6',
    type: 'content_moved',
    at: at(5),
    noticeId: 'N-2',
    newUrl: 'https://mirror.example.invalid/b',
    newIp: '192.0.2.77',
  },
  { eventId: 'ev-7', type: 'reappeared', at: at(40), url: urlA, ip: '203.0.113.9', sha256: sha },
  {
    eventId: 'ev-8',
    type: 'notice_sent',
    at: at(41),
    url: urlA,
    ip: '203.0.113.9',
    noticeId: 'N-3',
    sha256: sha,
  },
];

interface Answer {
  status: number;
  body: { code?: string; pointer?: string; detail?: string; recorded?: number; duplicates?: number };
}

/** POSTs, waiting out the 503 of a takedown store still reading the topic after a start. */
async function post(intake: IntakeProcess, partnerId: string, route: string, body: unknown): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${intake.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intake.keys.get(partnerId)}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = { status: response.status, body: (await response.json()) as Answer['body'] };
    if (answer.body.code !== 'TRIAGE_TAKEDOWNS_UNAVAILABLE' || attempt >= 60) return answer;
    await sleep(500);
  }
}

const takedowns = (intake: IntakeProcess, partnerId: string, events: unknown[]) =>
  post(intake, partnerId, '/v1/takedowns', { events });

/** Each bad request and its answer; run against a fresh process, a restarted one, and one whose store was deleted. */
async function expectRefusals(
  intake: IntakeProcess,
  connection: KafkaConnection,
  topic: string,
): Promise<void> {
  const before = await committedRecordCount(connection, topic);
  const cases: [string, string, unknown[], number, string, string][] = [
    [
      'an unknown type',
      'hotline-nl',
      [{ eventId: 'bad-1', type: 'hoster_phoned', at: at(50), url: urlA }],
      422,
      'TRIAGE_TAKEDOWN_INVALID',
      '/events/0/type',
    ],
    [
      'a removal before its notice',
      'hotline-nl',
      [{ eventId: 'bad-2', type: 'removed_confirmed', at: at(50), noticeId: 'N-404' }],
      422,
      'TRIAGE_TAKEDOWN_NO_NOTICE',
      '/events/0/noticeId',
    ],
    [
      "another partner's notice",
      'hotline-be',
      [{ eventId: 'bad-3', type: 'removed_confirmed', at: at(50), noticeId: 'N-3' }],
      403,
      'TRIAGE_TAKEDOWN_NOTICE_FORBIDDEN',
      '/events/0/noticeId',
    ],
    [
      'a replayed id with other content',
      'hotline-nl',
      [{ ...validSequence[3], at: at(31) }],
      409,
      'TRIAGE_TAKEDOWN_EVENT_ID_REUSED',
      '/events/0/eventId',
    ],
    [
      'an event on a closed case, after a good one',
      'hotline-nl',
      [
        { eventId: 'good-9', type: 'renotice_sent', at: at(60), noticeId: 'N-3' },
        { eventId: 'bad-5', type: 'renotice_sent', at: at(60), noticeId: 'N-1' },
      ],
      409,
      'TRIAGE_TAKEDOWN_CASE_CLOSED',
      '/events/1/noticeId',
    ],
    [
      'an event before the latest on its URL',
      'hotline-be',
      [{ eventId: 'bad-6', type: 'report_received', at: at(3), url: urlA }],
      422,
      'TRIAGE_TAKEDOWN_OUT_OF_ORDER',
      '/events/0/at',
    ],
    [
      'a key without the hotline scope',
      'tipline-x',
      [{ eventId: 'bad-7', type: 'report_received', at: at(50), url: urlA }],
      403,
      'TRIAGE_AUTH_FORBIDDEN',
      '/headers/authorization',
    ],
  ];
  for (const [name, partnerId, events, status, code, pointer] of cases) {
    const answer = await takedowns(intake, partnerId, events);
    expect({ name, status: answer.status, code: answer.body.code, pointer: answer.body.pointer }).toEqual({
      name,
      status,
      code,
      pointer,
    });
    // No URL, IP or hash of the request comes back in the problem.
    expect(answer.body.detail).not.toContain('files.example.invalid');
  }
  // A hotline-only key may not send bundles.
  const bundle = await post(
    intake,
    'hotline-nl',
    '/v1/bundles',
    jsonBundle('td-ref-1', [minimalReport('900001')]),
  );
  expect([bundle.status, bundle.body.code]).toEqual([403, 'TRIAGE_AUTH_FORBIDDEN']);

  // The exact replay of everything recorded: duplicates, nothing added.
  const replay = await takedowns(intake, 'hotline-nl', validSequence);
  expect([replay.status, replay.body]).toEqual([200, { recorded: 0, duplicates: validSequence.length }]);
  expect(await committedRecordCount(connection, topic)).toBe(before);
}

/**
 * A request written on a plain socket, answered before its body is read in full: the whole of
 * what is sent is taken by the server before it refuses, so the connection ends without a reset
 * (fetch, still writing, could see ECONNRESET instead of the answer).
 */
async function rawTakedowns(intake: IntakeProcess, headers: string, body: Buffer): Promise<[number, string]> {
  const { hostname, port } = new URL(intake.url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(
    `POST /v1/takedowns HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${intake.keys.get('hotline-nl')}\r\n` +
      `Content-Type: application/json\r\n${headers}\r\n`,
  );
  socket.write(body);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'close');
  const text = Buffer.concat(chunks).toString('utf8');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const problem = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { code: string };
  return [status, problem.code];
}

/** Bodies refused before their events are looked at: size (declared, then counted, before parsing), content type, JSON. */
async function expectBodyRefusals(intake: IntakeProcess): Promise<void> {
  const send = async (body: string, contentType = 'application/json') => {
    const response = await fetch(`${intake.url}/v1/takedowns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intake.keys.get('hotline-nl')}`, 'content-type': contentType },
      body,
    });
    const problem = (await response.json()) as { code: string };
    return [response.status, problem.code];
  };
  const overLimit = maxTakedownBodyBytes + 1;
  expect(await rawTakedowns(intake, `Content-Length: ${overLimit}\r\n`, Buffer.alloc(0))).toEqual([
    413,
    'TRIAGE_TAKEDOWN_TOO_LARGE',
  ]);
  // Chunked, no length declared: counted as it arrives (the terminating chunk never comes).
  const chunk = Buffer.concat([
    Buffer.from(`${overLimit.toString(16)}\r\n`),
    Buffer.alloc(overLimit, 0x20),
    Buffer.from('\r\n'),
  ]);
  expect(await rawTakedowns(intake, 'Transfer-Encoding: chunked\r\n', chunk)).toEqual([
    413,
    'TRIAGE_TAKEDOWN_TOO_LARGE',
  ]);
  const tooMany = Array.from({ length: 1_001 }, (_, i) => ({
    eventId: `m-${i}`,
    type: 'report_received',
    at: at(90),
    url: urlB,
  }));
  expect(await send(JSON.stringify({ events: tooMany }))).toEqual([413, 'TRIAGE_TAKEDOWN_TOO_LARGE']);
  expect(await send('{"events": [')).toEqual([422, 'TRIAGE_TAKEDOWN_INVALID']);
  expect(await send('events=1', 'application/x-www-form-urlencoded')).toEqual([
    422,
    'TRIAGE_TAKEDOWN_INVALID',
  ]);
}

kafkaTest(
  'given hotline events through the live socket, then a valid sequence is recorded once, bad events are refused with their codes, and neither a restart nor a lost store changes that',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus, pipelineTopics.takedowns]);
    const topic = kafka.topic(pipelineTopics.takedowns.name);
    const root = await mkdtemp(path.join(tmpdir(), 'intake-takedowns-'));
    const start = () =>
      startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: ['hotline-nl', 'hotline-be', 'tipline-x'],
        scopes: { 'hotline-nl': ['hotline'], 'hotline-be': ['bundles', 'hotline'] },
        // The same instance each time: its transactional ids fence its predecessor's.
        env: { INTAKE_INSTANCE_ID: 'takedown-test' },
      });
    let intake: IntakeProcess | undefined = await start();
    try {
      const recorded = await takedowns(intake, 'hotline-nl', validSequence);
      expect([recorded.status, recorded.body]).toEqual([
        200,
        { recorded: validSequence.length, duplicates: 0 },
      ]);
      expect(await committedRecordCount(kafka.connection, topic)).toBe(BigInt(validSequence.length));
      const read = await kafka.readTopic(pipelineTopics.takedowns.name, validSequence.length, 30_000);
      const codec = createCodec();
      const records = read.map((record) => ({
        key: record.key,
        event: codec.decode('TakedownEvent', record.value!),
      }));
      const removal = records.find(({ event }) => event.eventId === 'hotline-nl:ev-4')!;
      // Named by its notice only: URL and host from the case, the topic keyed by that URL.
      expect(removal.key).toBe(urlA);
      expect(removal.event).toMatchObject({
        partnerId: 'hotline-nl',
        type: 'removed_confirmed',
        url: urlA,
        host: 'files.example.invalid',
        noticeId: 'N-1',
        at: t0 + 30 * hour,
      });
      expect(records.find(({ event }) => event.eventId === 'hotline-nl:ev-6')!.event).toMatchObject({
        url: urlB,
        newUrl: 'https://mirror.example.invalid/b',
        newHost: 'mirror.example.invalid',
        newIp: '192.0.2.77',
      });
      expect(new Set(records.map(({ event }) => event.receivedAt)).size).toBe(1);

      await expectRefusals(intake, kafka.connection, topic);
      await expectBodyRefusals(intake);

      await intake.stop();
      intake = await start();
      await expectRefusals(intake, kafka.connection, topic);

      await intake.stop();
      intake = undefined;
      await rm(path.join(root, 'takedowns'), { recursive: true, force: true });
      intake = await start();
      await expectRefusals(intake, kafka.connection, topic);
      expect(intake.output()).not.toContain('"level":50');
      expect(await committedRecordCount(kafka.connection, topic)).toBe(BigInt(validSequence.length));
    } finally {
      await intake?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
  180_000,
);

// The takedown push client against a small Fastify stub of intake's `POST /v1/takedowns`, over a
// real socket: the stub checks the key and the body as intake will, and answers as intake does.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { planTakedowns } from './plan-takedowns.ts';
import { pushTakedowns } from './push-takedowns.ts';
import { takedownEvents } from './takedown-events.ts';
import type { TakedownEventRequest } from './types.ts';

const key = 'hotline-test-key';
const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Stub {
  readonly url: string;
  readonly batches: TakedownEventRequest[][];
}

/** Intake's answers: 401 without the key, 400 for a bad body, 422 from `refuseAt` on, else {recorded, duplicates}. */
async function intakeStub(options: { route?: boolean; refuseBatch?: number } = {}): Promise<Stub> {
  const app = Fastify();
  servers.push(app);
  const batches: TakedownEventRequest[][] = [];
  const recorded = new Set<string>();
  const problem = (status: number, code: string, detail: string) => ({
    type: 'about:blank',
    status,
    code,
    title: code,
    detail,
  });
  if (options.route !== false) {
    app.post<{ Body: { events?: TakedownEventRequest[] } }>('/v1/takedowns', async (request, reply) => {
      if (request.headers.authorization !== `Bearer ${key}`)
        return reply
          .code(401)
          .type('application/problem+json')
          .send(problem(401, 'TRIAGE_AUTH_REQUIRED', 'no valid key'));
      const events = request.body.events;
      if (
        request.headers['content-type'] !== 'application/json' ||
        !Array.isArray(events) ||
        events.length === 0 ||
        events.length > 1000
      )
        return reply.code(400).send(problem(400, 'TRIAGE_REQUEST_INVALID', 'events: 1 to 1000'));
      if (batches.length === options.refuseBatch)
        return reply.code(422).send(problem(422, 'TRIAGE_TAKEDOWN_INVALID', 'removal before notice'));
      batches.push(events);
      const fresh = events.filter((event) => !recorded.has(event.eventId));
      for (const event of fresh) recorded.add(event.eventId);
      return { recorded: fresh.length, duplicates: events.length - fresh.length };
    });
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, batches };
}

const events = [
  ...takedownEvents(planTakedowns({ seed: 9, from: Date.UTC(2026, 8, 1), notices: 700 })).values(),
][0]!;

describe('pushTakedowns', () => {
  it('given a month of more than 2000 events, when pushed, then batches of 1000 arrive in order with the key, and a second push is all duplicates', async () => {
    expect(events.length).toBeGreaterThan(2000);
    const stub = await intakeStub();
    const first = await pushTakedowns({ intakeUrl: stub.url, apiKey: key, events, maxRetries: 0 });
    expect(first).toEqual({
      sent: events.length,
      recorded: events.length,
      duplicates: 0,
      batches: Math.ceil(events.length / 1000),
      retries: 0,
      refusal: null,
    });
    const sizes = Array.from({ length: Math.ceil(events.length / 1000) }, (_, index) =>
      Math.min(1000, events.length - index * 1000),
    );
    expect(stub.batches.map((batch) => batch.length)).toEqual(sizes);
    expect(stub.batches.flat()).toEqual(events);
    const again = await pushTakedowns({
      intakeUrl: stub.url,
      apiKey: key,
      events,
      maxRetries: 0,
      batchSize: 500,
    });
    expect(again).toMatchObject({
      sent: events.length,
      recorded: 0,
      duplicates: events.length,
      refusal: null,
    });
  });

  it('given a wrong key, when pushed, then the 401 problem is the refusal and nothing is recorded', async () => {
    const stub = await intakeStub();
    const outcome = await pushTakedowns({ intakeUrl: stub.url, apiKey: 'another', events, maxRetries: 0 });
    expect(outcome).toMatchObject({ sent: 0, batches: 0 });
    expect(outcome.refusal).toEqual({
      status: 401,
      code: 'TRIAGE_AUTH_REQUIRED',
      detail: 'no valid key',
      batch: 0,
      firstEventId: events[0]!.eventId,
    });
    expect(stub.batches).toEqual([]);
  });

  it('given an intake without the route, when pushed, then the refusal says so (never a silent success)', async () => {
    const stub = await intakeStub({ route: false });
    const outcome = await pushTakedowns({ intakeUrl: stub.url, apiKey: key, events, maxRetries: 0 });
    expect(outcome.sent).toBe(0);
    expect(outcome.refusal).toMatchObject({ status: 404, code: 'HTTP_404' });
    expect(outcome.refusal!.detail).toContain('intake has no POST /v1/takedowns');
  });

  it('given a refusal of the second batch, when pushed, then the first stays sent and nothing after is sent', async () => {
    const stub = await intakeStub({ refuseBatch: 1 });
    const outcome = await pushTakedowns({ intakeUrl: stub.url, apiKey: key, events, maxRetries: 0 });
    expect(outcome).toMatchObject({ sent: 1000, recorded: 1000, batches: 1 });
    expect(outcome.refusal).toMatchObject({
      status: 422,
      code: 'TRIAGE_TAKEDOWN_INVALID',
      batch: 1,
      firstEventId: events[1000]!.eventId,
    });
    expect(stub.batches).toHaveLength(1);
  });
});

// POST /v1/cases/{reportId}/actions on the real Kafka and Elasticsearch: every action type read
// back from the test's triage.actions.v1, its audit event on audit.v1 before it, the refusals
// (400, 403, 404, 409), an idempotent retry, and 503 when the audit trail or the actions topic
// does not acknowledge.
import { randomUUID } from 'node:crypto';
import { type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, recordExamples } from '@triage/schemas';
import { type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
import { describe, expect } from 'vitest';
import type { AuditRecorder } from './audit/audited.ts';
import { heldRecorder, refusingAuditTrail } from './testing/action-fixtures.ts';
import { startTestApi, type TestApi } from './testing/api-harness.ts';
import { type MemoryRecorder, memoryRecorder, seedCases } from './testing/read-fixtures.ts';

const codec = createCodec();
const exampleCase = recordExamples.Case;
const reportId = exampleCase.reportId;
const url = `/v1/cases/${encodeURIComponent(reportId)}/actions`;

/** A test with its own topics (audit, actions) and indices holding the example case. */
const test = kafkaTest.extend<{ search: SearchFixture }>({
  search: async ({ kafka }, use) => {
    await kafka.createTopics([pipelineTopics.audit, pipelineTopics.triageActions]);
    await useSearchFixture(kafka.connection.topicPrefix ?? '', async (fixture) => {
      await seedCases(fixture.client, fixture.prefix, [{ reportId, case: exampleCase }]);
      await use(fixture);
    });
  },
});

const searchDeps = (search: SearchFixture) => ({ client: search.client, prefix: search.prefix });

async function post(api: TestApi, role: 'analyst' | 'supervisor', payload: object, headers = {}) {
  return api.app.inject({
    method: 'POST',
    url,
    headers: { authorization: await api.bearer(role), ...headers },
    payload,
  });
}

interface FakeWrites {
  api: TestApi;
  /** Audit events recorded (the memory recorder unless a trail was given). */
  trail: MemoryRecorder;
  /** Action records the producer was asked to send and took. */
  sent: Buffer[];
  /** While true the actions producer refuses (a broker that does not acknowledge). */
  failing: boolean;
}

/** The API on the real Elasticsearch with the audit trail and the actions producer in memory. */
async function apiWithFakes(
  connection: KafkaConnection,
  search: SearchFixture,
  trail?: AuditRecorder,
): Promise<FakeWrites> {
  const memory = memoryRecorder();
  const fakes: Omit<FakeWrites, 'api'> = { trail: memory, sent: [], failing: false };
  const api = await startTestApi({
    connection,
    search: searchDeps(search),
    trail: trail ?? memory,
    actionProducer: {
      send: async (records) => {
        if (fakes.failing) throw new Error('broker did not acknowledge');
        fakes.sent.push(...records.map((record) => record.value!));
      },
      close: async () => {},
    },
  });
  return Object.assign(fakes, { api });
}

describe('POST /v1/cases/{reportId}/actions', () => {
  test('given each action type, then 202 with the action, the same TriageAction on the topic keyed by report, each after its audit event', async ({
    kafka,
    search,
  }) => {
    const api = await startTestApi({ connection: kafka.connection, search: searchDeps(search) });
    try {
      const bodies = [
        { role: 'analyst', body: { type: 'claim' } },
        { role: 'supervisor', body: { type: 'assign', assignee: 'analyst-9' } },
        { role: 'analyst', body: { type: 'status', status: 'in_review' } },
        { role: 'analyst', body: { type: 'disposition', disposition: 'referred' } },
        { role: 'analyst', body: { type: 'note', text: 'invented note\nsecond line' } },
        { role: 'analyst', body: { type: 'legalAuthority', reference: 'order 2026-17' } },
        { role: 'supervisor', body: { type: 'tierOverride', tier: 'P3', reason: 'invented reason' } },
      ] as const;
      const answered = [];
      for (const { role, body } of bodies) {
        const response = await post(api, role, body);
        expect(response.statusCode, JSON.stringify(response.json())).toBe(202);
        answered.push(response.json());
      }
      expect(answered.map((action) => [action.type, action.actor, action.payload])).toEqual([
        ['assign', 'analyst-1', { assignee: 'analyst-1', claimed: 'true' }],
        ['assign', 'supervisor-1', { assignee: 'analyst-9' }],
        ['status', 'analyst-1', { status: 'in_review' }],
        ['disposition', 'analyst-1', { disposition: 'referred' }],
        ['note', 'analyst-1', { text: 'invented note\nsecond line' }],
        ['legalAuthority', 'analyst-1', { reference: 'order 2026-17' }],
        ['tierOverride', 'supervisor-1', { tier: 'P3', reason: 'invented reason' }],
      ]);
      for (const action of answered) {
        expect(action).toMatchObject({ reportId, reportVersion: exampleCase.version });
        expect(action.actionId).toMatch(/^[0-9a-f-]{36}$/);
      }

      // One key, one partition, in order: the records are exactly the answers.
      const records = await kafka.readTopic(pipelineTopics.triageActions.name, answered.length);
      expect(records.map((record) => record.key)).toEqual(answered.map(() => reportId));
      expect(records.map((record) => codec.decode('TriageAction', record.value!))).toEqual(answered);

      // One chain, one partition: the audit events in request order, with the reasons.
      const audit = (await kafka.readTopic(pipelineTopics.audit.name, answered.length)).map((record) =>
        codec.decode('AuditEvent', record.value!),
      );
      expect(audit.map((event) => [event.action, event.target, event.outcome, event.reason])).toEqual(
        answered.map((action) => [
          'triage_action',
          { type: 'report', id: reportId },
          'allowed',
          action.type === 'note' ? action.payload.text : (action.payload.reason ?? null),
        ]),
      );
      expect(audit.map((event) => event.requestId)).toEqual(answered.map((action) => action.requestId));
    } finally {
      await api.close();
    }
  });

  test('given a slow audit acknowledgement, then the action is neither written nor answered before it', async ({
    kafka,
    search,
  }) => {
    const { trail, recordCalled, release } = heldRecorder();
    const { api, sent } = await apiWithFakes(kafka.connection, search, trail);
    try {
      let answered = false;
      const pending = post(api, 'analyst', { type: 'claim' }).then((response) => {
        answered = true;
        return response;
      });
      await recordCalled;
      await new Promise((resolve) => setImmediate(resolve));
      expect([answered, sent.length]).toEqual([false, 0]);
      release();
      expect((await pending).statusCode).toBe(202);
      expect(sent).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  test('given the same actionId (body or Idempotency-Key) again, then the same action, written once; another action under it is 409', async ({
    kafka,
    search,
  }) => {
    const api = await startTestApi({ connection: kafka.connection, search: searchDeps(search) });
    try {
      const actionId = randomUUID();
      const first = await post(api, 'analyst', { type: 'status', status: 'escalated', actionId });
      expect(first.statusCode).toBe(202);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const again = await post(
        api,
        'analyst',
        { type: 'status', status: 'escalated' },
        { 'idempotency-key': actionId },
      );
      expect(again.statusCode).toBe(202);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());

      const conflict = await post(api, 'analyst', { type: 'status', status: 'closed', actionId });
      expect(conflict.statusCode).toBe(409);
      expect(conflict.json().code).toBe('TRIAGE_ACTION_ID_CONFLICT');
      const mismatch = await post(
        api,
        'analyst',
        { type: 'claim', actionId },
        { 'idempotency-key': randomUUID() },
      );
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.json().pointer).toBe('/headers/idempotency-key');

      // A sentinel after the retries: had a retry written a record, it would not be second.
      const sentinel = await post(api, 'analyst', { type: 'note', text: 'sentinel' });
      const records = await kafka.readTopic(pipelineTopics.triageActions.name, 2);
      expect(records.map((record) => codec.decode('TriageAction', record.value!).actionId)).toEqual([
        actionId,
        sentinel.json().actionId,
      ]);
    } finally {
      await api.close();
    }
  });

  test('given an action indexed by another instance, then a retry here answers it without writing', async ({
    kafka,
    search,
  }) => {
    const api = await startTestApi({ connection: kafka.connection, search: searchDeps(search) });
    try {
      const earlier = {
        ...recordExamples.TriageAction,
        actionId: randomUUID(),
        reportId,
        actor: 'analyst-1',
        type: 'status' as const,
        payload: { status: 'closed' },
      };
      await seedCases(search.client, search.prefix, [{ reportId, case: exampleCase, actions: [earlier] }]);
      const response = await post(api, 'analyst', {
        type: 'status',
        status: 'closed',
        actionId: earlier.actionId,
      });
      expect(response.statusCode).toBe(202);
      expect(response.headers['idempotent-replayed']).toBe('true');
      expect(response.json()).toEqual(earlier);
      const sentinel = await post(api, 'analyst', { type: 'claim' });
      const records = await kafka.readTopic(pipelineTopics.triageActions.name, 1);
      expect(codec.decode('TriageAction', records[0]!.value!).actionId).toBe(sentinel.json().actionId);
    } finally {
      await api.close();
    }
  });

  test('given bodies that break their schema, then 400 TRIAGE_REQUEST_INVALID and nothing audited or written', async ({
    kafka,
    search,
  }) => {
    const { api, trail, sent } = await apiWithFakes(kafka.connection, search);
    try {
      const bad = [
        {},
        { type: 'delete' },
        { type: 'claim', assignee: 'analyst-9' },
        { type: 'assign' },
        { type: 'status', status: 'done' },
        { type: 'disposition', disposition: 'closed', extra: 1 },
        { type: 'note', text: 'x'.repeat(4_001) },
        { type: 'note', text: '   ' },
        { type: 'legalAuthority', reference: 'a\u0000b' },
        { type: 'note', text: 'ok\u0007bell' },
        { type: 'assign', assignee: 'analyst\n9' },
        { type: 'note', text: 'ok\u0007bell' },
        { type: 'assign', assignee: 'analyst\n9' },
        { type: 'tierOverride', tier: 'P4', reason: 'invented reason' },
        { type: 'tierOverride', tier: 'P1' },
        { type: 'claim', actionId: 'not-a-uuid' },
        { type: 'claim', reportVersion: '2' },
      ];
      for (const body of bad) {
        const response = await post(api, 'supervisor', body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(response.json().code).toBe('TRIAGE_REQUEST_INVALID');
      }
      const header = await post(api, 'analyst', { type: 'claim' }, { 'idempotency-key': 'nope' });
      expect(header.statusCode).toBe(400);
      expect([trail.events.length, sent.length]).toEqual([0, 0]);
    } finally {
      await api.close();
    }
  });

  test('given an analyst asking for a tier override or to assign someone else, then 403 with its code, audited as denied, nothing written', async ({
    kafka,
    search,
  }) => {
    const { api, trail, sent } = await apiWithFakes(kafka.connection, search);
    try {
      const override = await post(api, 'analyst', { type: 'tierOverride', tier: 'P1', reason: 'invented' });
      expect(override.statusCode).toBe(403);
      expect(override.json().code).toBe('TRIAGE_TIER_OVERRIDE_FORBIDDEN');
      const assign = await post(api, 'analyst', { type: 'assign', assignee: 'analyst-9' });
      expect(assign.statusCode).toBe(403);
      expect(assign.json().code).toBe('TRIAGE_ASSIGN_FORBIDDEN');
      expect(trail.events.map((event) => [event.action, event.outcome, event.reason])).toEqual([
        ['triage_action', 'denied', 'invented'],
        ['triage_action', 'denied', null],
      ]);
      expect(sent).toEqual([]);
    } finally {
      await api.close();
    }
  });

  test('given no case for the report, then 404 TRIAGE_CASE_NOT_FOUND, audited with no result, nothing written', async ({
    kafka,
    search,
  }) => {
    const { api, trail, sent } = await apiWithFakes(kafka.connection, search);
    try {
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/cases/partner-z:404/actions',
        headers: { authorization: await api.bearer('analyst') },
        payload: { type: 'claim' },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('TRIAGE_CASE_NOT_FOUND');
      expect(trail.events.map((event) => [event.target.id, event.outcome, event.resultCount])).toEqual([
        ['partner-z:404', 'allowed', 0],
      ]);
      expect(sent).toEqual([]);
    } finally {
      await api.close();
    }
  });

  test('given an audit trail whose broker does not acknowledge, then 503 TRIAGE_AUDIT_UNAVAILABLE and no action written', async ({
    kafka,
    search,
  }) => {
    const trail = refusingAuditTrail();
    const api = await startTestApi({ connection: kafka.connection, search: searchDeps(search), trail });
    try {
      const response = await post(api, 'analyst', { type: 'note', text: 'invented note' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'TRIAGE_AUDIT_UNAVAILABLE', status: 503 });
      expect(response.headers['retry-after']).toBeDefined();
      // The sentinel goes through a working API on the same topic: it is the first record.
      const working = await startTestApi({ connection: kafka.connection, search: searchDeps(search) });
      try {
        const sentinel = await post(working, 'analyst', { type: 'claim' });
        const records = await kafka.readTopic(pipelineTopics.triageActions.name, 1);
        expect(codec.decode('TriageAction', records[0]!.value!).actionId).toBe(sentinel.json().actionId);
      } finally {
        await working.close();
      }
    } finally {
      await api.close();
    }
  });

  test('given an actions topic that does not acknowledge, then 503 TRIAGE_ACTIONS_UNAVAILABLE, audited allowed then error; a retry with the id sends the same event', async ({
    kafka,
    search,
  }) => {
    const fakes = await apiWithFakes(kafka.connection, search);
    const { api, trail, sent } = fakes;
    fakes.failing = true;
    try {
      const actionId = randomUUID();
      const failed = await post(api, 'analyst', { type: 'disposition', disposition: 'duplicate', actionId });
      expect(failed.statusCode).toBe(503);
      expect(failed.json().code).toBe('TRIAGE_ACTIONS_UNAVAILABLE');
      expect(trail.events.map((event) => event.outcome)).toEqual(['allowed', 'error']);
      fakes.failing = false;
      const retried = await post(api, 'analyst', { type: 'disposition', disposition: 'duplicate', actionId });
      expect(retried.statusCode).toBe(202);
      expect(sent.map((bytes) => codec.decode('TriageAction', bytes))).toEqual([retried.json()]);
      expect(retried.json().requestId).toBe(failed.json().requestId);
    } finally {
      await api.close();
    }
  });
});

// Issue 15 (the live hostile-input test): a body past the 64 KiB limit got Fastify's 413 turned
// into 400 TRIAGE_REQUEST_INVALID; it is 413 TRIAGE_REQUEST_TOO_LARGE, and documented.
describe('a body past the body limit', () => {
  test('given a 100 KB action body, then 413 TRIAGE_REQUEST_TOO_LARGE, nothing audited or written', async ({
    kafka,
    search,
  }) => {
    const fakes = await apiWithFakes(kafka.connection, search);
    try {
      const response = await post(fakes.api, 'analyst', { type: 'note', text: 'x'.repeat(100_000) });
      expect(response.statusCode).toBe(413);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'TRIAGE_REQUEST_TOO_LARGE', pointer: '/body' });
      expect(fakes.trail.events).toEqual([]);
      expect(fakes.sent).toEqual([]);
      const document = (await fakes.api.app.inject({ url: '/openapi.json' })).json();
      expect(Object.keys(document.paths['/v1/cases/{reportId}/actions'].post.responses)).toContain('413');
    } finally {
      await fakes.api.close();
    }
  });
});

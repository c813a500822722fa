// Issue 10: the queue follows analysts' actions. Cases on cases.v1, the real indexer (in this
// process) writing Elasticsearch, and the triage API as main.ts builds it on the same deployment:
// a supervisor's tier override moves a case into the P1 queue and up the score order, a claim
// makes the case the analyst's (assignee filter), and an override written before its case
// still wins when the case arrives.
import { createIndexerService, indexerInputs } from '@triage/indexer/service';
import { createLogger } from '@triage/logging';
import { createRecordProducer, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { type Case, createCodec, recordExamples, type TriageAction } from '@triage/schemas';
import { type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
import { startTestApi, type TestApi } from '@triage/triage-api/testing';
import { describe, expect } from 'vitest';

const codec = createCodec();
const logger = createLogger({ name: 'actions-to-queue-test', level: 'error' });
const example = recordExamples.Case;

function caseOf(reportId: string, tier: Case['tier'], score: number, facts: Partial<Case> = {}): Case {
  return { ...example, reportId, tier, score, linkedReports: [], ...facts };
}

async function produce(
  connection: KafkaConnection,
  records: readonly ({ topic: 'cases'; value: Case } | { topic: 'actions'; value: TriageAction })[],
): Promise<void> {
  const producer = createRecordProducer(connection, 'actions-to-queue-input');
  try {
    await producer.send(
      records.map(({ topic, value }) => ({
        topic: `${connection.topicPrefix ?? ''}${topic === 'cases' ? pipelineTopics.cases.name : pipelineTopics.triageActions.name}`,
        key: value.reportId,
        value:
          topic === 'cases'
            ? codec.encode('Case', value)
            : codec.encode('TriageAction', value as TriageAction),
      })),
    );
  } finally {
    await producer.close();
  }
}

/** Polls `read` until `done` holds for its value, or fails after `timeoutMs` with the last value. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const test = kafkaTest.extend<{ search: SearchFixture }>({
  search: async ({ kafka }, use) => {
    await kafka.createTopics(indexerInputs());
    await useSearchFixture(kafka.connection.topicPrefix ?? '', use);
  },
});

interface QueuePage {
  items: { reportId: string; tier: string; queueTier: string }[];
  facets: { tier: { value: string; count: number }[] };
}

describe('the queue follows actions', () => {
  test('given P1, P2 and P3 cases, when a supervisor overrides P3 to P1 and an analyst claims P2, then the queue files and assigns them so', async ({
    kafka,
    search,
  }) => {
    const indexer = createIndexerService({
      connection: kafka.connection,
      codec,
      logger,
      client: search.client,
      groupId: 'indexer',
      replicas: 0,
      writeBackoffMs: 50,
    });
    await indexer.start();
    let api: TestApi | undefined;
    try {
      const t0 = example.report.receivedAt;
      const report = (at: number) => ({ ...example.report, receivedAt: at });
      await produce(kafka.connection, [
        { topic: 'cases', value: caseOf('partner-a:high', 'P1', 90, { report: report(t0) }) },
        { topic: 'cases', value: caseOf('partner-a:mid', 'P2', 60, { report: report(t0 + 1) }) },
        { topic: 'cases', value: caseOf('partner-a:low', 'P3', 20, { report: report(t0 + 2) }) },
      ]);
      api = await startTestApi({
        connection: kafka.connection,
        search: { client: search.client, prefix: search.prefix },
      });
      const started = api;
      const queue = async (query: string, role: 'analyst' | 'supervisor' = 'analyst') =>
        (
          await started.app.inject({
            url: `/v1/cases${query}`,
            headers: { authorization: await started.bearer(role) },
          })
        ).json() as QueuePage;
      const ids = (page: QueuePage) => page.items.map((item) => item.reportId);

      const before = await eventually(
        () => queue(''),
        (page) => page.items?.length === 3,
      );
      expect(ids(before)).toEqual(['partner-a:high', 'partner-a:mid', 'partner-a:low']);
      expect(ids(await queue('?tier=P1'))).toEqual(['partner-a:high']);

      const override = await api.app.inject({
        method: 'POST',
        url: '/v1/cases/partner-a:low/actions',
        headers: { authorization: await api.bearer('supervisor') },
        payload: { type: 'tierOverride', tier: 'P1', reason: 'invented reason' },
      });
      expect(override.statusCode).toBe(202);
      const claim = await api.app.inject({
        method: 'POST',
        url: '/v1/cases/partner-a:mid/actions',
        headers: { authorization: await api.bearer('analyst', 'analyst-5') },
        payload: { type: 'claim' },
      });
      expect(claim.statusCode).toBe(202);

      // The override: in the P1 queue, above the P2 case though its score is lower.
      const p1 = await eventually(
        () => queue('?tier=P1'),
        (page) => page.items?.length === 2,
      );
      expect(ids(p1)).toEqual(['partner-a:high', 'partner-a:low']);
      expect(p1.items[1]).toMatchObject({ tier: 'P3', queueTier: 'P1' });
      const after = await queue('');
      expect(ids(after)).toEqual(['partner-a:high', 'partner-a:low', 'partner-a:mid']);
      expect(after.facets.tier).toEqual([
        { value: 'P1', count: 2 },
        { value: 'P2', count: 1 },
      ]);
      // The claim: the case is the analyst's.
      const mine = await eventually(
        () => queue('?assignee=analyst-5'),
        (page) => page.items?.length === 1,
      );
      expect(ids(mine)).toEqual(['partner-a:mid']);

      // The case view: the scored tier and the override, with who and why from the history (the
      // actions index refreshes apart from the cases index, so the history may trail the queue).
      const reader = api;
      const view = await eventually(
        async () =>
          (
            await reader.app.inject({
              url: '/v1/cases/partner-a:low',
              headers: { authorization: await reader.bearer('analyst') },
            })
          ).json(),
        (answer) => answer.tierOverride !== null,
      );
      expect(view.case).toMatchObject({ tier: 'P3', queueTier: 'P1', triage: { tierOverride: 'P1' } });
      expect(view.tierOverride).toMatchObject({
        tier: 'P1',
        actor: 'supervisor-1',
        reason: 'invented reason',
      });
      expect(view.actions).toEqual([
        expect.objectContaining({
          type: 'tierOverride',
          actor: 'supervisor-1',
          role: 'supervisor',
          payload: { tier: 'P1', reason: 'invented reason' },
        }),
      ]);

      // A rescoring after the override: the scored tier changes, the queue tier stays the override's.
      await produce(kafka.connection, [
        {
          topic: 'cases',
          value: caseOf('partner-a:low', 'P2', 55, {
            report: report(t0 + 2),
            itemsSeen: 3,
            itemsExpected: 3,
          }),
        },
      ]);
      const rescored = await eventually(
        () => queue('?tier=P1'),
        (page) => page.items?.find((item) => item.reportId === 'partner-a:low')?.tier === 'P2',
      );
      expect(rescored.items.find((item) => item.reportId === 'partner-a:low')?.queueTier).toBe('P1');

      // An override on the topic before its case (an action replayed ahead of a late case).
      await produce(kafka.connection, [
        {
          topic: 'actions',
          value: {
            ...recordExamples.TriageAction,
            actionId: '7d3f1c2e-0000-4000-8000-00000000b001',
            reportId: 'partner-a:late',
            actor: 'supervisor-1',
            role: 'supervisor',
            type: 'tierOverride',
            payload: { tier: 'P1', reason: 'invented reason' },
          },
        },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await produce(kafka.connection, [
        { topic: 'cases', value: caseOf('partner-a:late', 'P3', 10, { report: report(t0 + 3) }) },
      ]);
      const late = await eventually(
        () => queue('?tier=P1'),
        (page) => page.items?.length === 3,
      );
      expect(ids(late)).toEqual(['partner-a:high', 'partner-a:low', 'partner-a:late']);
    } finally {
      await api?.close();
      await indexer.stop();
    }
  });
});

// /readyz against the real dependencies: ready only when the token keys, the cases alias in
// Elasticsearch and the audit topic in Kafka all answer; the one missing is named to an operator's
// token only (anyone else gets ready or not-ready). Through a listening socket, as a probe calls it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signLocalToken, type UserRole } from '@triage/auth';
import { createLogger } from '@triage/logging';
import { deployedTopic, pipelineTopics, topicProbe } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createSearchClient } from '@triage/search';
import { useSearchFixture } from '@triage/search/testing/fixtures';
import { afterAll, beforeAll, expect } from 'vitest';
import type { TriageApiDeps } from '../app.ts';
import { localApp } from '../testing/local-app.ts';
import { seedCases } from '../testing/read-fixtures.ts';

const logger = createLogger({ name: 'triage-api-ready-test', level: 'silent' });
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-ready-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The operator's answer, after checking that no token and an analyst's token get the status alone. */
async function readyz(deps: Pick<TriageApiDeps, 'search' | 'kafkaReady'>) {
  const app = await localApp({ dir: dir, logger, ...deps });
  try {
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/readyz`;
    const token = (role: UserRole) => signLocalToken({ dir, sub: `ready-${role}`, role, ttlSeconds: 60 });
    const ask = async (headers: Record<string, string>) => {
      const response = await fetch(url, { headers });
      return { status: response.status, body: (await response.json()) as { status: string } };
    };
    const operator = await ask({ authorization: `Bearer ${await token('operator')}` });
    const status = operator.body.status;
    expect(await ask({})).toEqual({ status: operator.status, body: { status } });
    expect(await ask({ authorization: `Bearer ${await token('analyst')}` })).toEqual({
      status: operator.status,
      body: { status },
    });
    expect(await ask({ authorization: 'Bearer not-a-token' })).toEqual({
      status: operator.status,
      body: { status },
    });
    return operator;
  } finally {
    await app.close();
  }
}

kafkaTest(
  'given the audit topic and the cases alias, then ready; without either, 503 naming it',
  async ({ kafka }) => {
    const auditTopic = deployedTopic(kafka.connection, pipelineTopics.audit.name);
    const audit = topicProbe(kafka.connection, auditTopic, 2_000);
    try {
      await useSearchFixture(kafka.connection.topicPrefix ?? '', async (search) => {
        const deps = { search, kafkaReady: audit.probe };

        // Neither the topic nor the indices exist yet.
        expect(await readyz(deps)).toEqual({
          status: 503,
          body: { status: 'not-ready', tokenKeys: true, elasticsearch: false, kafka: false },
        });

        await kafka.createTopics([pipelineTopics.audit]);
        await seedCases(search.client, search.prefix, []);
        expect(await readyz(deps)).toEqual({
          status: 200,
          body: { status: 'ready', tokenKeys: true, elasticsearch: true, kafka: true },
        });
      });
    } finally {
      await audit.close();
    }
  },
);

kafkaTest('given no server at either address, then 503 within the probe timeout', async ({ kafka }) => {
  // Port 9 (discard) has no listener here: connections are refused at once.
  const nowhere = { ...kafka.connection, brokers: ['127.0.0.1:9'] };
  const audit = topicProbe(nowhere, 'audit.v1', 1_000);
  const client = createSearchClient({ url: 'http://127.0.0.1:9' });
  try {
    const result = await readyz({
      search: { client, prefix: kafka.connection.topicPrefix ?? '' },
      kafkaReady: audit.probe,
    });
    expect(result).toEqual({
      status: 503,
      body: { status: 'not-ready', tokenKeys: true, elasticsearch: false, kafka: false },
    });
  } finally {
    await audit.close();
    await client.close();
  }
});

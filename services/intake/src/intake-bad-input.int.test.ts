// Every bad input of issue 3, one row each: the status, the catalogue code and the pointer a
// partner sees, and that nothing was stored (content store, staging, spool) or published.
import { randomUUID } from 'node:crypto';
import { bootstrapTopics, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { kafkaBrokers } from '@triage/messaging/testing/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badInputRows as rows } from './testing/bad-input-rows.ts';
import { bearer, type IntakeHarness, startIntake } from './testing/intake-harness.ts';

describe('bad input', () => {
  const prefix = `t${randomUUID().slice(0, 8)}.`;
  const connection: KafkaConnection = {
    brokers: kafkaBrokers,
    clientId: `test-${prefix}`,
    topicPrefix: prefix,
  };
  let intake: IntakeHarness;

  beforeAll(async () => {
    await bootstrapTopics({
      connection,
      topics: [pipelineTopics.bundles, pipelineTopics.bundleStatus],
      replicationFactor: 1,
    });
    intake = await startIntake(connection);
  });

  afterAll(async () => {
    await intake?.close();
    await deletePrefixedTopics(connection, 'test-cleanup');
  });

  it.each(rows.map((row) => [row.name, row] as const))(
    'given %s, then a problem and nothing kept',
    async (_name, row) => {
      const app =
        row.limits || row.recordMaxBytes
          ? await intake.variant({
              ...(row.limits ? { limits: row.limits } : {}),
              ...(row.recordMaxBytes ? { recordMaxBytes: row.recordMaxBytes } : {}),
            })
          : intake.app;
      const request = await row.request();
      const published = await intake.publishedCount();
      const response = await app.inject({
        method: 'POST',
        url: request.url ?? '/v1/bundles',
        headers: { ...bearer(intake.keys.hotline), 'content-type': request.contentType, ...request.headers },
        payload: request.payload,
      });
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect({ status: response.statusCode, code: problem.code, pointer: problem.pointer }).toEqual({
        status: row.status,
        code: row.code,
        pointer: row.pointer,
      });
      expect(problem.status).toBe(row.status);
      expect(JSON.stringify(problem)).not.toMatch(/\n\s+at /);
      expect(await intake.storedFiles()).toEqual([]);
      expect(await intake.publishedCount()).toEqual(published);
    },
  );
});

// The deployable as an operator runs it: main.ts in its own process, its ops port (any free one,
// found in its log) beside the analysts' port: probes, and request durations by route pattern.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { sampleValue } from '@triage/metrics/testing';
import { createSearchClient, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { expect } from 'vitest';
import { startTriageApiProcess, type TriageApiProcess } from './testing/api-process.ts';
import { seedCases } from './testing/read-fixtures.ts';

kafkaTest(
  'given main.ts, then its ops port serves /healthz, /readyz and request durations by route pattern, and the analysts port serves no metrics',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.audit, pipelineTopics.triageActions]);
    const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
    const client = createSearchClient({ url: elasticsearchUrl });
    const dir = await mkdtemp(path.join(tmpdir(), 'triage-api-main-'));
    let api: TriageApiProcess | undefined;
    try {
      await seedCases(client, prefix, []);
      api = await startTriageApiProcess({
        connection: kafka.connection,
        elasticsearchUrl,
        authDir: path.join(dir, 'auth'),
        env: { LOG_LEVEL: 'info', CONTENT_STORE_ROOT: path.join(dir, 'content') },
      });
      const ops = api.opsUrl!;
      expect(ops).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ops).not.toBe(api.url);
      expect((await fetch(`${ops}/healthz`)).status).toBe(200);
      const ready = await fetch(`${ops}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        checks: { tokenKeys: true, elasticsearch: true, kafka: true },
      });

      const authorization = await api.bearer('analyst');
      const missing = await fetch(`${api.url}/v1/cases/tipline-test:404404`, { headers: { authorization } });
      expect(missing.status).toBe(404);
      const queue = await fetch(`${api.url}/v1/cases`, { headers: { authorization } });
      expect(queue.status).toBe(200);
      expect((await fetch(`${api.url}/v1/cases`)).status).toBe(401);

      const metrics = await (await fetch(`${ops}/metrics`)).text();
      const count = (route: string, status: string) =>
        sampleValue(metrics, 'triage_http_request_duration_seconds_count', {
          service: 'triage-api',
          method: 'GET',
          route,
          status,
        });
      expect(count('/v1/cases/:reportId', '404')).toBe(1);
      expect(count('/v1/cases', '200')).toBe(1);
      expect(count('/v1/cases', '401')).toBe(1);
      // By the route's pattern: the report id never becomes a label.
      expect(metrics).not.toContain('404404');
      expect(sampleValue(metrics, 'process_cpu_seconds_total', { service: 'triage-api' })).toBeGreaterThan(0);

      expect((await fetch(`${api.url}/metrics`)).status).not.toBe(200);
      expect(await api.stop()).toBe(0);
    } finally {
      await api?.stop();
      await deletePrefixedIndices(client, prefix);
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);

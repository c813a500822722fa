import { createLogger } from '@triage/logging';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { httpMetrics } from './http-metrics.ts';
import { createMetricsRegistry } from './metrics-registry.ts';
import { buildOpsApp } from './ops-server.ts';
import type { ReadinessReport } from './readiness.ts';
import { sampleValue } from './testing/prometheus-text.ts';

const logger = createLogger({ name: 'ops-test', level: 'silent' });

async function opsApp(readiness: ReadinessReport) {
  const registry = createMetricsRegistry({ service: 'unit' });
  return {
    registry,
    app: await buildOpsApp({ service: 'unit', registry, readiness: () => readiness, logger }),
  };
}

describe('ops app', () => {
  it('given a ready service, then /healthz and /readyz answer 200 with the checks', async () => {
    const { app } = await opsApp({ ready: true, checks: { kafka: true } });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { kafka: true } });
    await app.close();
  });

  it('given a service not ready, then /readyz is a 503 problem naming TRIAGE_NOT_READY with the checks', async () => {
    const { app } = await opsApp({ ready: false, checks: { splitter: { joined: false } } });
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({
      type: 'urn:triage:problem:TRIAGE_NOT_READY',
      status: 503,
      code: 'TRIAGE_NOT_READY',
      instance: '/readyz',
      checks: { splitter: { joined: false } },
    });
    await app.close();
  });

  it('given the registry, then /metrics is Prometheus text with the process metrics', async () => {
    const { app } = await opsApp({ ready: true, checks: {} });
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(response.body).toContain('process_cpu_seconds_total{service="unit"}');
    expect(response.body).toContain('nodejs_heap_size_used_bytes{service="unit"}');
    await app.close();
  });

  it('given an unknown path, then a problem, not a stack', async () => {
    const { app } = await opsApp({ ready: true, checks: {} });
    const response = await app.inject('/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'TRIAGE_ROUTE_NOT_FOUND' });
    await app.close();
  });
});

describe('httpMetrics', () => {
  it('given requests to a route with an id, then the histogram is labelled by the pattern and status, never the URL', async () => {
    const registry = createMetricsRegistry({ service: 'api', processMetrics: false });
    const app = Fastify();
    await app.register(httpMetrics, { registry });
    app.get('/v1/cases/:caseId', async (request, reply) =>
      (request.params as { caseId: string }).caseId === 'missing' ? reply.code(404).send({}) : { ok: true },
    );
    await app.inject('/v1/cases/case-123?q=secret');
    await app.inject('/v1/cases/case-456');
    await app.inject('/v1/cases/missing');
    await app.inject('/no/such/route/abc');
    const text = await registry.metrics();
    expect(
      sampleValue(text, 'triage_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/v1/cases/:caseId',
        status: '200',
      }),
    ).toBe(2);
    expect(
      sampleValue(text, 'triage_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/v1/cases/:caseId',
        status: '404',
      }),
    ).toBe(1);
    expect(
      sampleValue(text, 'triage_http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
    ).toBe(1);
    expect(text).not.toMatch(/case-123|case-456|secret|abc/);
    await app.close();
  });

  it('given two apps on one registry, then they share one histogram', async () => {
    const registry = createMetricsRegistry({ service: 'api', processMetrics: false });
    for (const _ of [1, 2]) {
      const app = Fastify();
      await app.register(httpMetrics, { registry });
      app.get('/x', async () => ({}));
      await app.inject('/x');
      await app.close();
    }
    expect(
      sampleValue(await registry.metrics(), 'triage_http_request_duration_seconds_count', {
        route: '/x',
        service: 'api',
      }),
    ).toBe(2);
  });
});

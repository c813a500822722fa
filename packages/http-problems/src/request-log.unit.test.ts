import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { describe, expect, it } from 'vitest';
import { problemHandling } from './problem-handler.ts';
import { requestLog } from './request-log.ts';

/** A logger that keeps what `info` was given (the shape Fastify asks of a logger instance). */
function keepingLogger(lines: object[]): FastifyBaseLogger {
  const logger: FastifyBaseLogger = {
    level: 'info',
    info: (entry: object) => void lines.push(entry),
    error: () => undefined,
    warn: () => undefined,
    debug: () => undefined,
    fatal: () => undefined,
    trace: () => undefined,
    silent: () => undefined,
    child: () => logger,
  } as unknown as FastifyBaseLogger;
  return logger;
}

async function appLogging(lines: object[]) {
  const app = Fastify({
    loggerInstance: keepingLogger(lines),
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(problemHandling, { realm: 'test' });
  await app.register(requestLog, { fields: (request) => ({ caller: request.headers['x-caller'] ?? null }) });
  app.get('/v1/things/:id', async () => ({ ok: true }));
  return app;
}

describe('requestLog', () => {
  it('given an answered request, then one line with the route pattern, status, outcome, the service fields and the time', async () => {
    const lines: object[] = [];
    const app = await appLogging(lines);
    await app.inject({ url: '/v1/things/secret-id?q=private', headers: { 'x-caller': 'tester' } });
    expect(lines).toEqual([
      {
        method: 'GET',
        route: '/v1/things/:id',
        status: 200,
        outcome: 'ok',
        caller: 'tester',
        ms: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/secret-id|private/);
  });

  it('given a problem answer, then its outcome is the catalogue code', async () => {
    const lines: object[] = [];
    const app = await appLogging(lines);
    await app.inject({ url: '/nowhere' });
    expect(lines).toEqual([expect.objectContaining({ status: 404, outcome: 'TRIAGE_ROUTE_NOT_FOUND' })]);
  });
});

import type { AddressInfo } from 'node:net';
import { TriageError, toProblem } from '@triage/errors';
import { problemHandling } from '@triage/http-problems';
import type { Logger } from '@triage/logging';
import Fastify, { LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { ReadinessReport } from './readiness.ts';

/** The log line that carries `opsUrl` once the server listens. */
export const opsListeningMessage = 'ops server listening';

export interface OpsServerOptions {
  /** Whose ops port this is (`splitter`, `intake`...), for the log line and the not-ready problem. */
  service: string;
  registry: Registry;
  /** Asked at every `/readyz`. */
  readiness: () => ReadinessReport | Promise<ReadinessReport>;
  logger: Logger;
}

export interface OpsListenOptions {
  /** Default 127.0.0.1: metrics are for the scraper, not for whoever reaches the service. */
  host: string;
  /** 0: any free port (tests); the bound one is in `url` and in the log line. */
  port: number;
}

export interface OpsServer {
  /** `http://<host>:<port>` as bound. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The operator's port: `/healthz` (the process answers), `/readyz` (200, or 503 with a problem
 * whose `checks` say what is missing) and `/metrics` (Prometheus text). Apart from the partner-
 * and analyst-facing ports, so metrics never reach them. Probes and scrapes are not logged.
 */
export async function buildOpsApp(options: OpsServerOptions) {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  await app.register(problemHandling, { realm: `${options.service}-ops` });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const { ready, checks } = await options.readiness();
    if (ready) return { status: 'ready', checks };
    const problem = toProblem(
      new TriageError('TRIAGE_NOT_READY', `${options.service} is not ready`),
      '/readyz',
    );
    return reply
      .code(problem.status)
      .header('retry-after', '5')
      .type('application/problem+json')
      .send({ ...problem, checks });
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(options.registry.contentType).send(await options.registry.metrics()),
  );
  await app.ready();
  return app;
}

/** Builds the ops app and listens; logs `ops server listening` with its URL. */
export async function startOpsServer(options: OpsServerOptions & OpsListenOptions): Promise<OpsServer> {
  const app = await buildOpsApp(options);
  await app.listen({ host: options.host, port: options.port });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  options.logger.info({ opsUrl: url }, opsListeningMessage);
  return { url, port, close: () => app.close() };
}

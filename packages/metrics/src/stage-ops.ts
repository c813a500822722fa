import type { Logger } from '@triage/logging';
import type { StageSnapshot } from '@triage/messaging';
import { createMetricsRegistry } from './metrics-registry.ts';
import { type OpsServer, startOpsServer } from './ops-server.ts';
import { stageReadiness } from './readiness.ts';
import { registerStageMetrics } from './stage-metrics.ts';

export interface StageOpsOptions {
  /** The deployable: `splitter`, `hasher`... (the `service` label). */
  service: string;
  /** The stage service's `snapshot()`. */
  snapshot: () => StageSnapshot;
  host: string;
  port: number;
  logger: Logger;
}

/**
 * A stage's ops server: its runners' and tables' metrics plus the process's, readiness from the
 * runners' lifecycle. Start it before the service, so `/healthz` answers while tables load.
 */
export function startStageOps(options: StageOpsOptions): Promise<OpsServer> {
  const registry = createMetricsRegistry({ service: options.service });
  registerStageMetrics(registry, { snapshot: options.snapshot });
  return startOpsServer({
    service: options.service,
    registry,
    readiness: () => stageReadiness(options.snapshot()),
    host: options.host,
    port: options.port,
    logger: options.logger,
  });
}

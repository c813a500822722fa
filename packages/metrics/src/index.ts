export { type HttpMetricsOptions, httpMetrics } from './http-metrics.ts';
export {
  createMetricsRegistry,
  type MetricsRegistry,
  type MetricsRegistryOptions,
} from './metrics-registry.ts';
export {
  buildOpsApp,
  type OpsListenOptions,
  type OpsServer,
  type OpsServerOptions,
  startOpsServer,
} from './ops-server.ts';
export { type ReadinessReport, stageReadiness } from './readiness.ts';
export { registerStageMetrics, type StageMetricsOptions } from './stage-metrics.ts';
export { type StageOpsOptions, startStageOps } from './stage-ops.ts';

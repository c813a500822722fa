import { collectDefaultMetrics, Registry } from 'prom-client';

/** prom-client's registry, so services name it without depending on prom-client themselves. */
export type MetricsRegistry = Registry;

export interface MetricsRegistryOptions {
  /** The deployable (`splitter`, `intake`...): every series carries it as the `service` label. */
  service: string;
  /** Process metrics (CPU, memory, event loop, GC; prom-client's defaults). Default true. */
  processMetrics?: boolean;
}

/**
 * One registry per process, never prom-client's global one: a test that builds two services in
 * one process gets two independent registries.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions): MetricsRegistry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

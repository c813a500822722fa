import { z } from 'zod';

/**
 * Default ops port (/healthz, /readyz, /metrics) of each deployable: distinct, so `triage up` runs
 * them all on one host, and from 9464 (the port Prometheus exporters conventionally start at).
 * deploy/prometheus/prometheus.yml scrapes these; a test keeps the two in step.
 */
export const opsPortDefaults = {
  intake: 9464,
  'triage-api': 9465,
  splitter: 9466,
  hasher: 9467,
  enricher: 9468,
  scorer: 9469,
  indexer: 9470,
  'hash-check': 9471,
  'hoster-monitor': 9474,
} as const;

/** A service's `<SERVICE>_OPS_PORT`: 0 takes any free port (tests), the bound one is logged. */
export function opsPort(service: keyof typeof opsPortDefaults) {
  return z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(opsPortDefaults[service])
    .describe(`Ops port of the ${service} (/healthz, /readyz, /metrics); 0 = any free port`);
}

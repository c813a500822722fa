import { commonEnv, type Env, loadConfig, opsPort } from '@triage/config';
import { enrichmentEnv } from '@triage/enrichment';
import { z } from 'zod';

export const hosterMonitorEnv = {
  ...commonEnv,
  HOSTER_MONITOR_OPS_PORT: opsPort('hoster-monitor'),
  HOSTER_MONITOR_GROUP_ID: z
    .string()
    .min(1)
    .default('hoster-monitor')
    .describe('Consumer group of the hoster monitor (takedowns.v1); a new group replays every event'),
  HOSTER_MONITOR_ES_REPLICAS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'Replicas per shard of the hoster indices it creates (0 on a single node, 1 or more in production)',
    ),
  HOSTER_MONITOR_BATCH_RECORDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1_000)
    .describe(
      'Events per batch: one bulk write per batch (default 1000: events are small, a replay of a year is 600k of them)',
    ),
  ...enrichmentEnv,
} as const;

export type HosterMonitorConfig = ReturnType<typeof loadHosterMonitorConfig>;

export function loadHosterMonitorConfig(env: Env) {
  return loadConfig(hosterMonitorEnv, env);
}

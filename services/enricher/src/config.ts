import { commonEnv, type Env, loadConfig, opsPort } from '@triage/config';
import { enrichmentEnv } from '@triage/enrichment';
import { z } from 'zod';

export const enricherEnv = {
  ...commonEnv,
  ENRICHER_OPS_PORT: opsPort('enricher'),
  ENRICHER_GROUP_ID: z
    .string()
    .min(1)
    .default('enricher')
    .describe('Consumer group of the enricher stage (items.hashed)'),
  ...enrichmentEnv,
} as const;

export type EnricherConfig = ReturnType<typeof loadEnricherConfig>;

export function loadEnricherConfig(env: Env) {
  return loadConfig(enricherEnv, env);
}

import { commonEnv, type Env, loadConfig, opsPort } from '@triage/config';
import { z } from 'zod';

export const indexerEnv = {
  ...commonEnv,
  INDEXER_OPS_PORT: opsPort('indexer'),
  INDEXER_GROUP_ID: z
    .string()
    .min(1)
    .default('indexer')
    .describe(
      'Prefix of the indexer consumer groups (one per input group and index version: a new index version replays from the start)',
    ),
  INDEXER_ES_REPLICAS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'Replicas per shard of the indices the indexer creates (0 on a single node, 1 or more in production)',
    ),
  INDEXER_BATCH_RECORDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(500)
    .describe('Records per batch: one bulk write (or one read-merge-write round) per batch and group'),
} as const;

export type IndexerConfig = ReturnType<typeof loadIndexerConfig>;

export function loadIndexerConfig(env: Env) {
  return loadConfig(indexerEnv, env);
}

import { commonEnv, type Env, loadConfig, opsPort } from '@triage/config';
import { checkContentStoreConfig, contentStoreEnv } from '@triage/content-store';
import { pdqDefaults } from '@triage/matching';
import { z } from 'zod';

export const hasherEnv = {
  ...commonEnv,
  ...contentStoreEnv,
  HASHER_OPS_PORT: opsPort('hasher'),
  HASHER_GROUP_ID: z
    .string()
    .min(1)
    .default('hasher')
    .describe('Consumer group of the hashing stage (items)'),
  DEDUPE_GROUP_ID: z
    .string()
    .min(1)
    .default('dedupe')
    .describe('Consumer group of the dedupe stage (media.observed)'),
  PDQ_MATCH_DISTANCE: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(pdqDefaults.matchDistance)
    .describe('Largest PDQ Hamming distance that counts as a match (Meta: 31 of 256)'),
  PDQ_MIN_QUALITY: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(pdqDefaults.minQuality)
    .describe('PDQ quality below which a hash is too weak to match or cluster on (Meta: 50)'),
  HASHER_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(0)
    .describe('Worker threads that decode and hash media; 0 = one per core'),
  MEDIA_MAX_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(100_000_000)
    .describe('Images with more pixels are not decoded (decompression bombs); exact hashes still apply'),
  HASHER_STATE_DIR: z
    .string()
    .min(1)
    .default('.data/hasher/state')
    .describe(
      "This instance's own folder for dedupe's state (LMDB per held partition: a file's summary and sightings) and the media.v1 table (every file's PDQ and cluster), caches of their topics rebuilt from them when missing or damaged; never shared by two instances",
    ),
  HASHER_STATE_CACHE_ENTRIES: z.coerce
    .number()
    .int()
    .min(0)
    .default(100_000)
    .describe(
      "Dedupe's summaries, sightings and media rows kept decoded on the heap, per store; the rest are read from disk (about 0.5 KB each)",
    ),
} as const;

export type HasherConfig = ReturnType<typeof loadHasherConfig>;

export function loadHasherConfig(env: Env) {
  return loadConfig(hasherEnv, env, checkContentStoreConfig);
}

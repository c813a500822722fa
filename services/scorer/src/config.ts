import { commonEnv, type Env, loadConfig, opsPort } from '@triage/config';
import { enrichmentEnv } from '@triage/enrichment';
import { z } from 'zod';
import { suspectIdKeyEnv } from './suspect-id-keys.ts';

export const scorerEnv = {
  ...commonEnv,
  // Shared with the enricher (same names, same meaning): the home jurisdiction and the IP databases.
  ...enrichmentEnv,
  SCORER_OPS_PORT: opsPort('scorer'),
  ...suspectIdKeyEnv,
  SCORER_GROUP_ID: z
    .string()
    .min(1)
    .default('scorer')
    .describe('Consumer group of the scorer (reports + items.enriched); a new group replays from the start'),
  SCORING_RULES_FILE: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      'Scoring rules JSON (its homeCountry must equal ENRICH_HOME_COUNTRY); unset: packages/scoring/rules/default.json',
    ),
  SCORER_PROVISIONAL_EVERY: z.coerce
    .number()
    .int()
    .min(1)
    .default(200)
    .describe(
      'A provisional case at most every this many new items of a report (and at most once per batch)',
    ),
  SCORER_QUIET_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(60_000)
    .describe(
      'An incomplete report with no new item for this long gets a provisional case of what it has (items dead-lettered upstream never come)',
    ),
  SCORER_RESCORE_LISTS: z
    .string()
    .default('police-confirmed')
    .transform((value) =>
      value
        .split(',')
        .map((list) => list.trim())
        .filter((list) => list !== ''),
    )
    .describe(
      'Hash lists whose changes re-score the cases held here (comma-separated; empty: none). Default the ' +
        "analysts' confirmed list: content confirmed after a case was scored re-scores it without waiting for a replay",
    ),
  SCORER_STATE_DIR: z
    .string()
    .min(1)
    .default('.data/scorer/state')
    .describe(
      "This instance's own folder for the scorer's state (LMDB: the suspect-identifier table, links read from its rows), a cache of its topic rebuilt from it when missing or damaged; never shared by two instances",
    ),
  SCORER_STATE_CACHE_ENTRIES: z.coerce
    .number()
    .int()
    .min(0)
    .default(100_000)
    .describe(
      "The scorer's state rows kept decoded on the heap, per store; the rest are read from disk (the hasher's default)",
    ),
} as const;

export type ScorerConfig = ReturnType<typeof loadScorerConfig>;

export function loadScorerConfig(env: Env) {
  return loadConfig(scorerEnv, env);
}

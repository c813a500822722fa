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
  SCORER_OPEN_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(600_000)
    .describe(
      'A report stays on the heap while it owes a case and until it has not changed for this long (at least SCORER_QUIET_MS); ' +
        "then it is on disk only until a new item, link or re-score touches it. Default ten quiet times: a bundle's reports and their links to each other find them open",
    ),
  SCORER_STATE_DIR: z
    .string()
    .min(1)
    .default('.data/scorer/state')
    .describe(
      "This instance's own folder for the scorer's reports and items (LMDB per held partition), a cache of the changelogs rebuilt from them when missing or damaged; never shared by two instances",
    ),
  SCORER_STATE_CACHE_ENTRIES: z.coerce
    .number()
    .int()
    .min(0)
    .default(50_000)
    .describe(
      "Reports and items kept decoded on the heap, per store; the rest are read from disk (0.4-2 KB each on disk, a few KB decoded). Default: the open reports' items at a national tipline's peak",
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
} as const;

export type ScorerConfig = ReturnType<typeof loadScorerConfig>;

export function loadScorerConfig(env: Env) {
  return loadConfig(scorerEnv, env, (config) =>
    config.SCORER_OPEN_WINDOW_MS < config.SCORER_QUIET_MS
      ? [
          `SCORER_OPEN_WINDOW_MS: ${config.SCORER_OPEN_WINDOW_MS} is shorter than SCORER_QUIET_MS (${config.SCORER_QUIET_MS}); a report waiting for its quiet case must stay open`,
        ]
      : [],
  );
}

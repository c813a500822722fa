import { commonEnv, type Env, loadConfig, opsPort, port } from '@triage/config';
import { checkTlsPair, tlsEnv } from '@triage/http-security';
import { pdqDefaults } from '@triage/matching';
import { z } from 'zod';

export const hashCheckEnv = {
  ...commonEnv,
  HASH_CHECK_PORT: port.default(8083).describe('Hash-check HTTP port (the hosters-facing one)'),
  HASH_CHECK_OPS_PORT: opsPort('hash-check'),
  HASH_CHECK_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the hash-check service listens on (0.0.0.0 to listen on every interface)'),
  ...tlsEnv('HASH_CHECK', 'hash-check'),
  HASH_CHECK_HOSTERS_FILE: z
    .string()
    .min(1)
    .default('.data/hash-check/hosters.json')
    .describe(
      'Hosters, their key hashes and policies (JSON; `pnpm triage hosters key-create`); re-read when it changes',
    ),
  HASH_CHECK_MAX_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(10_000)
    .describe(
      'Most hashes in one batch (a larger one is refused with 413, its body cut off before parsing): 10 000 keeps one batch under ~2 s of lookups on a list of millions',
    ),
  HASH_CHECK_MAX_PDQ_DISTANCE: z.coerce
    .number()
    .int()
    .min(0)
    .max(31)
    .default(pdqDefaults.matchDistance)
    .describe(
      "Cap on every hoster's PDQ distance, whatever the hosters file says (Meta's match threshold, 31 of 256, by default)",
    ),
  HASH_CHECK_ANSWER_FLOOR_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(50)
    .describe(
      'No batch is answered sooner than this after it arrived, match or not: 50 ms is well above the lookup time of a small batch, so its answer time tells nothing',
    ),
  HASH_CHECK_PROBE_NEAR_BITS: z.coerce
    .number()
    .int()
    .min(1)
    .max(15)
    .default(8)
    .describe(
      'PDQ queries this close (bits) to each other count as near-identical for probe detection (resized copies differ by more than that)',
    ),
  HASH_CHECK_PROBE_MAX_PAIRS: z.coerce
    .number()
    .int()
    .min(1)
    .default(16)
    .describe(
      'Near-identical pairs of one matching and one non-matching PDQ query (a match boundary) a hoster may send within the window before it is throttled',
    ),
  HASH_CHECK_PROBE_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(3_600_000)
    .describe('How long PDQ queries are remembered for probe detection (one hour)'),
  HASH_CHECK_PROBE_COOLDOWN_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(3_600_000)
    .describe('How long a hoster caught probing is refused (one hour)'),
  HASH_CHECK_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, '1-100 characters of A-Z a-z 0-9 . _ : -')
    .default('hash-check-0')
    .describe(
      'This instance, unique among the hash-check instances running at once: its audit chain writer id',
    ),
} as const;

export type HashCheckConfig = ReturnType<typeof loadHashCheckConfig>;

export function loadHashCheckConfig(env: Env) {
  return loadConfig(hashCheckEnv, env, (config) => checkTlsPair('HASH_CHECK', config));
}

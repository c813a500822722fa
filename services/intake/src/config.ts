import { type BundleLimits, bundleLimitsSchema } from '@triage/bundles';
import { commonEnv, type Env, loadConfig, opsPort, port } from '@triage/config';
import { checkContentStoreConfig, contentStoreEnv } from '@triage/content-store';
import { checkTlsPair, tlsEnv } from '@triage/http-security';
import { z } from 'zod';

/** `maxBundleBytes` -> `INTAKE_MAX_BUNDLE_BYTES`: one variable per bundle limit, same meaning. */
function limitVariable(limit: string): string {
  return `INTAKE_${limit.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

const limitNames = Object.keys(bundleLimitsSchema.shape) as (keyof BundleLimits)[];
const defaultLimits: BundleLimits = bundleLimitsSchema.parse({});

/** The limit variables, derived from the shared limits schema so intake and `bundle validate` agree. */
const limitEnv = Object.fromEntries(
  limitNames.map((limit) => {
    const fallback = defaultLimits[limit];
    const base = z.coerce.number().int().positive();
    return [
      limitVariable(limit),
      (fallback === undefined ? base.optional() : base.default(fallback)).describe(
        bundleLimitsSchema.shape[limit].description ?? limit,
      ),
    ];
  }),
) as Record<string, z.ZodType<number | undefined>>;

export const intakeEnv = {
  ...commonEnv,
  ...contentStoreEnv,
  INTAKE_PORT: port.default(8080).describe('Intake HTTP port'),
  INTAKE_OPS_PORT: opsPort('intake'),
  INTAKE_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address intake listens on (0.0.0.0 to listen on every interface)'),
  ...tlsEnv('INTAKE', 'intake'),
  INTAKE_PARTNERS_FILE: z
    .string()
    .min(1)
    .default('.data/intake/partners.json')
    .describe(
      'Partners, their API key hashes and rate limits (JSON; `pnpm triage partners key-create`); re-read when it changes',
    ),
  INTAKE_SPOOL_DIR: z
    .string()
    .min(1)
    .default('.data/intake/spool')
    .describe('Folder where ZIP uploads are spooled while they are read (removed after each request)'),
  INTAKE_ZIP_MEMORY_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(1024 * 1024)
    .describe(
      'A ZIP upload that ends within this many bytes is read from memory, never spooled (1 MiB: a bundle of a few small images); heap is at most this per ZIP upload in flight, which the per-partner upload cap bounds',
    ),
  INTAKE_RECEIPTS_DIR: z
    .string()
    .min(1)
    .default('.data/intake/receipts')
    .describe(
      "This instance's own folder for the receipt store (LMDB), a cache of intake.status.v1 rebuilt from the topic when missing or damaged; receipts, report versions and partners' daily usage live there, not on the heap. Never shared by two instances",
    ),
  INTAKE_TAKEDOWNS_DIR: z
    .string()
    .min(1)
    .default('.data/intake/takedowns')
    .describe(
      "This instance's own folder for the takedown store (LMDB), a cache of takedowns.v1 rebuilt from the topic when missing or damaged: event digests, notice cases and each URL's latest time, which `POST /v1/takedowns` validates against. Never shared by two instances",
    ),
  ...limitEnv,
  INTAKE_MAX_PENDING_BUNDLES: z.coerce
    .number()
    .int()
    .min(0)
    .default(1_000)
    .describe('Bundles the splitter may have left to read before intake answers 503 (backpressure)'),
  INTAKE_SPLITTER_GROUP_ID: z
    .string()
    .min(1)
    .default('splitter')
    .describe('Consumer group of the splitter, whose lag on intake.bundles.v1 is the backlog'),
  INTAKE_LAG_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(500)
    .default(5_000)
    .describe('How often the splitter lag and Kafka reachability are checked'),
  INTAKE_BODY_IDLE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(60_000)
    .describe('An upload whose body sends nothing for this long is refused (408) and nothing of it kept'),
  INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER: z.coerce
    .number()
    .int()
    .min(1)
    .default(4)
    .describe(
      'Uploads one partner may have in flight at once; one more is refused 429 TRIAGE_PARTNER_BUSY before its body is read (4: a partner sending in parallel gains little past the link it shares, and a leaked key cannot hold every spool file and socket)',
    ),
  INTAKE_MIN_FREE_STAGING_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(1024 ** 3)
    .describe(
      'Free bytes the staging volume (content store and ZIP spool) keeps; below it bundles are refused 503 TRIAGE_STAGING_FULL before their body is read (1 GiB: room for uploads in flight to finish, for commits and for logs; 0 turns the check off)',
    ),
  INTAKE_MIN_BODY_BYTES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .default(1_024)
    .describe(
      'An upload whose body sends less than this many bytes a second over a whole INTAKE_BODY_RATE_WINDOW_MS is refused (408) and nothing of it kept; 1 KiB/s is far below any working link, far above a trickle meant to hold a connection',
    ),
  INTAKE_BODY_RATE_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(60_000)
    .describe(
      'The window INTAKE_MIN_BODY_BYTES_PER_SECOND is measured over (a minute rides out a short network stall)',
    ),
  INTAKE_BODY_DEADLINE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(2 * 60 * 60_000)
    .describe(
      'An upload whose body is not complete this long after it started is refused (408), however steady: 2 h carries a 4 GiB bundle at 600 KB/s',
    ),
  INTAKE_SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(20_000)
    .describe(
      'On SIGTERM, how long uploads still arriving may take before they are answered 503 and their staged bytes removed; under the 30 s an orchestrator waits before SIGKILL',
    ),
  INTAKE_PUBLISH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(20_000)
    .describe('How long publishing a bundle may retry before the request is answered 503'),
  INTAKE_INSTANCE_ID: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, dot, dash and underscore only')
    .default('')
    .describe(
      "This instance's name, stable across its restarts (a StatefulSet pod name): its Kafka transactional ids, so a restarted instance aborts what its predecessor left open. Empty: the host name",
    ),
  INTAKE_PUBLISH_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe(
      'Transactional producers intake takes turns with, least recently used first (right after a commit a producer waits for its markers); bundles are published one batch at a time (group commit), takedown requests one at a time',
    ),
  INTAKE_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(5 * 60_000)
    .describe(
      'How often leftover staged files and ZIP spools are swept, and media of unpublished bundles reclaimed (also once at start-up); 5 min keeps a crash-looping upload from filling the disk between restarts',
    ),
  INTAKE_LEFTOVER_AGE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(60 * 60_000)
    .describe(
      'A staged file or ZIP spool no upload of this instance is using is a leftover once nothing has written it for this long (1 h: an upload still arriving at another instance sharing the folder writes far more often)',
    ),
  INTAKE_RECLAIM_DIR: z
    .string()
    .min(1)
    .default('.data/intake/reclaim')
    .describe(
      'Journal of media committed before its bundle was published (one small file per bundle in flight); the reclaim sweep deletes a journaled file only once no record on intake.bundles.v1 names it',
    ),
  INTAKE_RECLAIM_GRACE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(60 * 60_000)
    .describe(
      'A journaled file is reclaimed only when its journal entry and its last commit are older than this (1 h; must exceed INTAKE_RECLAIM_SCAN_TIMEOUT_MS plus the longest commit-to-publish wait, checked at start)',
    ),
  INTAKE_RECLAIM_SCAN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(5 * 60_000)
    .describe(
      'How long the reclaim sweep may take to read intake.bundles.v1 to its end; past it nothing is removed and the next sweep tries again (5 min reads millions of bundle records)',
    ),
} as const;

export type IntakeConfig = ReturnType<typeof loadIntakeConfig>;

export function loadIntakeConfig(env: Env) {
  return loadConfig(intakeEnv, env, (config) => [
    ...checkContentStoreConfig(config),
    ...checkTlsPair('INTAKE', config),
    ...checkAtRestConfig(config),
  ]);
}

/**
 * The longest a bundle's files may wait between their commit and the bundle's publish: the
 * partner's other uploads ahead of it under its lock, each publishing a bundle and a receipt.
 */
export function commitToPublishBoundMs(config: {
  INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER: number;
  INTAKE_PUBLISH_TIMEOUT_MS: number;
}): number {
  return (config.INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER + 1) * 2 * config.INTAKE_PUBLISH_TIMEOUT_MS;
}

/** The reclaim grace must outlast the topic lookup plus any commit-to-publish wait (its proof rests on it). */
function checkAtRestConfig(config: {
  INTAKE_RECLAIM_GRACE_MS: number;
  INTAKE_RECLAIM_SCAN_TIMEOUT_MS: number;
  INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER: number;
  INTAKE_PUBLISH_TIMEOUT_MS: number;
}): string[] {
  const needed = config.INTAKE_RECLAIM_SCAN_TIMEOUT_MS + commitToPublishBoundMs(config);
  return config.INTAKE_RECLAIM_GRACE_MS > needed
    ? []
    : [
        `INTAKE_RECLAIM_GRACE_MS: ${config.INTAKE_RECLAIM_GRACE_MS} must exceed INTAKE_RECLAIM_SCAN_TIMEOUT_MS plus (INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER + 1) x 2 x INTAKE_PUBLISH_TIMEOUT_MS = ${needed}`,
      ];
}

/** The bundle limits from their `INTAKE_MAX_*` variables. */
export function bundleLimitsFromConfig(config: IntakeConfig): BundleLimits {
  const values = config as unknown as Record<string, number | undefined>;
  return bundleLimitsSchema.parse(
    Object.fromEntries(
      limitNames
        .map((limit) => [limit, values[limitVariable(limit)]] as const)
        .filter(([, value]) => value !== undefined),
    ),
  );
}

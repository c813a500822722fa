import { TriageError } from '@triage/errors';
import type { PartnerQuota } from '@triage/partners';
import type { DailyUsage } from './receipt-rows.ts';

const dayMs = 24 * 60 * 60_000;

/** What a bundle would add to the day's usage; null before its body is read (nothing known yet). */
export interface IncomingBundle {
  reports: number;
  bytes: number;
}

/**
 * Whether a partner may send (another) bundle today. Before the body is read (`incoming` null)
 * only a quota already used up refuses; with the bundle read, one that would pass a quota does.
 * The refusal's Retry-After is the start of the next UTC day, when the counters start again.
 */
export function quotaRefusal(
  quota: PartnerQuota | undefined,
  used: DailyUsage,
  incoming: IncomingBundle | null,
  now: number,
): TriageError | null {
  if (!quota) return null;
  const after = incoming
    ? {
        bundles: used.bundles + 1,
        reports: used.reports + incoming.reports,
        bytes: used.bytes + incoming.bytes,
      }
    : used;
  const over = (limit: number | undefined, value: number) =>
    limit !== undefined && (incoming ? value > limit : value >= limit);
  const passed = [
    ['bundlesPerDay', quota.bundlesPerDay, after.bundles],
    ['reportsPerDay', quota.reportsPerDay, after.reports],
    ['bytesPerDay', quota.bytesPerDay, after.bytes],
  ].find(([, limit, value]) => over(limit as number | undefined, value as number)) as
    | [string, number, number]
    | undefined;
  if (!passed) return null;
  const [name, limit] = passed;
  const retryAfterSeconds = Math.ceil((nextUtcDay(now) - now) / 1000);
  return new TriageError(
    'TRIAGE_PARTNER_QUOTA',
    incoming
      ? `this bundle would pass the partner's ${name} quota of ${limit} for today; nothing was accepted`
      : `the partner's ${name} quota of ${limit} is used up for today`,
    { details: { quota: name, limit, used, retryAfterSeconds } },
  );
}

/** Epoch ms of the next UTC midnight after `now`. */
export function nextUtcDay(now: number): number {
  return Math.floor(now / dayMs) * dayMs + dayMs;
}

// Recency (docs/domain.md): platforms keep data for a limited time, so recent incidents and IP events
// weigh more. The weight halves every half-life; a time after `now` counts as now.
import { DAY_MS, type Factor, outcome } from './factor.ts';
import { ipEventsOf } from './ip-events.ts';

/** weight * 0.5^(age / half-life), age in days from `at` to `now`, never negative. */
export function decayed(weight: number, at: number, now: number, halfLifeDays: number): number {
  const ageDays = Math.max(0, now - at) / DAY_MS;
  return weight * 0.5 ** (ageDays / halfLifeDays);
}

function describe(at: number, now: number): string {
  const days = Math.max(0, Math.floor((now - at) / DAY_MS));
  return `${new Date(at).toISOString().slice(0, 10)} (${days} day${days === 1 ? '' : 's'} before now)`;
}

export const incidentRecency: Factor = ({ report, now }, rules) => {
  const at = report.incidentDateTime;
  if (at === null) return null;
  return outcome(
    decayed(rules.weights.incidentRecency, at, now, rules.halfLifeDays.incident),
    'report.incidentDateTime',
    describe(at, now),
  );
};

/** The latest IP capture or upload event. */
export const ipEventRecency: Factor = ({ report, items, now }, rules) => {
  let latest: { at: number; field: string } | null = null;
  for (const { event, field } of ipEventsOf(report, items)) {
    if (event.dateTime !== null && (latest === null || event.dateTime > latest.at))
      latest = { at: event.dateTime, field: `${field}.dateTime` };
  }
  if (latest === null) return null;
  return outcome(
    decayed(rules.weights.ipEventRecency, latest.at, now, rules.halfLifeDays.ipEvent),
    latest.field,
    describe(latest.at, now),
  );
};

import { TriageError } from '@triage/errors';
import type { DeadLetter } from '@triage/schemas';

/** Which dead letters a `triage dlq` command takes; an absent field matches everything. */
export interface DeadLetterFilter {
  /** Original topics (catalogue names). */
  topics?: readonly string[];
  stage?: string;
  code?: string;
  /** Failed at or after (epoch ms). */
  since?: number;
  /** Failed before (epoch ms). */
  until?: number;
}

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A time bound given as ISO 8601 (`2026-12-04T10:00:00Z`) or relative to `now`, as an age
 * (`90s`, `15m`, `1h`, `2d`, `1w`): epoch ms. `TRIAGE_DLQ_OPTION_INVALID` otherwise.
 */
export function parseTimeBound(text: string, now: number): number {
  const relative = /^(\d+)([smhdw])$/.exec(text.trim());
  if (relative) return now - Number(relative[1]) * units[relative[2]!]!;
  const absolute = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(absolute))
    throw new TriageError(
      'TRIAGE_DLQ_OPTION_INVALID',
      `time must be ISO 8601 or an age such as 90s, 15m, 1h, 2d; got ${JSON.stringify(text)}`,
    );
  return absolute;
}

/** Whether the filter narrows anything (`redrive` refuses an empty one without `--all`). */
export function isNarrowed(filter: DeadLetterFilter): boolean {
  return (
    (filter.topics?.length ?? 0) > 0 ||
    filter.stage !== undefined ||
    filter.code !== undefined ||
    filter.since !== undefined ||
    filter.until !== undefined
  );
}

/**
 * The test on a dead letter's headers (`triage-stage`, `triage-error-code`), before its value is
 * decoded. A dead letter without them (none are written so) is left to `matchesDeadLetter`.
 */
export function matchesHeaders(filter: DeadLetterFilter, headers: Readonly<Record<string, string>>): boolean {
  const stage = headers['triage-stage'];
  const code = headers['triage-error-code'];
  if (filter.stage !== undefined && stage !== undefined && stage !== filter.stage) return false;
  if (filter.code !== undefined && code !== undefined && code !== filter.code) return false;
  return true;
}

/** The whole test, on the decoded dead letter. */
export function matchesDeadLetter(filter: DeadLetterFilter, letter: DeadLetter): boolean {
  if (filter.stage !== undefined && letter.stage !== filter.stage) return false;
  if (filter.code !== undefined && letter.errorCode !== filter.code) return false;
  if (filter.since !== undefined && letter.failedAt < filter.since) return false;
  if (filter.until !== undefined && letter.failedAt >= filter.until) return false;
  return true;
}

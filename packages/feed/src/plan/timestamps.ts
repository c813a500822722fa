// The planner's clock arithmetic: every timestamp derives from the feed's fixed "now".
export const DAY = 86_400_000;

/** ISO 8601 to the second, without milliseconds (`2026-11-28T12:00:00Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

import type { PlannedReport } from '../types.ts';

/** `partnerId:partnerReportId`, the pipeline's report id. */
export const reportIdOf = (report: PlannedReport): string => `${report.partnerId}:${report.partnerReportId}`;

/** Adds report `index` to the set under `key`. */
export function addReport<K>(map: Map<K, Set<number>>, key: K, index: number): void {
  const set = map.get(key) ?? new Set<number>();
  set.add(index);
  map.set(key, set);
}

/** Whether `set` holds a report other than `index`. */
export function elsewhere(set: ReadonlySet<number> | undefined, index: number): boolean {
  return set !== undefined && [...set].some((other) => other !== index);
}

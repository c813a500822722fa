import { alias, run, type SearchDeps } from './case-store.ts';
import {
  type AnalystExposure,
  analystsExposureOf,
  analystsExposureRequest,
  type ExposureAggregations,
  type ExposureCounts,
  type ExposureWindow,
  exposureCountsOf,
  selfExposureRequest,
} from './exposure-query.ts';

/** One user's previews and allowed reveals since `window.from`, as the audit index holds them. */
export async function readSelfExposure(
  deps: SearchDeps,
  sub: string,
  window: ExposureWindow,
): Promise<ExposureCounts> {
  const response = await run('count exposure', () =>
    deps.client.search({ index: alias(deps, 'audit'), ...selfExposureRequest(sub, window) }),
  );
  return exposureCountsOf(response.aggregations as Parameters<typeof exposureCountsOf>[0]);
}

/** Every user's previews and allowed reveals in the window (subjects and counts, never targets). */
export async function readAnalystsExposure(
  deps: SearchDeps,
  window: ExposureWindow,
): Promise<{ analysts: AnalystExposure[]; truncated: boolean }> {
  const response = await run('count exposure per analyst', () =>
    deps.client.search({ index: alias(deps, 'audit'), ...analystsExposureRequest(window) }),
  );
  return analystsExposureOf(response.aggregations as ExposureAggregations | undefined);
}

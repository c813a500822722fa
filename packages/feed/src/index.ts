// The synthetic feed generator: invented partners and reports, synthetic images, a ground truth.
export {
  FEED_FORMATS,
  type GenerateFeedOptions,
  type GenerateFeedResult,
  generateFeed,
  hosterTruthPath,
} from './generate-feed.ts';
export type { FeedFormat, GroundTruth } from './ground-truth.ts';
export { type FeedCountry, feedCountries, hostingRanges } from './ip-ranges.ts';
export {
  buildHosterTruth,
  type HosterCountryTruth,
  type HosterFigures,
  type HosterTruth,
  type HosterTruthOptions,
  type HosterTruthRow,
  type OverdueCase,
} from './takedowns/hoster-truth.ts';
export {
  defaultTakedownPartners,
  type PlanTakedownsOptions,
  planTakedowns,
  type TakedownContent,
} from './takedowns/plan-takedowns.ts';
export {
  type PushTakedownsOptions,
  type PushTakedownsOutcome,
  pushTakedowns,
  TAKEDOWN_BATCH_LIMIT,
  type TakedownRefusal,
} from './takedowns/push-takedowns.ts';
export { takedownEvents, takedownEventsPath } from './takedowns/takedown-events.ts';
export type {
  CaseOutcome,
  PlannedCase,
  PlannedHosting,
  TakedownEventRequest,
  TakedownEventType,
  TakedownPartner,
  TakedownPlan,
} from './takedowns/types.ts';
export {
  type PackageUpload,
  type UploadOptions,
  type UploadOutcome,
  uploadPackage,
} from './upload-package.ts';

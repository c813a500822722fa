// The synthetic feed generator: invented partners and reports, synthetic images, a ground truth.
export {
  FEED_FORMATS,
  type GenerateFeedOptions,
  type GenerateFeedResult,
  generateFeed,
} from './generate-feed.ts';
export type { FeedFormat, GroundTruth } from './ground-truth.ts';
export { type FeedCountry, feedCountries, hostingRanges } from './ip-ranges.ts';
export {
  type PackageUpload,
  type UploadOptions,
  type UploadOutcome,
  uploadPackage,
} from './upload-package.ts';

export { reportedUrls, type SplitOptions, type SplitResult, splitBundle } from './split-bundle.ts';

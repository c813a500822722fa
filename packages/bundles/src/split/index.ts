export { partnerHashIssues } from './report-issues.ts';
export { reportedUrls, type SplitOptions, type SplitResult, splitBundle } from './split-bundle.ts';
export { type SplitStatusFacts, splitBundleStatus, splitStatusKey } from './split-status.ts';

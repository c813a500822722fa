// Tests only: reading what an ops server logs and serves.
export { loggedOpsUrl } from './logged-ops-url.ts';
export { parsePrometheusText, type Sample, sampleValue, servedMetricNames } from './prometheus-text.ts';

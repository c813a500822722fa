// P3: a hotline report of web pages showing new images.
import { planHotlineReport } from './hotline-report.ts';
import type { Scenario } from './scenario.ts';

export const hotlineNewUrl: Scenario = {
  name: 'hotline-new-url',
  tiers: ['P3'],
  weight: 5,
  plan(feed) {
    planHotlineReport(feed, hotlineNewUrl, feed.media.freshFiles(feed.random.int(1, 4), {}));
  },
};

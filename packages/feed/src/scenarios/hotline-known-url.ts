// P4: a hotline report of web pages showing known images.
import { planHotlineReport } from './hotline-report.ts';
import type { Scenario } from './scenario.ts';

export const hotlineKnownUrl: Scenario = {
  name: 'hotline-known-url',
  tiers: ['P4'],
  weight: 8,
  plan(feed) {
    planHotlineReport(feed, hotlineKnownUrl, feed.media.knownFiles(feed.random.int(1, 6)));
  },
};

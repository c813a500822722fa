// The hotline's reports: web-page URLs and the images found there, no reported person.
import type { FileDraft } from '../plan/drafts.ts';
import type { FeedBuilder } from '../plan/feed-builder.ts';
import { hotlinePartner } from '../plan/partners.ts';
import { randomHex } from '../random.ts';
import { CSAM, hotlineEsp } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

/** One hotline report of `scenario` with `files` (drawn by the caller, before the URLs). */
export function planHotlineReport(feed: FeedBuilder, scenario: Scenario, files: FileDraft[]): void {
  const r = feed.random;
  const urls = Array.from(
    { length: r.int(1, 3) },
    () => `https://img-host-${r.int(1, 40)}.example.net/gallery/${randomHex(r, 12)}.html`,
  );
  feed.report({
    ...feed.common(scenario, hotlinePartner),
    esp: hotlineEsp,
    incidentType: CSAM,
    persons: [],
    urls,
    files,
  });
}

// P2: two to four reports about one home suspect, each with new images. Later reports show only
// some of the suspect's identifiers, cite the earlier tipline reports (priorCTReports) and
// re-share one image of the report before.
import type { FileDraft } from '../plan/drafts.ts';
import { CSAM, ENTICEMENT, esps } from '../vocabulary.ts';
import { newContentAbroad } from './new-content-abroad.ts';
import type { Scenario } from './scenario.ts';

export const repeatSuspectChain: Scenario = {
  name: 'repeat-suspect-chain',
  tiers: ['P2'],
  weight: 5,
  plan(feed, remaining) {
    const r = feed.random;
    const length = Math.min(remaining, r.int(2, 4));
    // One report is no chain: the last slot of a feed goes to a single report instead.
    if (length < 2) {
      newContentAbroad.plan(feed, remaining);
      return;
    }
    const persona = feed.suspects.persona(feed.options.homeCountry);
    const esp = esps[0]; // the platform partner is this ESP, so its user id means the same account
    const earlierIds: string[] = [];
    let previousFresh: string[] = [];
    for (let step = 0; step < length; step++) {
      const partner = feed.partner();
      const fresh = feed.media.freshFiles(r.int(2, 3), {
        classification: r.pick(['A2', 'B1', 'B2', null] as const),
      });
      const files: FileDraft[] = [...fresh];
      // Re-share one image of the previous report: it stays that report's only non-new file.
      if (previousFresh.length >= 2 && files.length + 1 <= feed.options.maxFiles) {
        files.push({ mediaKey: previousFresh[0]! });
      }
      previousFresh = fresh.map((file) => file.mediaKey);
      const report = feed.report({
        ...feed.common(repeatSuspectChain, partner, esp),
        incidentType: r.chance(0.7) ? CSAM : ENTICEMENT,
        persons: [feed.suspects.person(persona, [...earlierIds], step === 0 ? 'all' : 'some')],
        files: feed.suspects.withUploadIp(files, persona),
      });
      if (partner.kind === 'tipline') earlierIds.push(report.partnerReportId);
    }
  },
};

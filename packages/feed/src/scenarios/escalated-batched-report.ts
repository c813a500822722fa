// What the escalated batched scenarios share: an escalated report sent as a batched viral report
// of 3-6 known memes (viral, potentialMeme), the suspect abroad, the incident over a year old.
// Every dampener at once; a floor must hold the report at P1.
import type { FeedBuilder } from '../plan/feed-builder.ts';
import type { IncidentTypeText } from '../types.ts';
import { escalationTexts } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export function planEscalatedBatchedReport(
  feed: FeedBuilder,
  scenario: Scenario,
  report: { readonly incidentType: IncidentTypeText; readonly victims: boolean },
): void {
  const r = feed.random;
  const persona = feed.suspects.persona(feed.abroad());
  feed.report({
    ...feed.common(scenario, feed.partner()),
    incidentMs: feed.oldIncidentMs(),
    incidentType: report.incidentType,
    escalation: r.pick(escalationTexts),
    batched: true,
    persons: [feed.suspects.person(persona, [])],
    victims: report.victims ? [{ age: r.int(10, 15) }] : [],
    files: feed.suspects.withUploadIp(feed.media.viralMemeFiles(r.int(3, 6)), persona),
  });
}

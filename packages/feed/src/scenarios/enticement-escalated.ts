// P1: enticement with an escalation text, a victim (maybe a recipient), a home suspect, new images.
import { ENTICEMENT, escalationTexts } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const enticementEscalated: Scenario = {
  name: 'enticement-escalated',
  tiers: ['P1'],
  weight: 5,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.options.homeCountry);
    const files = feed.media.freshFiles(r.int(1, 3), { classification: r.pick(['B1', 'B2', null] as const) });
    // A chat excerpt only where maxFiles leaves room for it.
    if (files.length < feed.options.maxFiles && r.chance(0.3))
      files.push({ mediaKey: feed.media.text('chat excerpt') });
    feed.report({
      ...feed.common(enticementEscalated, feed.partner()),
      incidentType: ENTICEMENT,
      escalation: r.pick(escalationTexts),
      annotations: r.chance(0.4) ? ['csamSolicitation'] : [],
      persons: [feed.suspects.person(persona, feed.priorIds())],
      victims: [{ age: r.int(11, 15) }],
      recipients: r.chance(0.5) ? [{ age: r.int(11, 15), screenName: feed.suspects.screenName() }] : [],
      files: feed.suspects.withUploadIp(files, persona),
    });
  },
};

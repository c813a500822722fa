// P2: new images from a home suspect, the first one carrying a production indicator.
import { CSAM, productionAnnotations } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const newProductionHome: Scenario = {
  name: 'new-production-home',
  tiers: ['P2'],
  weight: 9,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.options.homeCountry);
    const count = r.int(2, 6);
    const files = feed.media.freshFiles(count, { classification: r.pick(['A1', 'A2', 'B1'] as const) });
    files[0] = { ...files[0]!, annotations: r.sample(productionAnnotations, r.int(1, 2)) };
    feed.report({
      ...feed.common(newProductionHome, feed.partner()),
      incidentType: CSAM,
      persons: [feed.suspects.person(persona, feed.priorIds())],
      files: feed.suspects.withUploadIp(files, persona),
    });
  },
};

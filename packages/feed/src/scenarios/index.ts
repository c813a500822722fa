// The table of scenarios the planner draws from, weighted. The draw walks the rows in order, so a
// new row, a new weight or a new order gives every seed a new feed (tests that name a seed for
// the scenarios it draws must then pick one again).
import { enticementEscalated } from './enticement-escalated.ts';
import { enticementEscalatedBatched } from './enticement-escalated-batched.ts';
import { hotlineKnownUrl } from './hotline-known-url.ts';
import { hotlineNewUrl } from './hotline-new-url.ts';
import { informationalReferral } from './informational-referral.ts';
import { knownDistributionHome } from './known-distribution-home.ts';
import { ncmecPriority1Informational } from './ncmec-priority-1-informational.ts';
import { nearDuplicateCluster } from './near-duplicate-cluster.ts';
import { newContentAbroad } from './new-content-abroad.ts';
import { newProductionHome } from './new-production-home.ts';
import { repeatSuspectChain } from './repeat-suspect-chain.ts';
import type { Scenario } from './scenario.ts';
import { sextortionEscalated } from './sextortion-escalated.ts';
import { victimEscalatedCsamBatched } from './victim-escalated-csam-batched.ts';
import { victimRiskAbroad } from './victim-risk-abroad.ts';
import { viralBatched } from './viral-batched.ts';

export const scenarios: readonly Scenario[] = [
  enticementEscalated,
  sextortionEscalated,
  newProductionHome,
  victimRiskAbroad,
  repeatSuspectChain,
  knownDistributionHome,
  newContentAbroad,
  nearDuplicateCluster,
  hotlineKnownUrl,
  hotlineNewUrl,
  viralBatched,
  informationalReferral,
  // Dampeners meet floors (issue 9 part 5): P1 whatever the points.
  enticementEscalatedBatched,
  ncmecPriority1Informational,
  victimEscalatedCsamBatched,
];

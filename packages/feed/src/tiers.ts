/**
 * The intended priority tier of a synthetic report and the reasons for it. The generator picks a
 * scenario per report; the scenario sets the facts below, and `assessTier` is the rule table that
 * turns facts into a tier. The ground truth names the facts that decided, so a scorer can be
 * checked against it. Rules, first match wins:
 *
 * - P1 by a floor (the scorer's tier floors, packages/scoring rules/default.json; issue 9 part 5,
 *   "danger is never cancelled by a dampener"): escalation on a contact-offence incident; NCMEC
 *   priority 1; escalation with a recorded victim. No dampener (batched, viral, informational, an
 *   old incident, known content, a suspect abroad) lowers these.
 * - P1: escalation text, a victim-risk incident type or sextortion, a victim or intended recipient,
 *   a link to the home country, and new content.
 * - P2: new content with a victim-risk incident (or sextortion) and a victim; or new content in the
 *   home country with a production indicator or a repeat suspect.
 * - P4: a batched viral report; an informational referral; or only known content with no victim
 *   and no link to the home country.
 * - P3: everything else.
 */

const TIERS = ['P1', 'P2', 'P3', 'P4'] as const;
export type Tier = (typeof TIERS)[number];

/** Facts of one report as written, with what the feed knows about its content. */
export interface ReportFacts {
  /** escalateToHighPriority is set. */
  readonly escalation: boolean;
  /** Incident type is enticement, trafficking or molestation. */
  readonly victimRiskIncident: boolean;
  /** Incident type is one the escalated_contact_offence floor names: enticement, trafficking, molestation or sex tourism. */
  readonly contactOffence: boolean;
  /** NCMEC priority 1 (JSON only: the XSD has no NCMEC priority). */
  readonly ncmecPriority1: boolean;
  /** The `sextortion` report annotation. */
  readonly sextortion: boolean;
  /** At least one victim or intended recipient. */
  readonly victimPresent: boolean;
  /** At least one victim (intended recipients do not count: the victim_at_immediate_risk floor reads report.victims). */
  readonly victimRecorded: boolean;
  /** A reported person's estimated location, or a non-proxy IP event, is in the home country. */
  readonly homeJurisdiction: boolean;
  /** At least one image on no known list (exact or PDQ) and in no other report (exact or near-duplicate). */
  readonly newContent: boolean;
  /** At least one image on the known list (MD5 exactly, or the PDQ of its family original). */
  readonly knownContent: boolean;
  /** Every image of the report is known (false for a report without images). */
  readonly allKnown: boolean;
  /** At least one image also in another report (exactly or as a near-duplicate) and not known. */
  readonly seenContent: boolean;
  /** A file annotated possibleSelfProduction, liveStreaming, infant or physicalHarm. */
  readonly productionIndicator: boolean;
  /** priorCTReports given, or a suspect identifier shared with another report. */
  readonly repeatSuspect: boolean;
  /** batchedReport with reason VIRAL_POTENTIAL_MEME. */
  readonly batchedViral: boolean;
  /** The `informational` report annotation (JSON only: the XSD lacks it). */
  readonly informational: boolean;
}

export type TierReason =
  | 'floor_escalated_contact_offence'
  | 'floor_ncmec_priority_1'
  | 'floor_victim_at_immediate_risk'
  | 'escalation'
  | 'victim_risk_incident'
  | 'sextortion'
  | 'victim_present'
  | 'home_jurisdiction'
  | 'new_content'
  | 'production_indicator'
  | 'repeat_suspect'
  | 'batched_viral'
  | 'informational'
  | 'known_content'
  | 'seen_content'
  | 'no_home_link'
  | 'no_victim'
  | 'no_priority_factor';

export interface TierAssessment {
  readonly tier: Tier;
  readonly reasons: readonly TierReason[];
}

function riskReasons(facts: ReportFacts): TierReason[] {
  const reasons: TierReason[] = [];
  if (facts.victimRiskIncident) reasons.push('victim_risk_incident');
  if (facts.sextortion) reasons.push('sextortion');
  return reasons;
}

/** The scorer's floors that the facts meet, in the rules file's order (each one a reason). */
function floorReasons(facts: ReportFacts): TierReason[] {
  const reasons: TierReason[] = [];
  if (facts.escalation && facts.contactOffence) reasons.push('floor_escalated_contact_offence');
  if (facts.ncmecPriority1) reasons.push('floor_ncmec_priority_1');
  if (facts.escalation && facts.victimRecorded) reasons.push('floor_victim_at_immediate_risk');
  return reasons;
}

export function assessTier(facts: ReportFacts): TierAssessment {
  // Floors first: every one that applies is a reason, as the scorer lists every applied floor.
  const floors = floorReasons(facts);
  if (floors.length > 0) return { tier: 'P1', reasons: floors };
  const risk = facts.victimRiskIncident || facts.sextortion;
  if (facts.escalation && risk && facts.victimPresent && facts.homeJurisdiction && facts.newContent) {
    return {
      tier: 'P1',
      reasons: ['escalation', ...riskReasons(facts), 'victim_present', 'home_jurisdiction', 'new_content'],
    };
  }
  if (facts.newContent && risk && facts.victimPresent) {
    return { tier: 'P2', reasons: [...riskReasons(facts), 'victim_present', 'new_content'] };
  }
  if (facts.newContent && facts.homeJurisdiction && (facts.productionIndicator || facts.repeatSuspect)) {
    const reasons: TierReason[] = ['new_content', 'home_jurisdiction'];
    if (facts.productionIndicator) reasons.push('production_indicator');
    if (facts.repeatSuspect) reasons.push('repeat_suspect');
    return { tier: 'P2', reasons };
  }
  if (facts.batchedViral || facts.informational) {
    const reasons: TierReason[] = [];
    if (facts.batchedViral) reasons.push('batched_viral');
    if (facts.informational) reasons.push('informational');
    return { tier: 'P4', reasons };
  }
  if (facts.allKnown && !facts.homeJurisdiction && !facts.victimPresent) {
    return { tier: 'P4', reasons: ['known_content', 'no_home_link', 'no_victim'] };
  }
  const reasons: TierReason[] = [];
  if (facts.newContent) reasons.push('new_content');
  if (facts.knownContent) reasons.push('known_content');
  if (facts.seenContent) reasons.push('seen_content');
  if (facts.homeJurisdiction) reasons.push('home_jurisdiction');
  if (facts.repeatSuspect) reasons.push('repeat_suspect');
  if (facts.productionIndicator) reasons.push('production_indicator');
  return { tier: 'P3', reasons: reasons.length === 0 ? ['no_priority_factor'] : reasons };
}

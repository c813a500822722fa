// Jurisdiction (docs/domain.md): an estimated location, or an IP geolocated, in the home country, where
// the address is not flagged as a possible proxy.
import type { EnrichedItem, NetworkEnrichment } from '@triage/schemas';
import { type Factor, outcome } from './factor.ts';
import { eventAtOrigin, ipEventOrigin } from './ip-events.ts';

/**
 * The first link to the home country, in this order: a reported person's estimated location, a
 * victim's or intended recipient's, then a geolocated IP capture or upload event not flagged
 * `possibleProxy` (by the partner on the event, or by the enrichment). URL hosts do not count.
 */
export const homeJurisdiction: Factor = ({ report, items, reportEnrichment }, rules) => {
  const home = rules.homeCountry;
  const weight = rules.weights.homeJurisdiction;
  const isHome = (code: string | null | undefined) => code?.trim().toUpperCase() === home;
  const parties = [
    ...report.personsReported.map((person, at) => ({
      party: person,
      field: `report.personsReported[${at}]`,
    })),
    ...report.victims.map((victim, at) => ({ party: victim, field: `report.victims[${at}]` })),
    ...report.intendedRecipients.map((recipient, at) => ({
      party: recipient,
      field: `report.intendedRecipients[${at}]`,
    })),
  ];
  for (const { party, field } of parties) {
    if (isHome(party.estimatedLocation?.countryCode))
      return outcome(weight, `${field}.estimatedLocation.countryCode`, `${home} (estimated location)`);
  }
  const located: { enrichment: NetworkEnrichment; item: EnrichedItem | null; field: string }[] = [
    ...reportEnrichment.map((enrichment) => ({ enrichment, item: null, field: enrichment.origin })),
    ...items.flatMap((item) =>
      item.enrichment.map((enrichment) => ({
        enrichment,
        item,
        field: `items[${item.item.itemIndex}].${enrichment.origin}`,
      })),
    ),
  ];
  for (const { enrichment, item, field } of located) {
    if (
      enrichment.subjectType !== 'ip' ||
      enrichment.error !== null ||
      !ipEventOrigin.test(enrichment.origin)
    )
      continue;
    if (!isHome(enrichment.countryCode) || enrichment.possibleProxy === true) continue;
    if (eventAtOrigin(enrichment.origin, report, item)?.possibleProxy === true) continue;
    return outcome(weight, `${field}.ipAddress`, `${home} (IP geolocation, not flagged as proxy)`);
  }
  return null;
};

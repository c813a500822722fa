/**
 * Codes that stand in a country field without naming a country: legacy GeoIP A1 (anonymous
 * proxy), A2 (satellite provider), AP (somewhere in Asia/Pacific), EU (somewhere in Europe),
 * O1 (other), and ZZ / XX (unknown). Some whois-derived data still carries them.
 */
export const pseudoCountryCodes: ReadonlySet<string> = new Set(['A1', 'A2', 'AP', 'EU', 'O1', 'XX', 'ZZ']);

export interface JurisdictionFacts {
  countryCode: string | null;
  /** Flagged as a possible proxy by the partner or by the data. */
  possibleProxy: boolean | null;
  /** The data says the provider's users may be anywhere (satellite). */
  satelliteProvider?: boolean;
}

/**
 * Whether an address places its user in the home country: `true` only for a real country code
 * equal to `homeCountry` on an address nobody flagged as a proxy. A proxy's or satellite link's
 * country is where the exit is, not where the person is; a pseudo-code (A1, A2, AP, EU...) names
 * no country. Those are `false`: known not to count. `null` when no country is known at all.
 */
export function inJurisdiction(facts: JurisdictionFacts, homeCountry: string): boolean | null {
  if (facts.possibleProxy === true || facts.satelliteProvider === true) return false;
  if (facts.countryCode === null) return null;
  if (pseudoCountryCodes.has(facts.countryCode)) return false;
  return facts.countryCode === homeCountry;
}

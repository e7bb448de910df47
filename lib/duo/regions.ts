/**
 * Region names a geographical restriction (DUO GS) may state that stand for a fixed list of
 * countries, so a release limited to "EU" matches an institution in NL without the committee.
 * ISO 3166-1 alpha-2 codes; "EU" is ISO's exceptionally reserved code for the European Union.
 * Members as of 2026: the 27 EU states since 2020-02-01 (the United Kingdom left), and the EEA's
 * 30 (the EU plus Iceland, Liechtenstein and Norway).
 */

const EU = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"] as const;

export const REGION_COUNTRIES: Readonly<Record<string, readonly string[]>> = {
  EU,
  EEA: [...EU, "IS", "LI", "NO"],
};

const ALPHA_2 = /^[A-Z]{2}$/;

/** The region in canonical form ("nl " → "NL"), or undefined when it is a name in words ("Benelux"). */
export function codedRegion(region: string): string | undefined {
  const code = region.trim().toUpperCase();
  return code in REGION_COUNTRIES || ALPHA_2.test(code) ? code : undefined;
}

/** Whether a country (ISO alpha-2) lies in a coded region: the country itself, or a member of a listed union. */
export function regionHolds(region: string, country: string): boolean {
  const c = country.trim().toUpperCase();
  return region === c || (REGION_COUNTRIES[region]?.includes(c) ?? false);
}

// Drawing `countryCode` from the real ISO 3166-1 alpha-2 set, by population or uniformly, and its time zones.

import type { Faker } from '@faker-js/faker';
import { ISO_3166_1_ALPHA_2 } from '../src/contract/countries.ts';
import { InvalidOptionError } from '../src/errors.ts';
import { COUNTRY_TIME_ZONES } from './country-time-zones.ts';
import { COUNTRY_POPULATION, DEFAULT_COUNTRY_WEIGHT } from './reference-data.ts';

/** `weighted`: by approximate population; `uniform`: every code equally; or explicit weights per code. */
export type CountryWeighting = 'weighted' | 'uniform' | Readonly<Record<string, number>>;

export interface CountryPicker {
  pick(faker: Faker): string;
}

const ISO_SET: ReadonlySet<string> = new Set(ISO_3166_1_ALPHA_2);

export function createCountryPicker(weighting: CountryWeighting): CountryPicker {
  if (weighting === 'uniform') return { pick: (faker) => faker.helpers.arrayElement(ISO_3166_1_ALPHA_2) };
  const weights = weighting === 'weighted' ? populationWeights() : checkedWeights(weighting);
  const entries = Object.entries(weights)
    .filter(([, weight]) => weight > 0)
    .map(([value, weight]) => ({ value, weight }));
  return { pick: (faker) => faker.helpers.weightedArrayElement(entries) };
}

function populationWeights(): Record<string, number> {
  return Object.fromEntries(ISO_3166_1_ALPHA_2.map((code) => [code, COUNTRY_POPULATION[code] ?? DEFAULT_COUNTRY_WEIGHT]));
}

function checkedWeights(weights: Readonly<Record<string, number>>): Record<string, number> {
  let total = 0;
  for (const [code, weight] of Object.entries(weights)) {
    if (!ISO_SET.has(code)) {
      throw new InvalidOptionError('countries', `${JSON.stringify(code)} is not an ISO 3166-1 alpha-2 code; use upper-case codes such as US, DE, IN`);
    }
    if (!Number.isFinite(weight) || weight < 0) {
      throw new InvalidOptionError('countries', `the weight of ${code} must be a number ≥ 0 (got ${weight})`);
    }
    total += weight;
  }
  if (total <= 0) throw new InvalidOptionError('countries', 'at least one country needs a weight above 0');
  return { ...weights };
}

/** The IANA time zones in use in `countryCode` (at least one for every ISO code). */
export function timeZonesOf(countryCode: string): readonly string[] {
  return COUNTRY_TIME_ZONES[countryCode] ?? ['Etc/UTC'];
}

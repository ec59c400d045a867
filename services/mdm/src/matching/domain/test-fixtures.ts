/** Small builders for the unit tests: people as the contracts describe them, and a fixed model. */
import type { IdentifierScheme, PersonDetails } from '@hub/contracts';
import { MatchRecord, toMatchRecord } from './match-record';
import { buildNameTables } from './name-tables';
import { defaultModel, MatchModel, withVersion } from './model';

export interface PersonSketch {
  given?: string;
  /** A second given name. */
  middle?: string;
  family?: string;
  dob?: string;
  sex?: 'MALE' | 'FEMALE';
  postcode?: string;
  line?: string;
  locality?: string;
  email?: string;
  phone?: string;
  ids?: Array<[IdentifierScheme, string]>;
}

export function person(s: PersonSketch): PersonDetails {
  const hasAddress = s.postcode !== undefined || s.line !== undefined || s.locality !== undefined;
  return {
    name: { givenNames: [s.given, s.middle].filter((g): g is string => g !== undefined), familyName: s.family ?? null, fullName: null, title: null },
    otherNames: [],
    dateOfBirth: s.dob ?? null,
    sex: s.sex ?? null,
    addresses: hasAddress
      ? [{ lines: s.line ? [s.line] : [], locality: s.locality ?? null, postcode: s.postcode ?? null, uprn: null, countryCode: null, usage: null, validFrom: null, validTo: null }]
      : [],
    emails: s.email ? [s.email] : [],
    phones: s.phone ? [s.phone] : [],
    identifiers: (s.ids ?? []).map(([scheme, value]) => ({ scheme, value, issuer: null })),
  };
}

export const TEST_NAMES = buildNameTables({
  nicknames: { robert: ['bob', 'rob', 'bobby'], elizabeth: ['liz', 'beth', 'betty'] },
  surnameVariants: { smith: ['smyth'] },
});

export function rec(id: string, s: PersonSketch): MatchRecord {
  return toMatchRecord(id, 'test', person(s), { names: TEST_NAMES });
}

/**
 * The comparisons' default m and u, a prior of 1e-4 and a term-frequency floor high enough
 * that unseen names get no bonus: weights the tests can reason about.
 */
/** The model with the m of one comparison's "else" level replaced (how often true pairs disagree on it). */
export function withDisagreement(model: MatchModel, comparison: string, m: number): MatchModel {
  return withVersion({
    ...model,
    comparisons: model.comparisons.map((c) => (c.name === comparison ? { ...c, levels: c.levels.map((l, i) => (i === c.levels.length - 1 ? { ...l, m } : l)) } : c)),
  });
}

export function testModel(overrides: Partial<MatchModel> = {}): MatchModel {
  const base = defaultModel(1e-4);
  return withVersion({
    ...base,
    minimumTermFrequency: { givenName: 0.01, familyName: 0.005, locality: 0.02 },
    ...overrides,
  });
}

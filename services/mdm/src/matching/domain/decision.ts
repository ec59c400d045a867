/**
 * From a scored pair to a decision: link, clerical review, or no match. Identifier schemes
 * marked trustworthy may decide alone, but never against clear evidence that the two records
 * are different people (a shared NHS number on people of different sex, birth date and name is
 * a data error, not a match).
 */
import type { IdentifierScheme } from '@hub/contracts';
import { NULL_LEVEL } from './comparisons';
import { PairScore } from './model';

export interface DecisionPolicy {
  /** At or above: link. */
  linkProbability: number;
  /** At or above (and below linkProbability): clerical review. */
  reviewProbability: number;
  /** Schemes whose exact agreement links on its own when the dates of birth are compatible. */
  trustedIdentifierSchemes: readonly IdentifierScheme[];
  /**
   * Household guard: records whose given names disagree outright link by score only when
   * their dates of birth agree (or nearly) or a personal value (identifier, e-mail, phone) agrees. Family name and address are shared by everyone in
   * a household, so together they can outweigh a different given name; the guard sends such
   * pairs to review instead.
   */
  householdGuard: boolean;
}

export const DEFAULT_DECISION_POLICY: DecisionPolicy = {
  linkProbability: 0.9,
  reviewProbability: 0.5,
  trustedIdentifierSchemes: ['NHS'],
  householdGuard: true,
};

export type MatchDecision =
  | { readonly outcome: 'link'; readonly reason: 'score' | 'trusted-identifier' }
  | { readonly outcome: 'review'; readonly reason: 'score' | 'conflicting-identifier' | 'household-guard' }
  | { readonly outcome: 'new' };

/** Where the comparisons the rules look at sit in a model's level vector. */
export interface DecisionLayout {
  givenName: number;
  familyName: number;
  dateOfBirth: number;
  sex: number;
  trustedIdentifiers: readonly number[];
  /** Comparisons whose exact agreement is personal (identifiers, e-mail, phone), not household. */
  personal: readonly number[];
}

const layoutCache = new WeakMap<readonly string[], Map<string, DecisionLayout>>();

export function decisionLayout(comparisonNames: readonly string[], policy: DecisionPolicy): DecisionLayout {
  const cacheKey = policy.trustedIdentifierSchemes.join(',');
  let perModel = layoutCache.get(comparisonNames);
  if (!perModel) layoutCache.set(comparisonNames, (perModel = new Map()));
  const cached = perModel.get(cacheKey);
  if (cached) return cached;
  const at = (name: string) => comparisonNames.indexOf(name);
  const layout: DecisionLayout = {
    givenName: at('given name'),
    familyName: at('family name'),
    dateOfBirth: at('date of birth'),
    sex: at('sex'),
    trustedIdentifiers: policy.trustedIdentifierSchemes.map((s) => at(`identifier ${s}`)).filter((i) => i >= 0),
    personal: comparisonNames.map((name, i) => (name.startsWith('identifier ') || name === 'email' || name === 'phone' ? i : -1)).filter((i) => i >= 0),
  };
  perModel.set(cacheKey, layout);
  return layout;
}

// Level numbers of the comparisons in comparisons.ts that these rules rely on.
const IDENTIFIER_EXACT = 1;
/** exact, day/month transposed, one digit differs: a date that can be the same person's. */
const DOB_COMPATIBLE_MAX_LEVEL = 3;
/** Name levels from "jaro-winkler >= 0.7" on count as different names. */
const NAME_DIFFERENT_MIN_LEVEL = 7;
/** The "else" level of a name: nothing in common. */
const NAME_ELSE = 8;
const SEX_DIFFERENT = 2;

function levelAt(levels: ArrayLike<number>, index: number): number {
  return index < 0 ? NULL_LEVEL : levels[index];
}

/** The decision rules over a level vector; shared by the hot path and by `decide`. */
export function decideFromLevels(probability: number, levels: ArrayLike<number>, layout: DecisionLayout, policy: DecisionPolicy): MatchDecision {
  let trustedAgreement = false;
  for (const i of layout.trustedIdentifiers) if (levels[i] === IDENTIFIER_EXACT) trustedAgreement = true;
  if (trustedAgreement) {
    const dob = levelAt(levels, layout.dateOfBirth);
    const dobCompatible = dob !== NULL_LEVEL && dob <= DOB_COMPATIBLE_MAX_LEVEL;
    const given = levelAt(levels, layout.givenName);
    const family = levelAt(levels, layout.familyName);
    const clearlyDifferent =
      levelAt(levels, layout.sex) === SEX_DIFFERENT &&
      dob !== NULL_LEVEL && !dobCompatible &&
      given >= NAME_DIFFERENT_MIN_LEVEL && family >= NAME_DIFFERENT_MIN_LEVEL;
    if (clearlyDifferent) return { outcome: 'review', reason: 'conflicting-identifier' };
    if (dobCompatible) return { outcome: 'link', reason: 'trusted-identifier' };
  }
  if (probability >= policy.linkProbability) {
    const dob = levelAt(levels, layout.dateOfBirth);
    const givenDisagrees = levelAt(levels, layout.givenName) === NAME_ELSE;
    if (policy.householdGuard && givenDisagrees && !(dob !== NULL_LEVEL && dob <= DOB_COMPATIBLE_MAX_LEVEL)) {
      let personal = false;
      for (const i of layout.personal) if (levels[i] === 1) personal = true;
      if (!personal) return { outcome: 'review', reason: 'household-guard' };
    }
    return { outcome: 'link', reason: 'score' };
  }
  if (probability >= policy.reviewProbability) return { outcome: 'review', reason: 'score' };
  return { outcome: 'new' };
}

/** Decision for an explained score (the resolver uses the level-vector form directly). */
export function decide(score: PairScore, policy: DecisionPolicy = DEFAULT_DECISION_POLICY): MatchDecision {
  const names = score.comparisons.map((c) => c.comparison);
  const layout = decisionLayout(names, policy);
  return decideFromLevels(score.probability, score.comparisons.map((c) => c.levelIndex), layout, policy);
}


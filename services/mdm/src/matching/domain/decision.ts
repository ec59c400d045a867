/**
 * From a scored pair to a decision: link, clerical review, or no match. Identifier schemes
 * marked trustworthy may decide alone, but never against clear evidence that the two records
 * are different people (a shared NHS number on people of different sex, birth date and name is
 * a data error, not a match).
 */
import type { IdentifierScheme } from '@hub/contracts';
import { DOB_DIFFERENT_MIN_LEVEL, NULL_LEVEL } from './comparisons';
import { CompiledModel, compileModel, MatchModel, PairScore } from './model';

export interface DecisionPolicy {
  /** At or above: link. */
  linkProbability: number;
  /** At or above (and below linkProbability): clerical review. */
  reviewProbability: number;
  /** Schemes whose exact agreement links on its own when the dates of birth are compatible. */
  trustedIdentifierSchemes: readonly IdentifierScheme[];
  /**
   * Household guard: records whose given names disagree outright (or, where the model learned
   * that the data keeps given names reliably, are no closer than a sound-alike or missing on one
   * side) link by score only when
   * their dates of birth agree (or nearly) or a personal value (identifier, e-mail, phone) agrees. Family name and address are shared by everyone in
   * a household, so together they can outweigh a different given name; the guard sends such
   * pairs to review instead.
   */
  householdGuard: boolean;
  /**
   * Conflict guard: without an identifier in common, a pair is not linked by score when the
   * evidence says "different people" in a way the model, which treats fields as independent,
   * underweights: dates of birth that differ outright (a parent and child of one name at one
   * address), or given names with nothing in common (twins: one birth date, surname and
   * address). A shared phone or e-mail does not lift it: households share those too. Each
   * rule applies only where the model learned that the data keeps the field reliably. Such
   * pairs go to review instead; the resolver applies the birth-date rule between a record and a
   * whole master as well.
   */
  conflictGuard: boolean;
}

export const DEFAULT_DECISION_POLICY: DecisionPolicy = {
  linkProbability: 0.9,
  reviewProbability: 0.5,
  trustedIdentifierSchemes: ['NHS'],
  householdGuard: true,
  conflictGuard: true,
};

export type MatchDecision =
  | { readonly outcome: 'link'; readonly reason: 'score' | 'trusted-identifier' }
  | { readonly outcome: 'review'; readonly reason: 'score' | 'conflicting-identifier' | 'household-guard' | 'conflict-guard' }
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
  /** Identifier comparisons (a subset of `personal`). */
  identifiers: readonly number[];
  /** The model says these fields rarely disagree for one person (see RELIABLE_DISAGREEMENT_WEIGHT). */
  dateOfBirthReliable: boolean;
  givenNameReliable: boolean;
  middleNameReliable: boolean;
}

/**
 * A field whose disagreement weighs this much or less (log2 m/u) is one the data keeps
 * reliably: fewer than 1 in 64 of its true pairs disagree on it. Only then do the guards treat
 * a disagreement as "different people"; in data full of typos (FEBRL, fake_1000) the model's
 * own weights are left to judge.
 */
export const RELIABLE_DISAGREEMENT_WEIGHT = -6;

const layoutCache = new WeakMap<CompiledModel, Map<string, DecisionLayout>>();

export function decisionLayout(model: CompiledModel | MatchModel, policy: DecisionPolicy): DecisionLayout {
  const compiled = 'specs' in model ? model : compileModel(model);
  const cacheKey = policy.trustedIdentifierSchemes.join(',');
  let perModel = layoutCache.get(compiled);
  if (!perModel) layoutCache.set(compiled, (perModel = new Map()));
  const cached = perModel.get(cacheKey);
  if (cached) return cached;
  const comparisonNames = compiled.names;
  const at = (name: string) => comparisonNames.indexOf(name);
  const reliable = (index: number) => {
    const weights = index < 0 ? undefined : compiled.weights[index];
    return weights !== undefined && weights[weights.length - 1] <= RELIABLE_DISAGREEMENT_WEIGHT;
  };
  const layout: DecisionLayout = {
    givenName: at('given name'),
    familyName: at('family name'),
    dateOfBirth: at('date of birth'),
    sex: at('sex'),
    trustedIdentifiers: policy.trustedIdentifierSchemes.map((s) => at(`identifier ${s}`)).filter((i) => i >= 0),
    personal: comparisonNames.map((name, i) => (name.startsWith('identifier ') || name === 'email' || name === 'phone' ? i : -1)).filter((i) => i >= 0),
    identifiers: comparisonNames.map((name, i) => (name.startsWith('identifier ') ? i : -1)).filter((i) => i >= 0),
    dateOfBirthReliable: reliable(at('date of birth')),
    givenNameReliable: reliable(at('given name')),
    middleNameReliable: reliable(at('middle name')),
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
/** Name levels from "phonetic" on: no closer than a sound-alike. */
const NAME_WEAK_MIN_LEVEL = 6;
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
    const dobCompatible = dob !== NULL_LEVEL && dob <= DOB_COMPATIBLE_MAX_LEVEL;
    const given = levelAt(levels, layout.givenName);
    let personal = false;
    for (const i of layout.personal) if (levels[i] === IDENTIFIER_EXACT) personal = true;
    // Family name and address are the household's: with given names that disagree they must not
    // decide alone. Where the data keeps given names reliably, a sound-alike or a missing given
    // name is no better (in data full of typos it is usually a typo).
    const givenWeak = given === NAME_ELSE || (layout.givenNameReliable && (given === NULL_LEVEL || given >= NAME_WEAK_MIN_LEVEL));
    if (policy.householdGuard && givenWeak && !dobCompatible && !personal) return { outcome: 'review', reason: 'household-guard' };
    if (policy.conflictGuard) {
      let identifierAgrees = false;
      for (const i of layout.identifiers) if (levels[i] === IDENTIFIER_EXACT) identifierAgrees = true;
      const dobDiffers = layout.dateOfBirthReliable && dob >= DOB_DIFFERENT_MIN_LEVEL;
      // An identifier shared by two people whose birth dates and given names both disagree is
      // the error (a mother's NHS number on her baby's maternity record), not the evidence.
      if (dobDiffers && given === NAME_ELSE) return { outcome: 'review', reason: 'conflicting-identifier' };
      // A parent and child of one name at one address.
      if (!identifierAgrees && dobDiffers) return { outcome: 'review', reason: 'conflict-guard' };
      // Twins: one birth date, surname and address, and given names with nothing in common.
      if (!identifierAgrees && layout.givenNameReliable && given === NAME_ELSE) return { outcome: 'review', reason: 'conflict-guard' };
    }
    return { outcome: 'link', reason: 'score' };
  }
  if (probability >= policy.reviewProbability) return { outcome: 'review', reason: 'score' };
  return { outcome: 'new' };
}

/** Decision for an explained score (the resolver uses the level-vector form directly). */
export function decide(score: PairScore, model: MatchModel, policy: DecisionPolicy = DEFAULT_DECISION_POLICY): MatchDecision {
  if (score.modelVersion !== model.version) throw new Error(`a score of model ${score.modelVersion} decided with model ${model.version}`);
  const layout = decisionLayout(model, policy);
  return decideFromLevels(score.probability, score.comparisons.map((c) => c.levelIndex), layout, policy);
}


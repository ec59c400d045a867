/**
 * How much each source is believed, per field group. Source systems are feed names (the
 * ingest stamps the feed name unless a feed says otherwise), so the default policy lists the
 * feeds of the catalogue and the short names partners use for the same systems.
 */

/**
 * Field groups that `fieldTrust` may override: `name` (also orders `otherNames`),
 * `dateOfBirth`, `sex`, `addresses`, `emails`, `phones`, and `identifiers.<SCHEME>`
 * (`identifiers.NHS`, `identifiers.UPN`, `identifiers.NI`, `identifiers.PNC`, ...).
 */
export type SurvivorshipFieldGroup = 'name' | 'dateOfBirth' | 'sex' | 'addresses' | 'emails' | 'phones' | `identifiers.${string}`;

export interface SurvivorshipPolicy {
  /** Trust per source system (feed name); higher wins. */
  trust: Record<string, number>;
  /** Trust of a source system the policy does not list. */
  defaultTrust: number;
  /** Per field group overrides of `trust`, e.g. `{ 'identifiers.UPN': { 'school-census': 10 } }`. */
  fieldTrust?: Record<string, Record<string, number>>;
}

/** The trust a policy gives a source system for one field group. */
export function sourceTrust(policy: SurvivorshipPolicy, sourceSystem: string, group: SurvivorshipFieldGroup): number {
  const perField = policy.fieldTrust?.[group];
  // Own properties only: a feed called "constructor" must not read Object.prototype.
  if (perField && Object.hasOwn(perField, sourceSystem)) return perField[sourceSystem];
  if (Object.hasOwn(policy.trust, sourceSystem)) return policy.trust[sourceSystem];
  return policy.defaultTrust;
}

/** Every name in `names` gets the same trust. */
function each(names: readonly string[], trust: number): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, trust]));
}

const SCHOOLS = ['school-census', 'school', 'school-attendance', 'school-exclusions', 'pru-roll'];
const GP_AND_HEALTH = ['gp-registrations', 'health', 'health-visiting', 'camhs-referrals', 'adult-mental-health'];
const POLICE = ['police', 'police-offences', 'police-asb', 'police-domestic-incidents'];
const HOUSEHOLD_REGISTERS = ['electoral-register', 'council-tax', 'housing', 'housing-tenancies'];

export const DEFAULT_SURVIVORSHIP_POLICY: SurvivorshipPolicy = {
  trust: {
    // Demographics checked against a national register: GP registrations are traced against
    // the NHS Personal Demographics Service, DWP against its Customer Information System.
    ...each(['gp-registrations', 'health', 'dwp-benefits', 'dwp'], 8),
    // Schools see a birth certificate at admission and re-confirm the details every census.
    ...each(['school-census', 'school', 'maternity'], 7),
    // Registers the person or household keeps up to date themselves.
    ...each([...HOUSEHOLD_REGISTERS, 'housing-benefit-claims', 'health-visiting'], 6),
    // Case systems record what the person or a referrer said at the time, rarely re-checked.
    ...each(['social-care', 'csc-referrals', 'csc-child-in-need', 'csc-child-protection', 'early-help'], 5),
    // Names and dates given to the police may be aliases or guesses; kept, but not preferred.
    ...each([...POLICE, 'probation-orders', 'youth-offending'], 3),
    // Identified by initials, date of birth, sex and postcode only, by design.
    'substance-misuse': 1,
  },
  defaultTrust: 4,
  fieldTrust: {
    // The school issues the UPN; every other holder copied it from a school.
    'identifiers.UPN': each(SCHOOLS, 10),
    // GP practices and NHS services hold the traced NHS number. Maternity is left at its
    // general trust because a baby's record sometimes carries the mother's number.
    'identifiers.NHS': each(GP_AND_HEALTH, 10),
    // DWP issues National Insurance numbers; benefit claims verify theirs with DWP.
    'identifiers.NI': { 'dwp-benefits': 10, dwp: 10, 'housing-benefit-claims': 8 },
    // The police own the Police National Computer; probation and youth justice copy it.
    'identifiers.PNC': { ...each(POLICE, 10), 'probation-orders': 8, 'youth-offending': 8 },
    // Where someone lives is what these registers are about, and people keep them current
    // (to vote, to pay, to keep a tenancy). Police addresses are where someone was found.
    addresses: { ...each(HOUSEHOLD_REGISTERS, 9), 'housing-benefit-claims': 8, ...each(POLICE, 2) },
  },
};

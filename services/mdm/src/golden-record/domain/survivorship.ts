/**
 * The golden record of a master: per field, the value its source records most believably
 * agree on, with the source record and rule behind it. It depends only on the set of member
 * records (never on the order they arrived in), so replaying a master's history rebuilds the
 * same record. Cost is linear in members × fields, plus sorting the distinct values of the
 * list fields, because it runs on every change to a master.
 */
import type { Address, FieldProvenanceInput, GoldenRecordInput, Identifier, PersonDetails, PersonName, Sex } from '@hub/contracts';
import { IdentifierSchemeValues } from '@hub/contracts';
import { Candidate, CandidatePool, SurvivorshipRule } from './candidate-ranking';
import { DEFAULT_SURVIVORSHIP_POLICY, SurvivorshipFieldGroup, SurvivorshipPolicy, sourceTrust } from './survivorship-policy';

export { DEFAULT_SURVIVORSHIP_POLICY, sourceTrust } from './survivorship-policy';
export type { SurvivorshipFieldGroup, SurvivorshipPolicy } from './survivorship-policy';
export type { SurvivorshipRule } from './candidate-ranking';

export interface MemberRecord {
  /** `sourceSystem` is the feed name, e.g. 'school-census'. */
  source: { sourceSystem: string; sourceRecordId: string };
  person: PersonDetails;
  /** Epoch ms when, as the source says, it happened: the measure of recency. */
  occurredAt: number;
}

/** Enough to reach someone or tell aliases apart; more is noise from stale records. */
export const GOLDEN_LIST_LIMIT = 5;

/**
 * The golden record of the given members. With no members (every source record withdrawn)
 * it is an empty person with no provenance: nothing is known, which is not an error.
 */
export function goldenRecord(members: readonly MemberRecord[], policy: SurvivorshipPolicy = DEFAULT_SURVIVORSHIP_POLICY): GoldenRecordInput {
  const pools = collectCandidates(members, policy);
  const provenance: FieldProvenanceInput[] = [];
  const chosen = <T>(field: string, pool: CandidatePool<T>): Candidate<T> | null => {
    const best = pool.best();
    if (!best) return null;
    provenance.push(provenanceOf(field, best.winner, best.rule));
    return best.winner;
  };
  const listed = <T>(field: string, candidates: readonly Candidate<T>[]): T[] =>
    candidates.map((c, i) => {
      provenance.push(provenanceOf(`${field}[${i}]`, c, 'union'));
      return c.value;
    });

  // Provenance follows the order of the fields below, so equal records serialise equally.
  const name = chosen('name', pools.name);
  const dateOfBirth = chosen('dateOfBirth', pools.dateOfBirth);
  const sex = chosen('sex', pools.sex);
  const address = chosen('addresses[0]', currentAddresses(pools.addresses));
  const identifiers: Identifier[] = [];
  for (const [field, pool] of [...pools.identifiers].sort(([a], [b]) => identifierOrder(a, b))) {
    const identifier = chosen(field, pool);
    if (identifier) identifiers.push(identifier.value);
  }
  const emails = listed('emails', pools.emails.union(GOLDEN_LIST_LIMIT));
  const phones = listed('phones', pools.phones.union(GOLDEN_LIST_LIMIT));
  const otherNames = listed('otherNames', pools.otherNames.union(GOLDEN_LIST_LIMIT, name?.sameAs));

  return {
    person: {
      name: name?.value ?? { givenNames: [], familyName: null, fullName: null, title: null },
      otherNames,
      dateOfBirth: dateOfBirth?.value ?? null,
      sex: sex?.value ?? null,
      addresses: address ? [address.value] : [],
      emails,
      phones,
      identifiers,
    },
    provenance,
  };
}

interface Pools {
  name: CandidatePool<PersonName>;
  otherNames: CandidatePool<PersonName>;
  dateOfBirth: CandidatePool<string>;
  sex: CandidatePool<Sex>;
  addresses: CandidatePool<Address>;
  emails: CandidatePool<string>;
  phones: CandidatePool<string>;
  /** By field path, e.g. `identifiers.NHS` or `identifiers.LOCAL[febrl.soc_sec_id]`. */
  identifiers: Map<string, CandidatePool<Identifier>>;
}

/** One pass over the members: every non-empty value becomes a candidate for its field. */
function collectCandidates(members: readonly MemberRecord[], policy: SurvivorshipPolicy): Pools {
  const pools: Pools = {
    name: new CandidatePool(),
    otherNames: new CandidatePool(),
    dateOfBirth: new CandidatePool(),
    sex: new CandidatePool(),
    addresses: new CandidatePool(),
    emails: new CandidatePool(),
    phones: new CandidatePool(),
    identifiers: new Map(),
  };
  for (const member of members) {
    const { person } = member;
    const source = { sourceSystem: member.source.sourceSystem, sourceRecordId: member.source.sourceRecordId };
    const sourceKey = `${source.sourceSystem}\u0000${source.sourceRecordId}`;
    const candidate = <T>(group: SurvivorshipFieldGroup, value: T, sameAs: string, exact: string, time = member.occurredAt): Candidate<T> => ({
      value,
      sameAs,
      exact,
      source,
      sourceKey,
      record: member,
      trust: sourceTrust(policy, source.sourceSystem, group),
      time,
    });

    const name = cleanName(person.name);
    if (name) {
      const c = candidate('name', name, nameKey(name), JSON.stringify(name));
      pools.name.add(c);
      pools.otherNames.add(c);
    }
    for (const other of person.otherNames) {
      const alias = cleanName(other);
      if (alias) pools.otherNames.add(candidate('name', alias, nameKey(alias), JSON.stringify(alias)));
    }
    const dateOfBirth = text(person.dateOfBirth);
    if (dateOfBirth) pools.dateOfBirth.add(candidate('dateOfBirth', dateOfBirth, dateOfBirth, dateOfBirth));
    // NOT_KNOWN is the code for "not recorded": it must not outvote a source that recorded one.
    if (person.sex && person.sex !== 'NOT_KNOWN') pools.sex.add(candidate('sex', person.sex, person.sex, person.sex));
    for (const raw of person.addresses) {
      const address = cleanAddress(raw);
      if (!address) continue;
      const exact = JSON.stringify(address);
      pools.addresses.add(candidate('addresses', address, addressKey(address), exact, addressTime(address, member.occurredAt)));
    }
    for (const raw of person.emails) {
      const email = text(raw);
      if (email) pools.emails.add(candidate('emails', email, email.toLowerCase(), email));
    }
    for (const raw of person.phones) {
      const phone = text(raw);
      if (phone) pools.phones.add(candidate('phones', phone, phone.replace(/[\s\-().]/g, ''), phone));
    }
    for (const raw of person.identifiers) {
      const value = text(raw.value);
      if (!value) continue;
      const issuer = text(raw.issuer);
      const identifier: Identifier = { scheme: raw.scheme, value, issuer };
      // LOCAL and OTHER numbers from different issuers are different identifiers, not rivals.
      const field = raw.scheme === 'LOCAL' || raw.scheme === 'OTHER' ? `identifiers.${raw.scheme}[${issuer ?? ''}]` : `identifiers.${raw.scheme}`;
      let pool = pools.identifiers.get(field);
      if (!pool) pools.identifiers.set(field, (pool = new CandidatePool()));
      pool.add(candidate(`identifiers.${raw.scheme}`, identifier, value.replace(/\s/g, '').toUpperCase(), value));
    }
  }
  return pools;
}

/**
 * An address someone has left (validTo given) is not current. Only when no source knows a
 * current one does a former address stand in, as the best lead there is.
 */
function currentAddresses(pool: CandidatePool<Address>): CandidatePool<Address> {
  if (!pool.candidates.some((c) => c.value.validTo !== null)) return pool;
  const open = pool.candidates.filter((c) => c.value.validTo === null);
  if (open.length === 0) return pool;
  const current = new CandidatePool<Address>();
  // Frequency is recounted over current addresses only.
  for (const c of open) current.add(c);
  return current;
}

/** When the source says the person moved in; otherwise when the source says it happened. */
function addressTime(address: Address, occurredAt: number): number {
  const movedIn = address.validFrom ? Date.parse(address.validFrom) : NaN;
  return Number.isFinite(movedIn) ? movedIn : occurredAt;
}

function cleanName(name: PersonName | null | undefined): PersonName | null {
  if (!name) return null;
  const givenNames = name.givenNames.map(text).filter((n): n is string => n !== null);
  const familyName = text(name.familyName);
  const fullName = text(name.fullName);
  if (givenNames.length === 0 && !familyName && !fullName) return null;
  return { givenNames, familyName, fullName, title: text(name.title) };
}

/** Who the name says, ignoring title, case and spacing, so that "Mr JOHN SMITH" agrees with "John Smith". */
function nameKey(name: PersonName): string {
  const parts = name.givenNames.length > 0 || name.familyName ? [...name.givenNames, '|', name.familyName ?? ''] : [name.fullName ?? ''];
  return parts.join(' ').toLowerCase().replace(/\s+/g, ' ').trim();
}

function cleanAddress(address: Address): Address | null {
  const lines = address.lines.map(text).filter((l): l is string => l !== null);
  const postcode = text(address.postcode);
  const uprn = text(address.uprn);
  const locality = text(address.locality);
  if (lines.length === 0 && !postcode && !uprn && !locality) return null;
  return {
    lines,
    locality,
    postcode,
    uprn,
    countryCode: text(address.countryCode),
    usage: text(address.usage),
    validFrom: text(address.validFrom),
    validTo: text(address.validTo),
  };
}

/** The same property however it is written: by UPRN when there is one. */
function addressKey(address: Address): string {
  if (address.uprn) return `uprn:${address.uprn}`;
  return [...address.lines, address.locality ?? '', address.postcode ?? ''].join('|').toLowerCase().replace(/\s+/g, ' ');
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function provenanceOf(field: string, c: Candidate<unknown>, rule: SurvivorshipRule): FieldProvenanceInput {
  return { field, source: { sourceSystem: c.source.sourceSystem, sourceRecordId: c.source.sourceRecordId }, rule };
}

/** Schemes in the order the contract lists them, then by field path (issuer). */
function identifierOrder(a: string, b: string): number {
  const rank = (field: string) => IdentifierSchemeValues.findIndex((s) => field === `identifiers.${s}` || field.startsWith(`identifiers.${s}[`));
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

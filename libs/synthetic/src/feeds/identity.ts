import { Day, dayFromYmd, formatDay, ymdFromDay, DateFormat } from '../core/dates';
import { corruptCheck, IdKind } from '../core/identifiers';
import { Rng } from '../core/rng';
import { Tables } from '../core/tables';
import { NoiseProfile } from '../noise/profile';
import { dropLetter, doubleLetter, keyboardTypo, ocrConfusion, phonetic, titleCase } from '../noise/corruptions';
import { Address, Person } from '../population/model';
import { Population } from '../population/simulate';
import { ColumnDescriptor, ColumnRole, PersonStyle } from './model';

export interface Identity {
  forename: string | null;
  middle: string | null;
  surname: string | null;
  sex: 'M' | 'F' | null;
  dob: Day | null;
  address: Address | null;
  postcode: string | null;
  nhs: string | null;
  ni: string | null;
  upn: string | null;
  pnc: string | null;
  uprn: string | null;
}

export const PLACEHOLDER_DOB = dayFromYmd(1900, 1, 1);
export const PLACEHOLDER_POSTCODE = 'ZZ99 3VZ';

export function surnameOn(p: Person, day: Day): string {
  let s = p.surnames[0].surname;
  for (const spell of p.surnames) if (spell.from <= day) s = spell.surname;
  return s;
}

function residenceIndex(p: Person, day: Day): number {
  let i = 0;
  for (let k = 0; k < p.residences.length; k++) if (p.residences[k].from <= day) i = k;
  return i;
}

export function addressOn(pop: Population, p: Person, day: Day): Address | null {
  if (p.residences.length === 0) return null;
  return pop.pool.addresses[p.residences[residenceIndex(p, day)].addressId];
}

export function cleanIdentity(pop: Population, p: Person, day: Day): Identity {
  const address = addressOn(pop, p, day);
  return {
    forename: p.forename,
    middle: p.middleName,
    surname: surnameOn(p, day),
    sex: p.sex,
    dob: p.dob,
    address,
    postcode: address?.postcode ?? null,
    nhs: p.nhs,
    ni: p.ni,
    upn: p.upn,
    pnc: p.pnc,
    uprn: address?.uprn ?? null,
  };
}

/** The record-level errors applied, named as in the profile (for the truth files). */
export type NoiseType =
  | 'typo' | 'dropLetter' | 'doubleLetter' | 'phonetic' | 'ocr' | 'nickname' | 'nameSwap' | 'dobTranspose' | 'dobError'
  | `missing:${string}` | 'staleAddress' | 'marriageSurname' | 'transliteration' | 'placeholder' | 'badCheckDigit' | 'wrongPersonId';

export interface NoiseContext {
  pop: Population;
  tables: Tables;
  profile: NoiseProfile;
  quality: number;
  style: PersonStyle;
}

/**
 * Applies the profile's errors to one person's identity in one record. The random choices come
 * from a stream seeded by the record key, so a record shows the same errors in every delivery.
 */
export function noisyIdentity(ctx: NoiseContext, seed: string, p: Person, day: Day, relativeId: number, applied: NoiseType[]): Identity {
  const id = cleanIdentity(ctx.pop, p, day);
  const r = new Rng(seed);
  const rates = ctx.profile.rates;
  const q = ctx.quality;
  const hit = (rate: number) => r.next() < rate * q;
  const style = ctx.style;

  if (style.address !== 'none' || style.ids.includes('uprn')) {
    const i = residenceIndex(p, day);
    if (i > 0 && hit(rates.staleAddress)) {
      id.address = ctx.pop.pool.addresses[p.residences[i - 1].addressId];
      id.postcode = id.address.postcode;
      id.uprn = id.address.uprn;
      applied.push('staleAddress');
    }
  }
  if (p.surnames.length > 1 && id.surname !== p.surnames[0].surname && hit(rates.marriageSurname)) {
    id.surname = p.surnames[0].surname;
    applied.push('marriageSurname');
  }
  if (id.forename) {
    const nicks = ctx.tables.nicknamesOf(id.forename);
    if (nicks.length > 0 && hit(rates.nickname)) {
      id.forename = titleCase(r.pick(nicks));
      applied.push('nickname');
    }
    const translit = ctx.tables.transliterationOf.get(id.forename.toLowerCase());
    if (translit && hit(rates.transliteration)) {
      id.forename = r.pick(translit);
      applied.push('transliteration');
    }
  }
  if (id.surname) {
    const translit = ctx.tables.transliterationOf.get(id.surname.toLowerCase());
    if (translit && hit(rates.transliteration)) {
      id.surname = r.pick(translit);
      applied.push('transliteration');
    }
  }
  for (const field of ['forename', 'surname'] as const) {
    let v = id[field];
    if (!v) continue;
    const before = v;
    if (hit(rates.typo)) { v = keyboardTypo(v, r); if (v !== before) applied.push('typo'); }
    let prev = v;
    if (hit(rates.dropLetter)) { v = dropLetter(v, r); if (v !== prev) applied.push('dropLetter'); }
    prev = v;
    if (hit(rates.doubleLetter)) { v = doubleLetter(v, r); if (v !== prev) applied.push('doubleLetter'); }
    prev = v;
    if (hit(rates.phonetic)) { v = phonetic(v, r); if (v !== prev) applied.push('phonetic'); }
    prev = v;
    if (hit(rates.ocr)) { v = ocrConfusion(v, r); if (v !== prev) applied.push('ocr'); }
    id[field] = v;
  }
  if (hit(rates.nameSwap)) {
    const f = id.forename;
    id.forename = id.surname;
    id.surname = f;
    applied.push('nameSwap');
  }
  if (style.dob && id.dob !== null) {
    const [y, m, d] = ymdFromDay(id.dob);
    if (d <= 12 && d !== m && hit(rates.dobTranspose)) {
      id.dob = dayFromYmd(y, d, m);
      applied.push('dobTranspose');
    } else if (hit(rates.dobError)) {
      id.dob = dayFromYmd(y, m, d <= 2 ? d + 1 + r.int(2) : d - 1 - r.int(2));
      applied.push('dobError');
    }
  }
  // Identifiers: a relative's recorded in error, or a wrong check character.
  for (const kind of ['nhs', 'ni', 'upn', 'pnc'] as const) {
    if (!style.ids.includes(kind) || id[kind] === null) continue;
    if (relativeId >= 0) {
      const other = ctx.pop.persons[relativeId][kind];
      if (other && hit(rates.wrongPersonId)) { id[kind] = other; applied.push('wrongPersonId'); continue; }
    }
    if (hit(rates.badCheckDigit)) {
      id[kind] = corruptCheck(kind as IdKind, id[kind] as string, r.int(1000));
      applied.push('badCheckDigit');
    }
  }
  const missing = rates.missing;
  const drop = (field: keyof typeof missing, present: boolean): boolean => {
    if (!present || !hit(missing[field])) return false;
    applied.push(`missing:${field}`);
    return true;
  };
  if (drop('forename', id.forename !== null)) id.forename = null;
  if (drop('surname', id.surname !== null)) id.surname = null;
  if (style.dob && drop('dob', id.dob !== null)) id.dob = null;
  if (style.sex && drop('sex', id.sex !== null)) id.sex = null;
  if (style.address !== 'none' && style.address !== 'postcode' && drop('address', id.address !== null)) id.address = null;
  if (style.address !== 'none' && drop('postcode', id.postcode !== null)) id.postcode = null;
  for (const kind of ['nhs', 'ni', 'upn', 'pnc', 'uprn'] as const) {
    if (style.ids.includes(kind) && drop(kind, id[kind] !== null)) id[kind] = null;
  }
  if (hit(rates.placeholder)) {
    const choice = r.int(3);
    if (choice === 0 && id.forename !== null) id.forename = p.dob > day - 60 ? 'BABY' : 'UNKNOWN';
    else if (choice === 1 && style.dob && id.dob !== null) id.dob = PLACEHOLDER_DOB;
    else if (style.address !== 'none') id.postcode = PLACEHOLDER_POSTCODE;
    applied.push('placeholder');
  }
  return id;
}

const DEFAULT_NAMES: Partial<Record<ColumnRole, string>> = {
  forename: 'forename', 'middle-names': 'middle_names', surname: 'surname', 'full-name': 'name', initials: 'initials',
  sex: 'sex', dob: 'date_of_birth', 'nhs-number': 'nhs_number', 'ni-number': 'ni_number', upn: 'upn', 'pnc-id': 'pnc_id',
  uprn: 'uprn', 'address-line-1': 'address_line_1', 'address-line-2': 'address_line_2', 'address-town': 'town',
  'address-oneline': 'address', postcode: 'postcode',
};

const ID_ROLE: Record<IdKind | 'uprn', ColumnRole> = { nhs: 'nhs-number', ni: 'ni-number', upn: 'upn', pnc: 'pnc-id', uprn: 'uprn' };

/** The identity columns a style produces, in order. */
export function identityColumns(style: PersonStyle, dateFormat: DateFormat): ColumnDescriptor[] {
  const n = (role: ColumnRole) => style.names_?.[role] ?? DEFAULT_NAMES[role] ?? role;
  const cols: ColumnDescriptor[] = [];
  switch (style.names) {
    case 'split': cols.push({ name: n('forename'), role: 'forename', type: 'name' }, { name: n('middle-names'), role: 'middle-names', type: 'name' }, { name: n('surname'), role: 'surname', type: 'name' }); break;
    case 'split-no-middle': cols.push({ name: n('forename'), role: 'forename', type: 'name' }, { name: n('surname'), role: 'surname', type: 'name' }); break;
    case 'full': cols.push({ name: n('full-name'), role: 'full-name', type: 'name', format: 'Forename [Middle] Surname' }); break;
    case 'full-surname-first': cols.push({ name: n('full-name'), role: 'full-name', type: 'name', format: 'SURNAME, Forename [Middle]' }); break;
    case 'initials': cols.push({ name: n('initials'), role: 'initials', type: 'name', format: 'first letter of forename then surname' }); break;
  }
  if (style.sex) cols.push({ name: n('sex'), role: 'sex', type: 'code', codes: { [style.sex[0]]: 'male', [style.sex[1]]: 'female', [style.sex[2]]: 'not known' } });
  if (style.dob) cols.push({ name: n('dob'), role: 'dob', type: 'date', format: dateFormat });
  for (const k of style.ids) cols.push({ name: n(ID_ROLE[k]), role: ID_ROLE[k], type: 'identifier' });
  switch (style.address) {
    case 'parts': cols.push({ name: n('address-line-1'), role: 'address-line-1', type: 'address' }, { name: n('address-line-2'), role: 'address-line-2', type: 'address' }, { name: n('address-town'), role: 'address-town', type: 'address' }, { name: n('postcode'), role: 'postcode', type: 'address' }); break;
    case 'oneline': cols.push({ name: n('address-oneline'), role: 'address-oneline', type: 'address', format: 'comma-separated lines, postcode last' }); break;
    case 'postcode': cols.push({ name: n('postcode'), role: 'postcode', type: 'address' }); break;
    case 'none': break;
  }
  return cols;
}

function line1(a: Address): string {
  return a.flat !== null ? `Flat ${a.flat}, ${a.building}` : `${a.houseNumber} ${a.street}`;
}

function line2(a: Address): string {
  return a.flat !== null ? `${a.houseNumber} ${a.street}` : a.locality;
}

/** Renders an identity as values for the columns of identityColumns(), same order. */
export function renderIdentity(id: Identity, style: PersonStyle, dateFormat: DateFormat): string[] {
  const up = (s: string | null) => (s === null ? '' : style.upperCase ? s.toUpperCase() : s);
  const out: string[] = [];
  switch (style.names) {
    case 'split': out.push(up(id.forename), up(id.middle), up(id.surname)); break;
    case 'split-no-middle': out.push(up(id.forename), up(id.surname)); break;
    case 'full': out.push(up([id.forename, id.middle, id.surname].filter((x) => x).join(' '))); break;
    case 'full-surname-first': out.push(id.surname || id.forename ? `${(id.surname ?? '').toUpperCase()}, ${up([id.forename, id.middle].filter((x) => x).join(' '))}` : ''); break;
    case 'initials': out.push(`${(id.forename ?? '?')[0]}${(id.surname ?? '?')[0]}`.toUpperCase()); break;
  }
  if (style.sex) out.push(id.sex === 'M' ? style.sex[0] : id.sex === 'F' ? style.sex[1] : style.sex[2]);
  if (style.dob) out.push(id.dob === null ? '' : formatDay(id.dob, dateFormat));
  for (const k of style.ids) out.push(id[k] ?? '');
  const a = id.address;
  switch (style.address) {
    case 'parts': out.push(a ? up(line1(a)) : '', a ? up(line2(a)) : '', a ? up('Liverpool') : '', id.postcode ?? ''); break;
    case 'oneline': out.push([a ? line1(a) : '', a ? line2(a) : '', a ? 'Liverpool' : '', id.postcode ?? ''].filter((x) => x).join(', ')); break;
    case 'postcode': out.push(id.postcode ?? ''); break;
    case 'none': break;
  }
  return out;
}

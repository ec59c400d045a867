import type { AddressInput, IdentifierInput, PersonNameInput } from '@hub/contracts';
import { REASON } from '../../validation/domain';
import { ADDRESS_FIELDS, INVOLVEMENT_DETAIL_KIND, INVOLVEMENT_FIELDS, REQUIRED_DETAIL_FIELDS } from './canonical-fields';
import type { InvolvementFieldName } from './canonical-fields';
import type { Evaluate } from './expressions';
import type { AddressTemplate, ExprObject, InvolvementTemplate, PersonTemplate, RelationshipTemplate } from './feed-config';
import { FieldCompiler, Reader } from './field-readers';
import type { CanonicalRecord } from './mapped-row';
import type { RowContext } from './row-context';

/** Builds one canonical record for the current row (and nested person), or null when it yields none. */
export type RecordBuilder = (ctx: RowContext, id: string) => CanonicalRecord | null;

type Scope = 'row' | 'nested';

/** Address fields compiled once, shared by person templates (person.addresses) and address templates. */
function compileAddress(fc: FieldCompiler, fields: Partial<Record<keyof typeof ADDRESS_FIELDS, ExprObject>>, scope: Scope, prefix: string): Reader<AddressInput> | null {
  const present = Object.keys(ADDRESS_FIELDS).some((k) => fields[k as keyof typeof ADDRESS_FIELDS] !== undefined);
  if (!present) return null;
  const text = (k: keyof typeof ADDRESS_FIELDS, name: string) => (fields[k] === undefined ? null : fc.text(fields[k] as ExprObject, scope, `${prefix}.${name}`));
  const line1 = text('address.line1', 'lines');
  const line2 = text('address.line2', 'lines');
  const line3 = text('address.line3', 'lines');
  const locality = text('address.locality', 'locality');
  const countryCode = text('address.countryCode', 'countryCode');
  const usage = text('address.usage', 'usage');
  const postcode = fields['address.postcode'] === undefined ? null : fc.postcode(fields['address.postcode'], scope, `${prefix}.postcode`);
  const uprn = fields['address.uprn'] === undefined ? null : fc.uprn(fields['address.uprn'], scope, `${prefix}.uprn`);
  const validFrom = fields['address.validFrom'] === undefined ? null : fc.date(fields['address.validFrom'], scope, `${prefix}.validFrom`, 'none');
  const validTo = fields['address.validTo'] === undefined ? null : fc.date(fields['address.validTo'], scope, `${prefix}.validTo`, 'none');
  const oneLine = fields['address.oneLine'] === undefined ? null : fc.oneLineAddress(fields['address.oneLine'], scope, `${prefix}.lines`);
  const oneLinePostcode = fc.postcodeValue(`${prefix}.postcode`);
  return (ctx) => {
    const lines: string[] = [];
    let l: string | null;
    if (line1 !== null && (l = line1(ctx)) !== null) lines.push(l);
    if (line2 !== null && (l = line2(ctx)) !== null) lines.push(l);
    if (line3 !== null && (l = line3(ctx)) !== null) lines.push(l);
    let town = locality === null ? null : locality(ctx);
    let code = postcode === null ? null : postcode(ctx);
    if (oneLine !== null) {
      const parsed = oneLine(ctx);
      if (parsed !== null) {
        for (const line of parsed.lines) lines.push(line);
        if (town === null) town = parsed.locality;
        if (code === null && parsed.postcode !== null) code = oneLinePostcode(ctx, parsed.postcode);
      }
    }
    const ref = uprn === null ? null : uprn(ctx);
    if (lines.length === 0 && town === null && code === null && ref === null) return null;
    return {
      lines,
      locality: town,
      postcode: code,
      uprn: ref,
      countryCode: countryCode === null ? null : countryCode(ctx),
      usage: usage === null ? null : usage(ctx),
      validFrom: validFrom === null ? null : validFrom(ctx),
      validTo: validTo === null ? null : validTo(ctx),
    };
  };
}

export function compilePerson(fc: FieldCompiler, t: PersonTemplate): RecordBuilder {
  const f = t.fields;
  const scope = t.scope;
  const given = f['name.given'] === undefined ? null : fc.namePart(f['name.given'], scope, 'person.name.givenNames');
  const middle = f['name.middle'] === undefined ? null : fc.namePart(f['name.middle'], scope, 'person.name.givenNames');
  const family = f['name.family'] === undefined ? null : fc.namePart(f['name.family'], scope, 'person.name.familyName');
  const title = f['name.title'] === undefined ? null : fc.text(f['name.title'], scope, 'person.name.title');
  const full = f['name.full'] === undefined ? null : fc.fullName(f['name.full'], scope, 'person.name', t.fullNameOrder);
  const initials = f['name.initials'] === undefined ? null : fc.initials(f['name.initials'], scope, 'person.name');
  const dob = f.dateOfBirth === undefined ? null : fc.date(f.dateOfBirth, scope, 'person.dateOfBirth', 'birth');
  const dod = f.dateOfDeath === undefined ? null : fc.date(f.dateOfDeath, scope, 'person.dateOfDeath', 'event');
  const sex = f.sex === undefined ? null : fc.sex(f.sex, scope, 'person.sex');
  const address = compileAddress(fc, f, scope, 'person.addresses');
  const identifiers = (f.identifiers ?? []).map((e) => fc.identifier(e, scope));
  const emails = (f.emails ?? []).map((e) => fc.email(e, scope, 'person.emails'));
  const phones = (f.phones ?? []).map((e) => fc.phone(e, scope, 'person.phones'));
  const identityAction = fc.rulesFor().identity.action;
  const recordType = t.recordType;

  return (ctx, id) => {
    const flags = (ctx.recordFlags = []);
    const givenNames: string[] = [];
    let familyName: string | null = null;
    let personTitle: string | null = null;
    let fullName: string | null = null;
    if (given !== null) {
      const g = given(ctx);
      if (g !== null) {
        if (g.name !== null) for (const w of g.name.split(' ')) givenNames.push(w);
        personTitle = g.title;
      }
    }
    if (middle !== null) {
      const m = middle(ctx);
      if (m !== null && m.name !== null) for (const w of m.name.split(' ')) givenNames.push(w);
    }
    if (family !== null) {
      const n = family(ctx);
      if (n !== null) {
        familyName = n.name;
        if (personTitle === null) personTitle = n.title;
      }
    }
    if (full !== null) {
      fullName = full.received(ctx);
      const split = full.split(ctx);
      if (split !== null) {
        if (givenNames.length === 0) for (const w of split.givenNames) givenNames.push(w);
        if (familyName === null) familyName = split.familyName;
        if (personTitle === null) personTitle = split.title;
      }
    }
    if (initials !== null) {
      const letters = initials(ctx);
      if (letters !== null && letters.length > 0) {
        if (givenNames.length === 0 && letters.length > 1) for (const x of letters.slice(0, -1)) givenNames.push(x);
        if (familyName === null) familyName = letters[letters.length - 1];
        if (fullName === null) fullName = letters.join('');
      }
    }
    if (title !== null) personTitle = title(ctx) ?? personTitle;
    const name: PersonNameInput = { givenNames, familyName, fullName, title: personTitle };
    const ids: IdentifierInput[] = [];
    for (const read of identifiers) {
      const v = read(ctx);
      if (v !== null) ids.push(v);
    }
    const dateOfBirth = dob === null ? null : dob(ctx);
    if (givenNames.length === 0 && familyName === null && dateOfBirth === null && ids.length === 0) {
      ctx.fail('person', REASON.NO_IDENTITY, 'the person has no usable name, date of birth or identifier', identityAction);
    }
    const addr = address === null ? null : address(ctx);
    const emailList: string[] = [];
    for (const read of emails) {
      const v = read(ctx);
      if (v !== null) emailList.push(v);
    }
    const phoneList: string[] = [];
    for (const read of phones) {
      const v = read(ctx);
      if (v !== null) phoneList.push(v);
    }
    return {
      type: 'person',
      recordType,
      sourceRecordId: id,
      person: {
        name,
        otherNames: [],
        dateOfBirth,
        sex: sex === null ? null : sex(ctx),
        addresses: addr === null ? [] : [addr],
        emails: emailList,
        phones: phoneList,
        identifiers: ids,
      },
      dateOfDeath: dod === null ? null : dod(ctx),
      qualityFlags: flags,
    };
  };
}

export function compileInvolvement(fc: FieldCompiler, t: InvolvementTemplate, personRef: Evaluate, sourceSystem: string): RecordBuilder {
  const scope = t.scope;
  const f = t.fields;
  const field = (name: InvolvementFieldName): Reader<string | number | boolean> | null => {
    const e = f[name];
    if (e === undefined) return null;
    const path = `involvement.${name}`;
    switch (INVOLVEMENT_FIELDS[name]) {
      case 'int': return fc.integer(e, scope, path);
      case 'bool': return fc.bool(e, scope, path);
      case 'eventDate': return fc.date(e, scope, path, 'event');
      case 'date': return fc.date(e, scope, path, 'none');
      default: return fc.text(e, scope, path);
    }
  };
  const sourceCode = field('sourceCode');
  const role = field('role');
  const startedOn = field('startedOn');
  const endedOn = field('endedOn');
  const status = field('status');
  const requiredAction = fc.rulesFor().required.action;
  const groups = (Object.keys(INVOLVEMENT_DETAIL_KIND) as Array<keyof typeof INVOLVEMENT_DETAIL_KIND>)
    .map((group) => {
      const names = (Object.keys(INVOLVEMENT_FIELDS) as InvolvementFieldName[]).filter((n) => n.startsWith(`${group}.`) && f[n] !== undefined);
      if (names.length === 0 && INVOLVEMENT_DETAIL_KIND[group] !== t.kind) return null;
      if (names.length === 0) return null;
      const readers = names.map((n) => ({ key: n.slice(group.length + 1), read: field(n) as Reader<string | number | boolean> }));
      const required = REQUIRED_DETAIL_FIELDS[group].map((n) => n.slice(group.length + 1));
      return { group, readers, required };
    })
    .filter((g): g is NonNullable<typeof g> => g !== null);
  const attributes = Object.entries(f.attributes ?? {}).map(([key, e]) => ({ key, read: fc.text(e, scope, `involvement.attributes.${key}`) }));
  const kind = t.kind;
  const recordType = t.recordType;

  return (ctx, id) => {
    const flags = (ctx.recordFlags = []);
    const personId = personRef(ctx);
    if (personId === null) return null;
    const record: Record<string, unknown> = {
      type: 'involvement',
      recordType,
      sourceRecordId: id,
      kind,
      person: { sourceSystem, sourceRecordId: personId },
      sourceCode: sourceCode === null ? null : sourceCode(ctx),
      role: role === null ? null : role(ctx),
      startedOn: startedOn === null ? null : startedOn(ctx),
      endedOn: endedOn === null ? null : endedOn(ctx),
      status: status === null ? null : status(ctx),
      qualityFlags: flags,
    };
    for (const g of groups) {
      const detail: Record<string, unknown> = {};
      let any = false;
      for (const r of g.readers) {
        const v = r.read(ctx);
        detail[r.key] = v;
        if (v !== null) any = true;
      }
      let complete = any;
      for (const key of g.required) {
        if (detail[key] === null || detail[key] === undefined) {
          if (any) ctx.fail(`involvement.${g.group}.${key}`, REASON.MISSING_REQUIRED_FIELD, `${g.group} needs ${key}`, requiredAction);
          complete = false;
        }
      }
      record[g.group] = complete ? detail : null;
    }
    const attrs: Record<string, string> = {};
    for (const a of attributes) {
      const v = a.read(ctx);
      if (v !== null) attrs[a.key] = v;
    }
    record.attributes = attrs;
    return record as unknown as CanonicalRecord;
  };
}

export function compileRelationship(fc: FieldCompiler, t: RelationshipTemplate, from: Evaluate, to: Evaluate, sourceSystem: string): RecordBuilder {
  const scope = t.scope;
  const f = t.fields;
  const kind = fc.relationshipKind(f.kind as ExprObject, scope, 'relationship.kind');
  const parental = f.parentalResponsibility === undefined ? null : fc.bool(f.parentalResponsibility, scope, 'relationship.parentalResponsibility');
  const startedOn = f.startedOn === undefined ? null : fc.date(f.startedOn, scope, 'relationship.startedOn', 'event');
  const endedOn = f.endedOn === undefined ? null : fc.date(f.endedOn, scope, 'relationship.endedOn', 'none');
  const attributes = Object.entries(f.attributes ?? {}).map(([key, e]) => ({ key, read: fc.text(e, scope, `relationship.attributes.${key}`) }));
  const recordType = t.recordType;
  return (ctx, id) => {
    const fromId = from(ctx);
    const toId = to(ctx);
    if (fromId === null || toId === null || fromId === toId) return null;
    const flags = (ctx.recordFlags = []);
    const attrs: Record<string, string> = {};
    for (const a of attributes) {
      const v = a.read(ctx);
      if (v !== null) attrs[a.key] = v;
    }
    return {
      type: 'relationship',
      recordType,
      sourceRecordId: id,
      from: { sourceSystem, sourceRecordId: fromId },
      to: { sourceSystem, sourceRecordId: toId },
      kind: kind(ctx) ?? 'OTHER',
      parentalResponsibility: parental === null ? null : parental(ctx),
      startedOn: startedOn === null ? null : startedOn(ctx),
      endedOn: endedOn === null ? null : endedOn(ctx),
      attributes: attrs,
      qualityFlags: flags,
    };
  };
}

export function compileAddressRecord(fc: FieldCompiler, t: AddressTemplate, personRef: Evaluate | null): RecordBuilder {
  const address = compileAddress(fc, t.fields, t.scope, 'address');
  const recordType = t.recordType;
  return (ctx, id) => {
    const flags = (ctx.recordFlags = []);
    const a = address === null ? null : address(ctx);
    if (a === null) return null;
    return { type: 'address', recordType, sourceRecordId: id, personSourceRecordId: personRef === null ? null : personRef(ctx), address: a, qualityFlags: flags };
  };
}

/** A reference expression (person, from, to, id) compiled to raw text: ids are compared, not cleansed. */
export function compileRef(fc: FieldCompiler, e: ExprObject, scope: Scope, field: string): Evaluate {
  const read = fc.text(e, scope, field);
  return (ctx) => read(ctx);
}


import { Day, dayFromYmd, ymdFromDay } from '../core/dates';
import { OUT_OF_WORK_BENEFITS } from '../criteria/rules';
import { World } from '../world';
import { col, codeCol, endCol, eventRecords, eventsOfKind, householdOn, keys, pounds, relativeOf, startCol, subject, worldIndex } from './helpers';
import { BaseRecord, FeedSpec, PersonStyle } from './model';

/*
 * The partner feeds. Each is modelled on a real kind of source: its owner, cadence, layout,
 * encoding, date format, code lists and which identifiers it carries. Feeds share the people
 * and the events of one world, so the same person shows up, differently, in many of them.
 */

const ACTION = { name: 'record_action', insert: 'I', update: 'U', delete: 'D' };
const SEX_MF: [string, string, string] = ['M', 'F', 'U'];
const SEX_WORDS: [string, string, string] = ['Male', 'Female', 'Unknown'];
const SEX_NHS: [string, string, string] = ['1', '2', '0'];

const HO_OFFENCES: Record<string, string> = {
  '105A': 'Assault without injury', '8N': 'Assault with injury', '46': 'Shoplifting', '28E': 'Burglary residential',
  '58A': 'Criminal damage to a dwelling', '92A': 'Possession of controlled drugs', '8L': 'Harassment', '30C': 'Burglary business',
  '49': 'Other theft', '37': 'Aggravated vehicle taking', '9A': 'Public fear, alarm or distress', '66': 'Other criminal offences',
};
const ASB_TYPES = { 'ASB-NUISANCE': 'Nuisance', 'ASB-PERSONAL': 'Personal', 'ASB-ENVIRONMENTAL': 'Environmental' };
const BENEFITS: Record<string, string> = {
  'UC-SEARCH': 'Universal Credit, searching for work', 'UC-LCW': 'Universal Credit, limited capability for work', ESA: 'Employment and Support Allowance',
  JSA: 'Jobseeker\'s Allowance', IS: 'Income Support', CA: 'Carer\'s Allowance', PC: 'Pension Credit', HB: 'Housing Benefit', CTR: 'Council Tax Reduction',
  'UC-WORK': 'Universal Credit, in work', DLA: 'Disability Living Allowance', PIP: 'Personal Independence Payment',
};
const CIN_NEED_CODES = { N1: 'Abuse or neglect', N2: 'Child\'s disability', N3: 'Parental illness/disability', N4: 'Family in acute stress', N5: 'Family dysfunction', N6: 'Socially unacceptable behaviour', N7: 'Low income', N8: 'Absent parenting', N9: 'Cases other than child in need' };
const CP_CATS = { NEGLECT: 'Neglect', EMOTIONAL: 'Emotional abuse', PHYSICAL: 'Physical abuse', SEXUAL: 'Sexual abuse', MULTIPLE: 'Multiple' };

const POLICE_PERSON: PersonStyle = { names: 'full-surname-first', address: 'oneline', sex: SEX_MF, dob: true, ids: ['pnc'], names_: { 'full-name': 'Name', dob: 'DOB', 'pnc-id': 'PNCID', 'address-oneline': 'Home Address', sex: 'Gender' } };
const SCHOOL_PERSON: PersonStyle = { names: 'split', address: 'parts', sex: SEX_MF, dob: true, ids: ['upn'], names_: { forename: 'Forename', 'middle-names': 'MiddleNames', surname: 'Surname', dob: 'DOB', upn: 'UPN', sex: 'Gender', 'address-line-1': 'AddressLine1', 'address-line-2': 'AddressLine2', 'address-town': 'Town', postcode: 'PostCode' } };
const CSC_PERSON: PersonStyle = { names: 'split-no-middle', address: 'postcode', sex: SEX_WORDS, dob: true, ids: ['nhs', 'upn'] };
const HEALTH_PERSON: PersonStyle = { names: 'split', address: 'parts', sex: SEX_NHS, dob: true, ids: ['nhs'], names_: { forename: 'GIVEN_NAME', 'middle-names': 'OTHER_GIVEN_NAMES', surname: 'FAMILY_NAME', dob: 'PERSON_BIRTH_DATE', 'nhs-number': 'NHS_NUMBER', sex: 'PERSON_GENDER_CODE', 'address-line-1': 'ADDRESS_LINE_1', 'address-line-2': 'ADDRESS_LINE_2', 'address-town': 'ADDRESS_LINE_3', postcode: 'POSTCODE' } };

function base(partial: Omit<FeedSpec, 'keyColumn'> & { keyColumn?: string }): FeedSpec {
  return { keyColumn: 'record_id', ...partial } as FeedSpec;
}

/** Pupils on roll: Reception (year group 0) to Year 11. */
function schoolSpan(dob: Day): [Day, Day] {
  const [by, bm] = ymdFromDay(dob);
  const birthAcademic = bm >= 9 ? by : by - 1;
  return [dayFromYmd(birthAcademic + 5, 9, 1), dayFromYmd(birthAcademic + 17, 7, 31)];
}

function yearGroup(dob: Day, day: Day): number {
  const [by, bm] = ymdFromDay(dob);
  const [y, m] = ymdFromDay(day);
  return (m >= 9 ? y : y - 1) - (bm >= 9 ? by : by - 1) - 5;
}

function schoolOf(w: World, personId: number) {
  const p = w.population.persons[personId];
  return p.school >= 0 ? w.population.schools[p.school] : null;
}

function pupils(w: World): number[] {
  return w.population.persons.filter((p) => p.upn !== null).map((p) => p.id);
}

/** Nested records: the subject plus everyone living with them that day. */
function householdSlots(w: World, personId: number, day: Day) {
  return householdOn(w, personId, day).map((m, i) => ({ personId: m.personId, role: i === 0 ? 'subject' : m.role, relativeId: relativeOf(w, m.personId) }));
}

export function feedCatalogue(): FeedSpec[] {
  return [
    // ---- police -------------------------------------------------------------------------
    base({
      name: 'police-offences', partner: 'Merseyside Police', description: 'Offenders linked to recorded crimes, with Home Office offence codes and outcomes.',
      kind: 'delta', cadence: 'quarterly', format: 'csv', encoding: 'windows-1252', dateFormat: 'dmy', quality: 1.3,
      person: POLICE_PERSON, keyColumn: 'CrimeRef', actionColumn: ACTION,
      columns: [startCol('OffenceDate'), codeCol('HOCode', HO_OFFENCES, (c) => c.split('/')[0]),
        codeCol('Outcome', { CHG: 'Charged/summonsed', CAU: 'Caution', NFA: 'No further action' }, (c) => (c.endsWith('/P') ? 'CHG' : 'NFA'))],
      records: (w) => eventRecords(w, 'offence', 'MP/'),
    }),
    base({
      name: 'police-asb', partner: 'Merseyside Police', description: 'Anti-social behaviour incidents with a named person involved.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'utf-8', dateFormat: 'iso-datetime', quality: 1.4,
      person: { names: 'split-no-middle', address: 'postcode', sex: SEX_WORDS, dob: true, ids: [] }, keyColumn: 'incident_id', actionColumn: ACTION,
      columns: [startCol('incident_datetime'), codeCol('asb_category', ASB_TYPES)],
      records: (w) => eventRecords(w, 'asb', 'ASB'),
    }),
    base({
      name: 'police-domestic-incidents', partner: 'Merseyside Police', description: 'Domestic abuse incidents (call-outs) with victim, perpetrator and children present.',
      kind: 'delta', cadence: 'monthly', format: 'jsonl', encoding: 'utf-8', dateFormat: 'iso', quality: 1.2,
      person: { names: 'split-no-middle', address: 'oneline', sex: SEX_MF, dob: true, ids: ['pnc'] }, keyColumn: 'incident_ref', actionColumn: { name: 'status', insert: 'NEW', update: 'AMENDED', delete: 'CANCELLED' },
      personsField: 'persons',
      columns: [startCol('incident_date'), codeCol('incident_type', { 'DA-VIOLENCE': 'Violence', 'DA-VERBAL': 'Verbal', 'DA-CONTROLLING': 'Coercive control' }), col('dash_risk', 'code', 'code', (r) => ['STANDARD', 'MEDIUM', 'HIGH'][Number(r.data.value) - 1], { STANDARD: 'DASH standard', MEDIUM: 'DASH medium', HIGH: 'DASH high' })],
      records: (w) => {
        const next = keys('DI');
        return eventsOfKind(w, 'domestic').map((e) => ({
          key: next(), start: e.start, end: null, asOf: e.start,
          slots: [subject(w, e.personId, 'victim'), ...e.related.filter((x) => x.personId >= 0).map((x) => ({ personId: x.personId, role: x.role, relativeId: relativeOf(w, x.personId) }))],
          data: { start: e.start, code: e.code, value: e.value },
        }));
      },
    }),
    base({
      name: 'probation-orders', partner: 'National Probation Service / CRC', description: 'Community orders, suspended sentences and licences after release from prison.',
      kind: 'delta', cadence: 'quarterly', format: 'csv', encoding: 'utf-8', dateFormat: 'ymd', quality: 0.9,
      person: { names: 'split', upperCase: true, address: 'parts', sex: SEX_MF, dob: true, ids: ['pnc', 'ni'] }, keyColumn: 'CRN', actionColumn: ACTION,
      columns: [startCol('ORDER_START'), endCol('ORDER_END'), codeCol('ORDER_TYPE', { CO: 'Community order', SSO: 'Suspended sentence order', LICENCE: 'Licence after custody' })],
      records: (w) => eventRecords(w, 'probation', 'X'),
    }),
    base({
      name: 'youth-offending', partner: 'Youth Offending Service', description: 'Youth justice disposals for children aged 10-17.',
      kind: 'delta', cadence: 'quarterly', format: 'csv', encoding: 'windows-1252', dateFormat: 'dmy', quality: 1.0,
      person: { names: 'split-no-middle', address: 'oneline', sex: SEX_MF, dob: true, ids: ['pnc', 'upn'] }, keyColumn: 'YOT_ID', actionColumn: ACTION,
      columns: [startCol('Disposal Date'), codeCol('Disposal', { YRO: 'Youth rehabilitation order', RO: 'Referral order', YC: 'Youth caution', YCC: 'Youth conditional caution' })],
      records: (w) => eventRecords(w, 'yot', 'YOT'),
    }),
    base({
      name: 'missing-episodes', partner: 'Merseyside Police / Children\'s Services', description: 'Children reported missing from home or care.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy-dash', quality: 1.2,
      person: { names: 'full', address: 'oneline', sex: SEX_MF, dob: true, ids: [] }, keyColumn: 'episode_ref', actionColumn: ACTION,
      columns: [startCol('reported_missing'), col('episodes_in_period', 'count', 'number', (r) => r.data.value)],
      records: (w) => eventRecords(w, 'missing', 'MIS'),
    }),
    base({
      name: 'council-asb-cases', partner: 'Liverpool City Council ASB Unit', description: 'ASB cases opened by the council, often the same incidents the police logged.',
      kind: 'delta', cadence: 'quarterly', format: 'csv', encoding: 'windows-1252', dateFormat: 'dmy', quality: 1.3,
      person: { names: 'full', address: 'parts', sex: null, dob: true, ids: ['uprn'] }, keyColumn: 'Case No', actionColumn: ACTION,
      columns: [startCol('Date Opened'), codeCol('Category', ASB_TYPES)],
      records: (w) => eventRecords(w, 'asb', 'LCC-ASB-', (e) => e.id % 5 < 2),
    }),
    // ---- education ------------------------------------------------------------------------
    base({
      name: 'school-census', partner: 'Schools (termly census)', description: 'Pupils on roll at each termly census, with UPN, school and year group.',
      kind: 'snapshot', cadence: 'termly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 0.5, tracksMoves: true,
      person: SCHOOL_PERSON, keyColumn: 'PupilRef',
      columns: [col('SchoolURN', 'school-urn', 'code', (r) => r.data.urn), col('NCYearActual', 'code', 'code', (r, cut) => {
        const g = yearGroup(Number(r.data.dob), cut);
        return g === 0 ? 'R' : String(g);
      })],
      records: (w) => {
        const next = keys('PUP', 8);
        return pupils(w).map((id) => {
          const p = w.population.persons[id];
          const [s, e] = schoolSpan(p.dob);
          const end = p.dod !== null && p.dod < e ? p.dod : e;
          return { key: next(), slots: [subject(w, id)], start: s, end, asOf: w.ref, data: { urn: schoolOf(w, id)?.urn ?? '', dob: p.dob } };
        });
      },
    }),
    base({
      name: 'school-attendance', partner: 'Schools (termly attendance return)', description: 'Sessions possible and missed per pupil per term.',
      kind: 'delta', cadence: 'termly', format: 'csv', encoding: 'windows-1252', dateFormat: 'ymd', quality: 0.6,
      person: { names: 'split-no-middle', address: 'none', sex: null, dob: true, ids: ['upn'], names_: { forename: 'Forename', surname: 'Surname', dob: 'DOB', upn: 'UPN' } }, keyColumn: 'AttendanceRef', actionColumn: ACTION,
      columns: [col('TermName', 'code', 'code', (r) => r.data.term), startCol('TermEnd'), col('SessionsPossible', 'count', 'number', (r) => r.data.possible),
        col('SessionsMissed', 'count', 'number', (r) => r.data.missed), col('UnauthorisedAbsence', 'count', 'number', (r) => r.data.unauth), col('SchoolURN', 'school-urn', 'code', (r) => r.data.urn)],
      records: (w) => {
        const next = keys('ATT', 8);
        return w.history.attendance.map((a) => {
          const t = w.history.terms[a.term];
          return { key: next(), slots: [subject(w, a.personId)], start: t.end, end: null, asOf: t.end, data: { start: t.end, term: t.name, possible: a.possible, missed: a.missed, unauth: a.unauthorised, urn: schoolOf(w, a.personId)?.urn ?? '' } };
        });
      },
    }),
    base({
      name: 'school-exclusions', partner: 'Schools / Inclusion Team', description: 'Fixed-term and permanent exclusions (dates as Excel serial numbers, from a spreadsheet).',
      kind: 'delta', cadence: 'termly', format: 'csv', encoding: 'utf-8', dateFormat: 'excel', quality: 1.0,
      person: { names: 'split', address: 'none', sex: SEX_MF, dob: true, ids: ['upn'] }, keyColumn: 'exclusion_id', actionColumn: ACTION,
      columns: [startCol('start_date'), codeCol('category', { FIXED: 'Fixed period', PERM: 'Permanent' }), col('sessions', 'count', 'number', (r) => (r.data.code === 'PERM' ? null : Number(r.data.value) * 2))],
      records: (w) => eventRecords(w, 'exclusion', 'EXC'),
    }),
    base({
      name: 'pru-roll', partner: 'Pupil Referral Unit / Alternative Provision', description: 'Pupils on the PRU or AP roll.',
      kind: 'snapshot', cadence: 'termly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 1.1,
      person: SCHOOL_PERSON, keyColumn: 'PupilRef',
      columns: [startCol('AdmissionDate'), endCol('LeavingDate'), codeCol('Provision', { PRU: 'Pupil referral unit', 'AP-BEHAVIOUR': 'Alternative provision (behaviour)' })],
      records: (w) => eventRecords(w, 'pru', 'PRU'),
    }),
    base({
      name: 'children-missing-education', partner: 'Education Welfare Service', description: 'Children missing education referrals.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 1.4,
      person: { names: 'full', address: 'oneline', sex: SEX_MF, dob: true, ids: ['upn'] }, keyColumn: 'cme_ref', actionColumn: ACTION,
      columns: [startCol('date_referred')],
      records: (w) => eventRecords(w, 'cme', 'CME'),
    }),
    base({
      name: 'free-school-meals', partner: 'Revenues & Benefits (FSM eligibility)', description: 'Pupils eligible for free school meals.',
      kind: 'snapshot', cadence: 'termly', format: 'csv', encoding: 'windows-1252', dateFormat: 'dmy', quality: 0.8, tracksMoves: true,
      person: { ...SCHOOL_PERSON, names_: { ...SCHOOL_PERSON.names_ } }, keyColumn: 'FSMRef',
      columns: [startCol('EligibilityStart'), endCol('EligibilityEnd')],
      records: (w) => {
        const next = keys('FSM');
        const out: BaseRecord[] = [];
        const ix = worldIndex(w);
        for (const e of w.history.events) {
          if (e.kind !== 'benefit' || e.code === 'PC' || e.code === 'DLA' || e.code === 'PIP' || e.code === 'CA') continue;
          const own = ix.byPerson[e.personId].find((m) => m.to === null && (m.role === 'head' || m.role === 'partner'));
          if (!own) continue;
          for (const m of ix.byHousehold[own.householdId]) {
            const kid = w.population.persons[m.personId];
            if (m.role !== 'child' || kid.upn === null || m.to !== null) continue;
            const [s, end] = schoolSpan(kid.dob);
            const start = Math.max(e.start, s, m.from);
            const stop = Math.min(e.end ?? end, end);
            if (start >= stop) continue;
            out.push({ key: next(), slots: [subject(w, kid.id)], start, end: stop > w.ref ? null : stop, asOf: w.ref, data: { start } });
          }
        }
        return out;
      },
    }),
    base({
      name: 'early-years-funding', partner: 'Early Years Team', description: 'Two-year-olds eligible for funded early education, and whether the place was taken up.',
      kind: 'snapshot', cadence: 'termly', format: 'csv', encoding: 'utf-8', dateFormat: 'iso', quality: 0.9,
      person: { names: 'split-no-middle', address: 'parts', sex: SEX_MF, dob: true, ids: [] }, keyColumn: 'child_ref',
      columns: [startCol('eligible_from'), codeCol('taken_up', { Y: 'Place taken up', N: 'Not taken up' })],
      records: (w) => {
        const next = keys('EY');
        const notTaken = new Set(eventsOfKind(w, 'ey-not-taken').map((e) => e.personId));
        const ix = worldIndex(w);
        const out: BaseRecord[] = [];
        for (const p of w.population.persons) {
          const two = p.dob + 730;
          if (two > w.ref || two < w.start) continue;
          const m = ix.byPerson[p.id].find((x) => x.to === null);
          const hh = m ? w.population.households[m.householdId] : null;
          const decile = hh ? w.tables.lsoas[w.population.pool.addresses[hh.addresses[hh.addresses.length - 1].addressId].lsoa].imdDecile : 10;
          // About 40% of two-year-olds qualify nationally; far more in the most deprived areas.
          const eligible = notTaken.has(p.id) || p.id % 10 < (decile <= 2 ? 6 : decile <= 5 ? 3 : 1);
          if (!eligible) continue;
          out.push({ key: next(), slots: [subject(w, p.id)], start: two, end: Math.min(two + 365, p.dod ?? Infinity) <= w.ref ? two + 365 : null, asOf: two, data: { start: two, code: notTaken.has(p.id) ? 'N' : 'Y' } });
        }
        return out;
      },
    }),
    base({
      name: 'neet-tracking', partner: 'Careers / CCIS', description: 'Activity of 16-17 year olds: education, employment, training or NEET (CCIS codes).',
      kind: 'snapshot', cadence: 'monthly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 0.8,
      person: { names: 'split', address: 'parts', sex: SEX_MF, dob: true, ids: ['upn'] }, keyColumn: 'ccis_id',
      columns: [col('activity_code', 'code', 'code', (r) => r.data.code, { '210': 'School sixth form', '220': 'Further education', '410': 'Employment with training', '540': 'NEET seeking', '610': 'NEET not available (carer)', '620': 'NEET not available (illness)' }), startCol('activity_from')],
      records: (w) => {
        const next = keys('CC');
        const neet = new Map(eventsOfKind(w, 'neet').map((e) => [e.personId, e]));
        const out: BaseRecord[] = [];
        for (const p of w.population.persons) {
          const sixteen = p.dob + 5844;
          const eighteen = p.dob + 6574;
          if (eighteen < w.ref - 400 || sixteen > w.ref) continue;
          const e = neet.get(p.id);
          out.push({ key: next(), slots: [subject(w, p.id)], start: Math.max(sixteen, w.start), end: eighteen <= w.ref ? eighteen : p.dod, asOf: w.ref, data: { start: e ? e.start : Math.max(sixteen, w.start), code: e ? e.code : ['210', '220', '410'][p.id % 3] } });
        }
        return out;
      },
    }),
    // ---- children's social care -----------------------------------------------------------
    base({
      name: 'csc-referrals', partner: 'Children\'s Social Care (case management system)', description: 'Referrals with the child and the adults and siblings in the household.',
      kind: 'delta', cadence: 'monthly', format: 'jsonl', encoding: 'utf-8', dateFormat: 'iso', quality: 0.9,
      person: CSC_PERSON, keyColumn: 'referral_id', actionColumn: { name: 'operation', insert: 'create', update: 'update', delete: 'delete' }, personsField: 'people',
      columns: [startCol('referral_date'), codeCol('primary_need', CIN_NEED_CODES)],
      records: (w) => {
        const next = keys('REF');
        return eventsOfKind(w, 'cin').map((e) => ({ key: next(), slots: householdSlots(w, e.personId, e.start), start: e.start, end: null, asOf: e.start, data: { start: e.start, code: e.code } }));
      },
    }),
    base({
      name: 'csc-child-in-need', partner: 'Children\'s Social Care (CIN census extract)', description: 'Child in need episodes.',
      kind: 'snapshot', cadence: 'quarterly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 0.7,
      person: { names: 'split-no-middle', address: 'postcode', sex: SEX_NHS, dob: true, ids: ['upn'] }, keyColumn: 'LAchildID',
      columns: [startCol('CINreferralDate'), endCol('CINclosureDate'), codeCol('PrimaryNeedCode', CIN_NEED_CODES)],
      records: (w) => eventRecords(w, 'cin', 'CIN'),
    }),
    base({
      name: 'csc-child-protection', partner: 'Children\'s Social Care', description: 'Child protection plans and category of abuse.',
      kind: 'snapshot', cadence: 'quarterly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 0.7,
      person: { names: 'split', address: 'postcode', sex: SEX_MF, dob: true, ids: ['nhs'] }, keyColumn: 'cp_plan_id',
      columns: [startCol('plan_start'), endCol('plan_end'), codeCol('category', CP_CATS)],
      records: (w) => eventRecords(w, 'cp', 'CPP'),
    }),
    base({
      name: 'csc-relationships', partner: 'Children\'s Social Care', description: 'Children known to social care with their recorded relationships (mother, father, step-parent, siblings).',
      kind: 'snapshot', cadence: 'quarterly', format: 'jsonl', encoding: 'utf-8', dateFormat: 'iso', quality: 0.9,
      person: CSC_PERSON, keyColumn: 'person_id', personsField: 'relationships',
      columns: [startCol('known_since')],
      records: (w) => {
        const next = keys('LCS');
        const seen = new Set<number>();
        const out: BaseRecord[] = [];
        for (const e of [...eventsOfKind(w, 'cin'), ...eventsOfKind(w, 'early-help')]) {
          if (seen.has(e.personId)) continue;
          seen.add(e.personId);
          const child = w.population.persons[e.personId];
          const slots = householdSlots(w, e.personId, e.start).map((s, i) => {
            if (i === 0) return s;
            const other = w.population.persons[s.personId];
            const rel = s.personId === child.motherId ? 'Mother' : s.personId === child.fatherId ? 'Father'
              : s.role === 'child' ? (other.motherId === child.motherId && other.motherId >= 0 ? 'Sibling' : 'Half/step-sibling')
              : s.role === 'grandparent' ? 'Grandparent' : s.role === 'partner' || s.role === 'head' ? 'Step-parent/partner of parent' : 'Other household member';
            return { ...s, role: rel };
          });
          out.push({ key: next(), slots, start: e.start, end: null, asOf: e.start, data: { start: e.start } });
        }
        return out;
      },
    }),
    base({
      name: 'early-help', partner: 'Early Help (family assessments)', description: 'Early Help Assessments and Team Around the Family, with household members.',
      kind: 'delta', cadence: 'monthly', format: 'jsonl', encoding: 'utf-8', dateFormat: 'dmy', quality: 1.1,
      person: { names: 'split-no-middle', address: 'parts', sex: SEX_WORDS, dob: true, ids: [] }, keyColumn: 'assessment_id', actionColumn: { name: 'operation', insert: 'create', update: 'update', delete: 'delete' }, personsField: 'family_members',
      columns: [startCol('assessment_date'), endCol('closed_date'), codeCol('type', { EHA: 'Early Help Assessment', TAF: 'Team Around the Family' })],
      records: (w) => {
        const next = keys('EH');
        return eventsOfKind(w, 'early-help').map((e) => ({ key: next(), slots: householdSlots(w, e.personId, e.start), start: e.start, end: e.end, asOf: e.start, data: { start: e.start, end: e.end, code: e.code } }));
      },
    }),
    base({
      name: 'cse-screening', partner: 'Children\'s Social Care / Police (CSE team)', description: 'Child sexual exploitation risk screenings.',
      kind: 'delta', cadence: 'quarterly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 1.0,
      person: { names: 'split-no-middle', address: 'postcode', sex: SEX_MF, dob: true, ids: [] }, keyColumn: 'screening_id', actionColumn: ACTION,
      columns: [startCol('screening_date'), codeCol('risk', { 'CSE-MEDIUM': 'Medium', 'CSE-HIGH': 'High' })],
      records: (w) => eventRecords(w, 'cse', 'CSE'),
    }),
    base({
      name: 'young-carers', partner: 'Young Carers Service (voluntary sector)', description: 'Young carers supported.',
      kind: 'snapshot', cadence: 'termly', format: 'csv', encoding: 'windows-1252', dateFormat: 'dmy', quality: 1.5,
      person: { names: 'full', address: 'oneline', sex: null, dob: true, ids: [] }, keyColumn: 'Ref',
      columns: [startCol('Date Registered')],
      records: (w) => eventRecords(w, 'young-carer', 'YC'),
    }),
    base({
      name: 'camhs-referrals', partner: 'CAMHS (children\'s mental health trust)', description: 'Referrals to child and adolescent mental health services.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'utf-8', dateFormat: 'iso', quality: 0.6,
      person: HEALTH_PERSON, keyColumn: 'REFERRAL_ID', actionColumn: ACTION,
      columns: [startCol('REFERRAL_DATE'), endCol('DISCHARGE_DATE'), codeCol('PRESENTING_NEED', { EMOTIONAL: 'Emotional', BEHAVIOUR: 'Behavioural', ANXIETY: 'Anxiety', 'SELF-HARM': 'Self-harm' })],
      records: (w) => eventRecords(w, 'camhs', 'CAM'),
    }),
    // ---- work and money -------------------------------------------------------------------
    base({
      name: 'dwp-benefits', partner: 'DWP (WPLS extract)', description: 'Working-age and pension benefit claims, with NI numbers.',
      kind: 'snapshot', cadence: 'quarterly', format: 'csv', encoding: 'utf-8', dateFormat: 'ymd', quality: 0.4,
      person: { names: 'split', upperCase: true, address: 'postcode', sex: SEX_MF, dob: true, ids: ['ni'], names_: { forename: 'FORENAME', 'middle-names': 'MIDDLE_NAMES', surname: 'SURNAME', dob: 'DOB', 'ni-number': 'NINO', postcode: 'POSTCODE', sex: 'SEX' } }, keyColumn: 'CLAIM_REF',
      columns: [codeCol('BENEFIT', BENEFITS), startCol('CLAIM_START'), endCol('CLAIM_END'), col('OUT_OF_WORK', 'code', 'code', (r) => (OUT_OF_WORK_BENEFITS.has(String(r.data.code)) ? 'Y' : 'N'), { Y: 'Out-of-work benefit', N: 'Other' })],
      records: (w) => eventRecords(w, 'benefit', 'CLM', (e) => e.code !== 'HB' && e.code !== 'CTR'),
    }),
    base({
      name: 'housing-benefit-claims', partner: 'Revenues & Benefits (Housing Benefit / CTR)', description: 'Housing Benefit and Council Tax Reduction claims, with the household on the claim.',
      kind: 'snapshot', cadence: 'quarterly', format: 'jsonl', encoding: 'windows-1252', dateFormat: 'dmy', quality: 0.9,
      person: { names: 'split', address: 'parts', sex: SEX_MF, dob: true, ids: ['ni', 'uprn'] }, keyColumn: 'claim_no', personsField: 'household',
      columns: [startCol('claim_start'), endCol('claim_end'), codeCol('scheme', { HB: 'Housing Benefit', CTR: 'Council Tax Reduction' })],
      records: (w) => {
        const next = keys('HB');
        return w.history.events.filter((e) => e.kind === 'benefit' && e.code !== 'DLA' && e.code !== 'PIP' && e.code !== 'CA' && e.id % 3 !== 0)
          .map((e) => {
            const start = Math.max(e.start, w.start);
            return { key: next(), slots: householdSlots(w, e.personId, start), start, end: e.end, asOf: start, data: { start, end: e.end, code: e.id % 2 === 0 ? 'HB' : 'CTR' } };
          });
      },
    }),
    base({
      name: 'council-tax', partner: 'Revenues (council tax)', description: 'Council tax accounts: liable person per property and period.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'windows-1252', dateFormat: 'dmy', quality: 1.0,
      person: { names: 'full-surname-first', address: 'parts', sex: null, dob: false, ids: ['uprn'], names_: { 'full-name': 'Liable Party', uprn: 'UPRN', 'address-line-1': 'Property Address 1', 'address-line-2': 'Property Address 2', 'address-town': 'Property Address 3', postcode: 'Property Postcode' } }, keyColumn: 'Account Ref', actionColumn: ACTION,
      columns: [startCol('Liability Start'), endCol('Liability End'), col('Band', 'code', 'code', (r) => r.data.band, { A: 'Band A', B: 'Band B', C: 'Band C', D: 'Band D', E: 'Band E' }), col('SPD', 'code', 'code', (r) => r.data.spd, { Y: 'Single person discount', N: 'No discount' })],
      records: (w) => {
        const next = keys('CT', 9, 400000001);
        const out: BaseRecord[] = [];
        const ix = worldIndex(w);
        for (const hh of w.population.households) {
          const members = ix.byHousehold[hh.id];
          hh.addresses.forEach((a, i) => {
            const end = i + 1 < hh.addresses.length ? hh.addresses[i + 1].from : hh.to;
            const liable = members.find((m) => (m.role === 'head' || m.role === 'grandparent') && m.from <= a.from) ?? members[0];
            if (!liable) return;
            const adults = members.filter((m) => m.from <= a.from && (m.to === null || m.to > a.from) && a.from - w.population.persons[m.personId].dob > 6574).length;
            const lsoa = w.population.pool.addresses[a.addressId].lsoa;
            out.push({
              key: next(), slots: [subject(w, liable.personId)], start: a.from, end, asOf: a.from,
              data: { start: a.from, end, band: 'AAABBCCDEE'[Math.min(9, w.tables.lsoas[lsoa].imdDecile - 1 + (a.addressId % 3))], spd: adults <= 1 ? 'Y' : 'N' },
            });
          });
        }
        return out;
      },
    }),
    base({
      name: 'housing-tenancies', partner: 'Social landlords (housing management system)', description: 'Social housing tenancies with lead tenant and UPRN.',
      kind: 'snapshot', cadence: 'quarterly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 0.9,
      person: { names: 'split-no-middle', address: 'parts', sex: SEX_MF, dob: true, ids: ['ni', 'uprn'] }, keyColumn: 'tenancy_ref',
      columns: [startCol('tenancy_start'), endCol('tenancy_end'), codeCol('tenure', { SEC: 'Secure', AST: 'Assured shorthold', INT: 'Introductory' }), col('household_size', 'count', 'number', (r) => r.data.size)],
      records: (w) => {
        const next = keys('TEN');
        const ix = worldIndex(w);
        const out: BaseRecord[] = [];
        for (const [hhId, since] of w.history.socialTenancies) {
          const hh = w.population.households[hhId];
          const members = ix.byHousehold[hhId];
          const lead = members.find((m) => m.role === 'head') ?? members[0];
          if (!lead) continue;
          const a = hh.addresses[hh.addresses.length - 1];
          out.push({ key: next(), slots: [subject(w, lead.personId)], start: Math.max(a.from, w.start - 1), end: hh.to, asOf: a.from, data: { start: Math.min(a.from, since), code: ['SEC', 'AST', 'INT'][hhId % 3], size: members.filter((m) => m.to === null).length || 1 } });
        }
        return out;
      },
    }),
    base({
      name: 'rent-arrears', partner: 'Social landlords (income team)', description: 'Tenancies in rent arrears, with the amount owed (pound sign, Windows-1252).',
      kind: 'snapshot', cadence: 'monthly', format: 'csv', encoding: 'windows-1252', dateFormat: 'dmy', quality: 1.0,
      person: { names: 'full', address: 'oneline', sex: null, dob: false, ids: ['uprn'] }, keyColumn: 'Arrears Case',
      columns: [startCol('Arrears Since'), col('Balance', 'amount', 'text', (r) => pounds(Number(r.data.value))), codeCol('Stage', { NOSP: 'Notice of seeking possession', LETTER: 'Arrears letter', COURT: 'Court action' }, () => 'LETTER')],
      records: (w) => eventRecords(w, 'rent-arrears', 'ARR').map((r) => ({ ...r, end: r.end ?? (Number(r.data.start) + 200 < w.ref ? Number(r.data.start) + 200 : null) })),
    }),
    base({
      name: 'homelessness', partner: 'Housing Options (H-CLIC)', description: 'Homelessness applications with the household.',
      kind: 'delta', cadence: 'quarterly', format: 'jsonl', encoding: 'utf-8', dateFormat: 'iso', quality: 1.2,
      person: { names: 'split-no-middle', address: 'oneline', sex: SEX_MF, dob: true, ids: ['ni'] }, keyColumn: 'case_ref', actionColumn: ACTION, personsField: 'household',
      columns: [startCol('approach_date'), codeCol('duty', { PREVENTION: 'Prevention duty', RELIEF: 'Relief duty', 'MAIN-DUTY': 'Main duty' })],
      records: (w) => {
        const next = keys('HCL');
        return eventsOfKind(w, 'homeless').map((e) => ({ key: next(), slots: householdSlots(w, e.personId, e.start), start: e.start, end: null, asOf: e.start, data: { start: e.start, code: e.code } }));
      },
    }),
    // ---- health ---------------------------------------------------------------------------
    base({
      name: 'adult-mental-health', partner: 'Mental health trust', description: 'Referrals to adult mental health services.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'utf-8', dateFormat: 'iso', quality: 0.6,
      person: HEALTH_PERSON, keyColumn: 'REFERRAL_ID', actionColumn: ACTION,
      columns: [startCol('REFERRAL_DATE'), endCol('DISCHARGE_DATE'), codeCol('PRIMARY_REASON', { DEPRESSION: 'Depression', ANXIETY: 'Anxiety', PSYCHOSIS: 'Psychosis', PERSONALITY: 'Personality disorder', PTSD: 'PTSD', DEMENTIA: 'Dementia' })],
      records: (w) => eventRecords(w, 'mh', 'MH'),
    }),
    base({
      name: 'substance-misuse', partner: 'Drug and alcohol service (NDTMS-style)', description: 'Treatment episodes; like NDTMS, only initials, date of birth, sex and postcode identify the person.',
      kind: 'delta', cadence: 'quarterly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 0.8,
      person: { names: 'initials', address: 'postcode', sex: SEX_NHS, dob: true, ids: [], names_: { initials: 'INITIALS', dob: 'DOB', sex: 'SEX', postcode: 'POSTCODE' } }, keyColumn: 'CLIENT_EPISODE_ID', actionColumn: ACTION,
      columns: [startCol('TRIAGE_DATE'), endCol('DISCHARGE_DATE'), codeCol('SUBSTANCE', { ALCOHOL: 'Alcohol', OPIATE: 'Opiates', CANNABIS: 'Cannabis', CRACK: 'Crack cocaine', 'NON-OPIATE': 'Non-opiate' })],
      records: (w) => eventRecords(w, 'substance', 'SM'),
    }),
    base({
      name: 'maternity', partner: 'Maternity services', description: 'Births: mother and baby, with vulnerability flag. Babies sometimes carry the mother\'s NHS number.',
      kind: 'delta', cadence: 'monthly', format: 'jsonl', encoding: 'utf-8', dateFormat: 'iso', quality: 0.7,
      person: { names: 'split-no-middle', address: 'parts', sex: SEX_NHS, dob: true, ids: ['nhs'] }, keyColumn: 'pregnancy_id', actionColumn: ACTION, personsField: 'persons',
      columns: [startCol('delivery_date'), codeCol('vulnerability', { VULNERABLE: 'Vulnerable (safeguarding / complex social factors)', ROUTINE: 'None recorded', 'ROUTINE-SUPPORT': 'Additional support' })],
      records: (w) => {
        const next = keys('MAT');
        const twinsOf = new Map<number, number[]>();
        for (const p of w.population.persons) if (p.twinOf >= 0) twinsOf.set(p.twinOf, [...(twinsOf.get(p.twinOf) ?? []), p.id]);
        return eventsOfKind(w, 'maternity').map((e) => {
          const baby = e.related[0].personId;
          const twins = twinsOf.get(baby) ?? [];
          const slots = [subject(w, e.personId, 'mother'), ...[baby, ...twins].map((id) => ({ personId: id, role: 'baby', relativeId: e.personId }))];
          return { key: next(), slots, start: e.start, end: null, asOf: e.start, data: { start: e.start, code: e.code } };
        });
      },
    }),
    base({
      name: 'health-visiting', partner: 'Community health (0-5 health visiting)', description: 'Children under five on the health visiting caseload.',
      kind: 'snapshot', cadence: 'quarterly', format: 'csv', encoding: 'utf-8', dateFormat: 'dmy', quality: 0.6, tracksMoves: true,
      person: HEALTH_PERSON, keyColumn: 'CASELOAD_ID',
      columns: [codeCol('SERVICE_LEVEL', { UNIVERSAL: 'Universal', UP: 'Universal plus', UPP: 'Universal partnership plus' })],
      records: (w) => {
        const next = keys('HV');
        const out: BaseRecord[] = [];
        for (const p of w.population.persons) {
          const five = p.dob + 1826;
          if (five < w.ref - 550 || p.dob > w.ref) continue;
          const end = Math.min(five, p.dod ?? Infinity);
          out.push({ key: next(), slots: [subject(w, p.id)], start: Math.max(p.dob + 10, w.start), end: end <= w.ref ? end : null, asOf: w.ref, data: { code: p.id % 11 === 0 ? 'UPP' : p.id % 5 === 0 ? 'UP' : 'UNIVERSAL' } });
        }
        return out;
      },
    }),
    base({
      name: 'gp-registrations', partner: 'NHS (GP registrations extract)', description: 'Registered patients with NHS number. One record per person: no duplicates, used in the linkage case.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'utf-8', dateFormat: 'ymd', quality: 0.4, duplicateRate: 0, tracksMoves: true,
      person: HEALTH_PERSON, keyColumn: 'PATIENT_ID', actionColumn: ACTION,
      columns: [startCol('REGISTRATION_DATE'), endCol('DEREGISTRATION_DATE')],
      records: (w) => {
        const next = keys('GP', 8);
        return w.population.persons.filter((p) => p.id % 25 !== 0).map((p) => {
          const start = p.dob >= w.start ? p.dob + 14 : w.start - 1 - (p.id % 3000);
          return { key: next(), slots: [subject(w, p.id)], start: Math.max(start, p.residences[0]?.from ?? start), end: p.dod, asOf: start, data: { start: Math.max(start, p.residences[0]?.from ?? start) } };
        });
      },
    }),
    // ---- domestic abuse -------------------------------------------------------------------
    base({
      name: 'marac-cases', partner: 'MARAC coordinator', description: 'MARAC cases: one row per person (victim, perpetrator), sharing a case reference.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'windows-1252', dateFormat: 'dmy', quality: 1.3,
      person: { names: 'full-surname-first', address: 'oneline', sex: SEX_MF, dob: true, ids: [] }, keyColumn: 'Row ID', actionColumn: ACTION,
      columns: [col('MARAC Ref', 'group-id', 'code', (r) => r.data.caseRef), col('Role', 'relationship', 'code', (r) => r.data.role, { V: 'Victim', P: 'Perpetrator' }), startCol('MARAC Date'), col('Children in Household', 'count', 'number', (r) => r.data.children)],
      records: (w) => {
        const next = keys('MRW');
        const cases = keys('MARAC/');
        const out: BaseRecord[] = [];
        for (const e of eventsOfKind(w, 'marac')) {
          const ref = cases();
          out.push({ key: next(), slots: [subject(w, e.personId)], start: e.start, end: null, asOf: e.start, data: { start: e.start, caseRef: ref, role: 'V', children: e.value % 4 } });
          for (const x of e.related) if (x.personId >= 0) out.push({ key: next(), slots: [subject(w, x.personId)], start: e.start, end: null, asOf: e.start, data: { start: e.start, caseRef: ref, role: 'P', children: e.value % 4 } });
        }
        return out;
      },
    }),
    base({
      name: 'da-services', partner: 'Domestic abuse services (IDVA, refuge, outreach)', description: 'Support given to victims, with their children.',
      kind: 'delta', cadence: 'quarterly', format: 'jsonl', encoding: 'utf-8', dateFormat: 'iso', quality: 1.4,
      person: { names: 'full', address: 'postcode', sex: null, dob: true, ids: [] }, keyColumn: 'client_ref', actionColumn: ACTION, personsField: 'clients',
      columns: [startCol('support_start'), codeCol('service', { IDVA: 'Independent DV advisor', REFUGE: 'Refuge', OUTREACH: 'Community outreach' })],
      records: (w) => {
        const next = keys('DAS');
        return eventsOfKind(w, 'da-support').map((e) => ({
          key: next(), start: e.start, end: null, asOf: e.start, data: { start: e.start, code: e.code },
          slots: [subject(w, e.personId, 'client'), ...householdOn(w, e.personId, e.start).slice(1).filter((m) => m.role === 'child').map((m) => ({ personId: m.personId, role: 'child', relativeId: e.personId }))],
        }));
      },
    }),
    // ---- registers --------------------------------------------------------------------------
    base({
      name: 'electoral-register', partner: 'Electoral Services', description: 'Register of electors: one record per elector per address (no date of birth, as on the real register). No duplicates: used in the linkage case.',
      kind: 'delta', cadence: 'monthly', format: 'csv', encoding: 'utf-8', dateFormat: 'iso', quality: 0.8, duplicateRate: 0, deleteOnEnd: true,
      person: { names: 'split', address: 'parts', sex: null, dob: false, ids: ['uprn'], names_: { forename: 'ElectorForename', 'middle-names': 'ElectorMiddleName', surname: 'ElectorSurname', uprn: 'PropertyUPRN', 'address-line-1': 'Address1', 'address-line-2': 'Address2', 'address-town': 'Address3', postcode: 'PostCode' } }, keyColumn: 'ElectorNumber', actionColumn: { name: 'ChangeType', insert: 'A', update: 'M', delete: 'D' },
      columns: [startCol('RegisteredFrom')],
      records: (w) => {
        const next = keys('EN', 7);
        const out: BaseRecord[] = [];
        for (const p of w.population.persons) {
          if (p.id % 10 === 3) continue;
          const adult = p.dob + 6575;
          p.residences.forEach((res, i) => {
            const next_ = p.residences[i + 1]?.from ?? p.dod ?? null;
            const from = Math.max(res.from + 30, adult);
            if (next_ !== null && from >= next_) return;
            if (from > w.ref) return;
            out.push({ key: next(), slots: [subject(w, p.id)], start: from, end: next_, asOf: from, data: { start: from } });
          });
        }
        return out;
      },
    }),
  ];
}

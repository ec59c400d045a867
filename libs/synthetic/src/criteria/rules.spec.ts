import { dayFromYmd } from '../core/dates';
import { AttendanceTerm, EventKind, LifeEvent, Term } from '../population/model';
import { CriteriaInput, evaluateFamily } from './rules';

const ref = dayFromYmd(2019, 9, 30);
const terms: Term[] = [
  { index: 3, name: 'autumn 2018', start: dayFromYmd(2018, 9, 4), end: dayFromYmd(2018, 12, 20) },
  { index: 4, name: 'spring 2019', start: dayFromYmd(2019, 1, 7), end: dayFromYmd(2019, 3, 29) },
  { index: 5, name: 'summer 2019', start: dayFromYmd(2019, 4, 15), end: dayFromYmd(2019, 7, 19) },
];
const MUM = 1;
const CHILD = 2;

function ev(kind: EventKind, personId: number, start: number, end: number | null = null, code = 'X', related: LifeEvent['related'] = []): LifeEvent {
  return { id: 0, kind, personId, start, end, code, value: 0, related };
}

function given(events: LifeEvent[], attendance: AttendanceTerm[] = [], childAge = 12): CriteriaInput {
  return {
    ref,
    members: [{ personId: MUM, isChild: false, ageAtRef: 35 }, { personId: CHILD, isChild: true, ageAtRef: childAge }],
    eventsOf: (id) => events.filter((e) => e.personId === id || e.related.some((r) => r.personId === id)),
    attendanceOf: (id) => attendance.filter((a) => a.personId === id),
    lastTerms: terms,
  };
}

describe(evaluateFamily.name, () => {
  it('is not eligible without a dependent child', () => {
    const r = evaluateFamily(given([ev('benefit', MUM, ref - 30, null, 'ESA')], [], 19));
    expect(r.eligible).toBe(false);
    expect(r.met).toEqual([]);
  });

  it('counts a child proven offence in the last 12 months but not an older one or an NFA', () => {
    expect(evaluateFamily(given([ev('offence', CHILD, ref - 100, null, '46/P')])).met).toEqual(['crime']);
    expect(evaluateFamily(given([ev('offence', CHILD, ref - 400, null, '46/P')])).met).toEqual([]);
    expect(evaluateFamily(given([ev('offence', CHILD, ref - 100, null, '46/N')])).met).toEqual([]);
    // An adult's offence alone is not an indicator.
    expect(evaluateFamily(given([ev('offence', MUM, ref - 100, null, '46/P')])).met).toEqual([]);
  });

  it('uses attendance across the last three terms against the 90% threshold', () => {
    const att = (missed: number[]) => terms.map((t, i) => ({ personId: CHILD, term: t.index, possible: 100, missed: missed[i], unauthorised: 0 }));
    expect(evaluateFamily(given([], att([10, 10, 10]))).met).toEqual([]);
    expect(evaluateFamily(given([], att([10, 10, 11]))).met).toEqual(['school']);
    expect(evaluateFamily(given([], att([30, 0, 0]))).met).toEqual([]);
  });

  it('needs three fixed-term exclusions in the last three terms, or one permanent', () => {
    const fixed = (n: number) => Array.from({ length: n }, (_x, i) => ev('exclusion', CHILD, terms[0].start + 10 + i, null, 'FIXED'));
    expect(evaluateFamily(given(fixed(2))).met).toEqual([]);
    expect(evaluateFamily(given(fixed(3))).met).toEqual(['school']);
    expect(evaluateFamily(given([ev('exclusion', CHILD, ref - 20, null, 'PERM')])).met).toEqual(['school']);
  });

  it('counts an open child in need episode and a closed one that ended within the year', () => {
    expect(evaluateFamily(given([ev('cin', CHILD, ref - 900, null, 'N1')])).met).toEqual(['children']);
    expect(evaluateFamily(given([ev('cin', CHILD, ref - 900, ref - 200, 'N1')])).met).toEqual(['children']);
    expect(evaluateFamily(given([ev('cin', CHILD, ref - 900, ref - 400, 'N1')])).met).toEqual([]);
  });

  it('counts out-of-work benefits within six months but not in-work benefits', () => {
    expect(evaluateFamily(given([ev('benefit', MUM, ref - 900, null, 'ESA')])).met).toEqual(['work']);
    expect(evaluateFamily(given([ev('benefit', MUM, ref - 900, ref - 250, 'ESA')])).met).toEqual([]);
    expect(evaluateFamily(given([ev('benefit', MUM, ref - 900, null, 'UC-WORK')])).met).toEqual([]);
  });

  it('counts domestic abuse where a member is the victim or a related party', () => {
    expect(evaluateFamily(given([ev('domestic', 99, ref - 30, null, 'DA-VIOLENCE', [{ personId: MUM, role: 'perpetrator' }])])).met).toEqual(['domestic-abuse']);
  });

  it('reports two or more criteria with their indicators', () => {
    const r = evaluateFamily(given([ev('mh', MUM, ref - 100, null, 'ANXIETY'), ev('early-help', CHILD, ref - 50, null, 'EHA')]));
    expect(r.met).toEqual(['children', 'health']);
    expect(r.indicators).toEqual(['children:early-help', 'health:mh']);
  });
});

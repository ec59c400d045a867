import { checkDateBounds, civilFromDays, daysFromCivil, parseCalendarDate, parseEpochMillis, BIRTH_DATE_PLACEHOLDERS } from './calendar-date';
import { REASON } from './reason-codes';

describe('parseCalendarDate', () => {
  it.each([
    ['1999-05-09', 'iso', '1999-05-09'],
    ['1999-05-09T00:00:00', 'iso', '1999-05-09'],
    ['09/05/1999', 'dmy', '1999-05-09'],
    ['9/5/1999', 'dmy', '1999-05-09'],
    ['09-May-1999', 'dmy-dash', '1999-05-09'],
    ['09-may-1999', 'dmy-dash', '1999-05-09'],
    ['09-05-1999', 'dmy-dash', '1999-05-09'],
    ['19990509', 'ymd', '1999-05-09'],
    ['1999-05-09T23:30:00', 'iso-datetime', '1999-05-09'],
    ['1999-05-09T23:30:00+01:00', 'iso-datetime', '1999-05-09'],
    ['1999-05-09 00:00', 'iso-datetime', '1999-05-09'],
    [' 29/02/2000 ', 'dmy', '2000-02-29'],
  ] as const)('%s as %s is %s', (raw, format, expected) => {
    expect(parseCalendarDate(raw, format)).toEqual({ ok: true, value: expected });
  });

  it('reads Excel serials in the 1900 system, Lotus leap-year bug included', () => {
    expect(parseCalendarDate('1', 'excel')).toEqual({ ok: true, value: '1900-01-01' });
    expect(parseCalendarDate('59', 'excel')).toEqual({ ok: true, value: '1900-02-28' });
    expect(parseCalendarDate('60', 'excel')).toMatchObject({ ok: false, code: REASON.IMPOSSIBLE_DATE });
    expect(parseCalendarDate('61', 'excel')).toEqual({ ok: true, value: '1900-03-01' });
    expect(parseCalendarDate('36526', 'excel')).toEqual({ ok: true, value: '2000-01-01' });
    expect(parseCalendarDate('45658.75', 'excel')).toEqual({ ok: true, value: '2025-01-01' });
    expect(parseCalendarDate('0', 'excel').ok).toBe(false);
  });

  it('rejects impossible dates', () => {
    for (const [raw, format] of [['31/02/2001', 'dmy'], ['29/02/1900', 'dmy'], ['20010230', 'ymd'], ['2001-13-01', 'iso'], ['00/01/2001', 'dmy'], ['31-Apr-2001', 'dmy-dash']] as const) {
      expect(parseCalendarDate(raw, format)).toMatchObject({ ok: false, code: REASON.IMPOSSIBLE_DATE });
    }
  });

  it('rejects values in another format', () => {
    expect(parseCalendarDate('1999-05-09', 'dmy')).toMatchObject({ ok: false, code: REASON.INVALID_DATE });
    expect(parseCalendarDate('09/05/1999', 'iso')).toMatchObject({ ok: false, code: REASON.INVALID_DATE });
    expect(parseCalendarDate('09-Foo-1999', 'dmy-dash')).toMatchObject({ ok: false, code: REASON.INVALID_DATE });
    expect(parseCalendarDate('', 'ymd').ok).toBe(false);
  });

  it('does not depend on the time zone of the machine', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        expect(parseCalendarDate('1999-05-09T00:00:00', 'iso-datetime')).toEqual({ ok: true, value: '1999-05-09' });
        expect(parseEpochMillis('1999-05-09', 'iso')).toBe(Date.UTC(1999, 4, 9));
      }
    } finally {
      process.env.TZ = saved;
    }
  });
});

describe('civil day arithmetic', () => {
  it('round-trips across leap years and centuries', () => {
    for (let d = daysFromCivil(1890, 1, 1); d < daysFromCivil(2100, 12, 31); d += 97) {
      const { year, month, day } = civilFromDays(d);
      expect(daysFromCivil(year, month, day)).toBe(d);
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(civilFromDays(daysFromCivil(2000, 2, 29))).toEqual({ year: 2000, month: 2, day: 29 });
  });
});

describe('parseEpochMillis', () => {
  it('applies a zone offset and reads a bare date-time as UTC', () => {
    expect(parseEpochMillis('2019-02-09T10:30:00', 'iso-datetime')).toBe(Date.UTC(2019, 1, 9, 10, 30));
    expect(parseEpochMillis('2019-02-09T10:30:00+01:00', 'iso-datetime')).toBe(Date.UTC(2019, 1, 9, 9, 30));
    expect(parseEpochMillis('09/02/2019', 'dmy')).toBe(Date.UTC(2019, 1, 9));
    expect(parseEpochMillis('nonsense', 'dmy')).toBeNull();
  });
});

describe('checkDateBounds', () => {
  const birth = { today: '2026-11-26', notFuture: true, notBefore: '1890-01-01', placeholders: BIRTH_DATE_PLACEHOLDERS };
  it('accepts today and rejects tomorrow', () => {
    expect(checkDateBounds('2026-11-26', birth).ok).toBe(true);
    expect(checkDateBounds('2026-11-27', birth)).toMatchObject({ ok: false, code: REASON.FUTURE_DATE });
  });
  it('flags implausible and placeholder births', () => {
    expect(checkDateBounds('1889-12-31', birth)).toMatchObject({ ok: false, code: REASON.IMPLAUSIBLE_BIRTH_DATE });
    expect(checkDateBounds('1890-01-01', birth).ok).toBe(true);
    expect(checkDateBounds('1900-01-01', birth)).toMatchObject({ ok: false, code: REASON.PLACEHOLDER_DATE });
  });
});

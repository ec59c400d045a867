import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

/**
 * Calendar dates as 'YYYY-MM-DD' strings, computed with integer arithmetic only. A JavaScript
 * Date would read "1999-05-09" as UTC midnight and print it back in local time, which moves a
 * date of birth by a day on any machine west of Greenwich; none of that can happen here.
 */
export type DateFormat = 'iso' | 'dmy' | 'dmy-dash' | 'ymd' | 'excel' | 'iso-datetime';
export const DATE_FORMATS: readonly DateFormat[] = ['iso', 'dmy', 'dmy-dash', 'ymd', 'excel', 'iso-datetime'];

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DMY_DASH_MONTH_NAME = /^(\d{1,2})-([A-Za-z]{3,9})-(\d{4})$/;
const DMY_DASH_NUMERIC = /^(\d{1,2})-(\d{1,2})-(\d{4})$/;
const YMD = /^(\d{4})(\d{2})(\d{2})$/;
const EXCEL_SERIAL = /^(\d{1,7})(?:\.\d+)?$/;

const MONTHS: Record<string, number> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, SEPT: 9, OCT: 10, NOV: 11, DEC: 12,
  JANUARY: 1, FEBRUARY: 2, MARCH: 3, APRIL: 4, JUNE: 6, JULY: 7, AUGUST: 8, SEPTEMBER: 9, OCTOBER: 10, NOVEMBER: 11, DECEMBER: 12,
};

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : String(n);
}

export function formatCalendarDate(year: number, month: number, day: number): string {
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}

function fromParts(year: number, month: number, day: number): Checked<string> {
  if (month < 1 || month > 12) return invalid(REASON.IMPOSSIBLE_DATE, 'the month is not 1 to 12');
  if (day < 1 || day > daysInMonth(year, month)) return invalid(REASON.IMPOSSIBLE_DATE, 'the month has no such day');
  if (year < 1) return invalid(REASON.IMPOSSIBLE_DATE, 'the year is 0');
  return valid(formatCalendarDate(year, month, day));
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of daysFromCivil. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Excel's 1900 date system: day 1 is 1900-01-01 and day 60 is 29 February 1900, a day that never was (Lotus 1-2-3's bug, kept for compatibility). */
function fromExcelSerial(serial: number): Checked<string> {
  if (serial === 0) return invalid(REASON.IMPOSSIBLE_DATE, 'Excel serial 0 is the non-date 1900-01-00');
  if (serial === 60) return invalid(REASON.IMPOSSIBLE_DATE, 'Excel serial 60 is 29 February 1900, which did not exist');
  const epoch1899Dec31 = daysFromCivil(1899, 12, 31);
  const days = epoch1899Dec31 + (serial < 60 ? serial : serial - 1);
  const { year, month, day } = civilFromDays(days);
  return valid(formatCalendarDate(year, month, day));
}

/** Parses a date in the given source format into 'YYYY-MM-DD'; impossible dates (31/02) fail. Surrounding blanks are ignored. */
export function parseCalendarDate(raw: string, format: DateFormat): Checked<string> {
  const s = raw.trim();
  let m: RegExpExecArray | null;
  switch (format) {
    case 'iso':
      // Many "ISO" sources append a midnight time; the calendar date is what they mean.
      m = ISO.exec(s) ?? ISO_DATETIME.exec(s);
      return m ? fromParts(+m[1], +m[2], +m[3]) : invalid(REASON.INVALID_DATE, 'expected a date as YYYY-MM-DD');
    case 'iso-datetime':
      m = ISO_DATETIME.exec(s);
      return m ? fromParts(+m[1], +m[2], +m[3]) : invalid(REASON.INVALID_DATE, 'expected a date-time as YYYY-MM-DDThh:mm:ss');
    case 'dmy':
      m = DMY.exec(s);
      return m ? fromParts(+m[3], +m[2], +m[1]) : invalid(REASON.INVALID_DATE, 'expected a date as dd/mm/yyyy');
    case 'dmy-dash': {
      m = DMY_DASH_MONTH_NAME.exec(s);
      if (m) {
        const month = MONTHS[m[2].toUpperCase()];
        return month === undefined ? invalid(REASON.INVALID_DATE, 'unknown month name') : fromParts(+m[3], month, +m[1]);
      }
      m = DMY_DASH_NUMERIC.exec(s);
      return m ? fromParts(+m[3], +m[2], +m[1]) : invalid(REASON.INVALID_DATE, 'expected a date as dd-Mon-yyyy');
    }
    case 'ymd':
      m = YMD.exec(s);
      return m ? fromParts(+m[1], +m[2], +m[3]) : invalid(REASON.INVALID_DATE, 'expected a date as yyyymmdd');
    case 'excel':
      m = EXCEL_SERIAL.exec(s);
      return m ? fromExcelSerial(+m[1]) : invalid(REASON.INVALID_DATE, 'expected an Excel serial day number');
    default: {
      const never: never = format;
      throw new Error(`unknown date format ${String(never)}`);
    }
  }
}

/**
 * Epoch milliseconds of a source timestamp, for an event's occurredAt. A date alone means its
 * UTC midnight, and a date-time without a zone is read as UTC: the hub's rule, so that the
 * result never depends on the machine's time zone.
 */
export function parseEpochMillis(raw: string, format: DateFormat): number | null {
  const date = parseCalendarDate(raw, format);
  if (!date.ok) return null;
  const v = date.value;
  let ms = daysFromCivil(+v.slice(0, 4), +v.slice(5, 7), +v.slice(8, 10)) * 86_400_000;
  if (format === 'iso-datetime' || format === 'iso') {
    const m = ISO_DATETIME.exec(raw.trim());
    if (m && m[4] !== undefined) {
      ms += ((+m[4] * 60 + +m[5]) * 60 + (m[6] === undefined ? 0 : +m[6])) * 1000;
      const zone = m[7];
      if (zone !== undefined && zone !== 'Z') {
        const sign = zone[0] === '-' ? -1 : 1;
        const digits = zone.slice(1).replace(':', '');
        const minutes = +digits.slice(0, 2) * 60 + (digits.length > 2 ? +digits.slice(2, 4) : 0);
        ms -= sign * minutes * 60_000;
      }
    }
  }
  return ms;
}

export interface DateBounds {
  /** 'YYYY-MM-DD': later dates are future dates. */
  today: string;
  /** Reject dates after today. */
  notFuture: boolean;
  /** 'YYYY-MM-DD': earlier dates are implausible (births before 1890). */
  notBefore: string | null;
  /** Dates that systems use for "not known" (1900-01-01). */
  placeholders: ReadonlySet<string> | null;
}

export const BIRTH_DATE_PLACEHOLDERS: ReadonlySet<string> = new Set(['1900-01-01', '1800-01-01', '1111-11-11']);
export const EARLIEST_PLAUSIBLE_BIRTH = '1890-01-01';

/** ISO calendar strings compare correctly as strings, so bounds need no parsing. */
export function checkDateBounds(isoDate: string, bounds: DateBounds): Checked<string> {
  if (bounds.placeholders !== null && bounds.placeholders.has(isoDate)) return invalid(REASON.PLACEHOLDER_DATE, 'a placeholder date that stands for "not known"');
  if (bounds.notFuture && isoDate > bounds.today) return invalid(REASON.FUTURE_DATE, 'the date is after today');
  if (bounds.notBefore !== null && isoDate < bounds.notBefore) return invalid(REASON.IMPLAUSIBLE_BIRTH_DATE, 'the date is implausibly early');
  return valid(isoDate);
}

const ISO_STRICT = /^\d{4}-\d{2}-\d{2}$/;

/** For configuration values such as `today` and agreement dates. */
export function isCalendarDate(s: string): boolean {
  if (!ISO_STRICT.test(s)) return false;
  return parseCalendarDate(s, 'iso').ok;
}

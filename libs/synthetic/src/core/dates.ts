/** Dates are whole days since 1970-01-01 (UTC): cheap to store, compare and format. */
export type Day = number;

export function dayFromYmd(y: number, m: number, d: number): Day {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function ymdFromDay(z: Day): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function parseIsoDay(s: string): Day {
  const [y, m, d] = s.split('-').map(Number);
  return dayFromYmd(y, m, d);
}

export function isoDay(day: Day): string {
  const [y, m, d] = ymdFromDay(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function ageOn(dob: Day, on: Day): number {
  const [y1, m1, d1] = ymdFromDay(dob);
  const [y2, m2, d2] = ymdFromDay(on);
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

export function addYears(day: Day, years: number): Day {
  const [y, m, d] = ymdFromDay(day);
  return dayFromYmd(y + years, m, Math.min(d, 28));
}

export function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export type DateFormat = 'iso' | 'dmy' | 'ymd' | 'excel' | 'dmy-dash' | 'iso-datetime';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Excel's 1900 date system: serial 25569 is 1970-01-01. */
export const EXCEL_EPOCH_OFFSET = 25569;

export function formatDay(day: Day, format: DateFormat): string {
  const [y, m, d] = ymdFromDay(day);
  switch (format) {
    case 'iso': return `${y}-${pad2(m)}-${pad2(d)}`;
    case 'dmy': return `${pad2(d)}/${pad2(m)}/${y}`;
    case 'ymd': return `${y}${pad2(m)}${pad2(d)}`;
    case 'excel': return String(day + EXCEL_EPOCH_OFFSET);
    case 'dmy-dash': return `${pad2(d)}-${MONTHS[m - 1]}-${y}`;
    case 'iso-datetime': return `${y}-${pad2(m)}-${pad2(d)}T00:00:00`;
    default: { const never: never = format; throw new Error(`unknown date format ${String(never)}`); }
  }
}

/** Parses any format formatDay writes (used by tests and by consumers of the manifest). */
export function parseDay(s: string, format: DateFormat): Day | null {
  if (!s) return null;
  switch (format) {
    case 'iso': case 'iso-datetime': return parseIsoDay(s.slice(0, 10));
    case 'dmy': { const [d, m, y] = s.split('/').map(Number); return dayFromYmd(y, m, d); }
    case 'ymd': return dayFromYmd(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
    case 'excel': return Number(s) - EXCEL_EPOCH_OFFSET;
    case 'dmy-dash': { const [d, mon, y] = s.split('-'); return dayFromYmd(Number(y), MONTHS.indexOf(mon) + 1, Number(d)); }
    default: { const never: never = format; throw new Error(`unknown date format ${String(never)}`); }
  }
}

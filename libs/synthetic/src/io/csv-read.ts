import { readFileSync } from 'node:fs';
import { decodeWindows1252 } from './encoding';

/** Reads a whole CSV file (RFC 4180 quoting) into rows; for tests and small tools, not for streaming. */
export function readCsv(path: string, encoding: 'utf-8' | 'windows-1252' = 'utf-8'): string[][] {
  const bytes = readFileSync(path);
  const text = encoding === 'windows-1252' ? decodeWindows1252(bytes) : bytes.toString('utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cur); cur = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cur); rows.push(row); row = []; cur = '';
    } else cur += c;
  }
  if (cur !== '' || row.length > 0) { row.push(cur); rows.push(row); }
  return rows;
}

/** Rows as objects keyed by the header. */
export function readCsvObjects(path: string, encoding: 'utf-8' | 'windows-1252' = 'utf-8'): Array<Record<string, string>> {
  const [header, ...rows] = readCsv(path, encoding);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

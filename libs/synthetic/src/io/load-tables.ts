import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { RawGeoTable, RawNameTables, Tables } from '../core/tables';

/** The derived tables ship in libs/synthetic/data, beside src/ and dist/. */
export const DATA_DIR = join(__dirname, '..', '..', 'data');

let cached: Tables | undefined;

export function loadTables(dir = DATA_DIR): Tables {
  if (cached && dir === DATA_DIR) return cached;
  const names = JSON.parse(gunzipSync(readFileSync(join(dir, 'names.json.gz'))).toString('utf8')) as RawNameTables;
  const geo = JSON.parse(readFileSync(join(dir, 'geo.json'), 'utf8')) as RawGeoTable;
  const tables = new Tables(names, geo);
  if (dir === DATA_DIR) cached = tables;
  return tables;
}

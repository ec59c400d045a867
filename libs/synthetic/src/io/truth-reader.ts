import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RecordTruth {
  personId: string;
  parentRecordId: string;
  duplicateOf: string;
  noise: string[];
}

/**
 * truth/records.csv as a map from `${feed}\t${record_id}` to its true person, for scoring a
 * matcher's output. The file has no quoted fields, so a plain split is enough and fast.
 */
export function readRecordTruth(outDir: string): Map<string, RecordTruth> {
  const text = readFileSync(join(outDir, 'truth', 'records.csv'), 'utf8');
  const map = new Map<string, RecordTruth>();
  let start = text.indexOf('\n') + 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const f = text.slice(start, end).split(',');
    map.set(`${f[0]}\t${f[1]}`, { personId: f[2], parentRecordId: f[3], duplicateOf: f[4], noise: f[8] ? f[8].split('|') : [] });
    start = end + 1;
  }
  return map;
}

// Trains the model mdm ships with, without labels, on a synthetic city's person records
// (the electoral register and GP registrations of its linkage case; truth columns are never
// read): node scripts/run-ts.mjs services/mdm/src/matching/offline/train-shipped-model.ts <city dir> [out.json]
// A council trains its own on its own records; this one only spares the demo the untrained defaults.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTables } from '@hub/synthetic';
import { buildNameTables, toMatchRecord, trainModel } from '../domain';
import { readCityLinkage } from './city-adapter';

const [dir, out = join(__dirname, '..', '..', '..', 'config', 'match-model.json')] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: train-shipped-model.ts <city dir> [out.json]\n');
  process.exit(2);
}
const names = buildNameTables(loadTables().names);
const records = readCityLinkage(dir).map((record, i) => toMatchRecord(`r${i}`, record.side === 0 ? 'electoral-register' : 'gp-registrations', record.person, { names }));
const started = Date.now();
const model = trainModel(records);
writeFileSync(out, `${JSON.stringify(model)}\n`);
process.stdout.write(`${JSON.stringify({ records: records.length, modelVersion: model.version, seconds: (Date.now() - started) / 1000, out })}\n`);

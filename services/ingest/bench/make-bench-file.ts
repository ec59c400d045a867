import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { loadTables, NhsNumberAllocator, Rng, type Sex } from '@hub/synthetic';

/**
 * Writes the ingest benchmark's delivery: N synthetic persons in the `bench-people` layout
 * (UK names drawn from the synthetic city's frequency tables, dates of birth dd/mm/yyyy, NHS
 * numbers in the 999 test range on most rows, Liverpool postcodes), deterministic per seed.
 */
export async function makeBenchFile(path: string, rows: number, seed = 'bench'): Promise<void> {
  const tables = loadTables();
  const rng = new Rng(seed);
  const nhs = new NhsNumberAllocator();
  const out = createWriteStream(path);
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  out.write('person_id,forename,surname,dob,sex,nhs_number,address,postcode,uprn\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const sex: Sex = rng.next() < 0.5 ? 'F' : 'M';
    const year = 1930 + rng.int(90);
    const dob = `${String(1 + rng.int(28)).padStart(2, '0')}/${String(1 + rng.int(12)).padStart(2, '0')}/${year}`;
    const nhsNumber = i < 880_000 && rng.next() < 0.9 ? nhs.next() : '';
    const postcode = `L${1 + rng.int(36)} ${rng.int(10)}${letters[rng.int(letters.length)]}${letters[rng.int(letters.length)]}`;
    const address = `${1 + rng.int(200)} ${tables.surnames.pick(rng)} ${rng.pick(['Road', 'Street', 'Avenue', 'Close', 'Lane'])}`;
    chunk += `P${String(i).padStart(8, '0')},${tables.forename(rng, sex, year)},${tables.surnames.pick(rng)},${dob},${sex},${nhsNumber},${address},${postcode},${100000000 + i}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

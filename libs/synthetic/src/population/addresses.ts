import { makeUprn } from '../core/identifiers';
import { Rng } from '../core/rng';
import { Lsoa } from '../core/tables';
import { Address } from './model';

// Invented street-name parts: plausible for Liverpool, not taken from a gazetteer.
const STEMS = [
  'Abbey', 'Alder', 'Arnside', 'Ash', 'Belmont', 'Birch', 'Blackthorn', 'Bramley', 'Brook', 'Carlton', 'Cedar',
  'Chapel', 'Cherry', 'Church', 'Clifton', 'Coniston', 'Crown', 'Dale', 'Derwent', 'Eaton', 'Elm', 'Elmore',
  'Fairfield', 'Fern', 'Garston', 'Glebe', 'Grafton', 'Granby', 'Green', 'Hawthorn', 'Hazel', 'Heath', 'Holly',
  'Kensington', 'Kings', 'Lark', 'Laurel', 'Lime', 'Lindale', 'Linnet', 'Mill', 'Moss', 'Myrtle', 'Newsham',
  'Oak', 'Orchard', 'Park', 'Pine', 'Priory', 'Queens', 'Rectory', 'Richmond', 'Rose', 'Rowan', 'Sandon',
  'Sefton', 'Spruce', 'Stanley', 'Station', 'Sycamore', 'Thirlmere', 'Tudor', 'Ullswater', 'Vale', 'Victoria',
  'Walnut', 'Walton', 'Willow', 'Windsor', 'Wood', 'Wren', 'Yew', 'Albert', 'Bedford', 'Cambridge', 'Devon',
  'Dingle', 'Everton', 'Falkner', 'Gladstone', 'Huskisson', 'Lodge', 'Mersey', 'Picton', 'Rodney', 'Seel',
];
const SUFFIXES = ['Road', 'Street', 'Avenue', 'Close', 'Grove', 'Lane', 'Drive', 'Crescent', 'Terrace', 'Way', 'Walk', 'Gardens', 'Court', 'Place'];
const BLOCKS = ['House', 'Court', 'Heights', 'Mansions', 'Point', 'Tower'];
// District -> a well-known area name in it, used as the locality line.
const LOCALITY: Record<string, string> = {
  L1: 'City Centre', L2: 'City Centre', L3: 'Vauxhall', L4: 'Walton', L5: 'Anfield', L6: 'Everton', L7: 'Kensington',
  L8: 'Toxteth', L9: 'Fazakerley', L10: 'Croxteth', L11: 'Norris Green', L12: 'West Derby', L13: 'Old Swan',
  L14: 'Knotty Ash', L15: 'Wavertree', L16: 'Childwall', L17: 'Aigburth', L18: 'Allerton', L19: 'Garston',
  L24: 'Speke', L25: 'Woolton', L26: 'Halewood', L27: 'Netherley',
};
const POSTCODE_UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export interface AddressPool {
  addresses: Address[];
  /** Free (unoccupied) address ids per LSOA index. */
  free: number[][];
  lsoasByDistrict: Map<string, number[]>;
}

/** Builds enough addresses in every LSOA for its share of households plus vacancies for moves. */
export function buildAddressPool(rng: Rng, lsoas: Lsoa[], expectedHouseholds: number): AddressPool {
  const perLsoa = Math.max(6, Math.ceil((expectedHouseholds / lsoas.length) * 1.35));
  const addresses: Address[] = [];
  const free: number[][] = [];
  const lsoasByDistrict = new Map<string, number[]>();
  const usedStreets = new Set<string>();
  const sectorOf = new Map<string, number>();
  lsoas.forEach((lsoa, li) => {
    const list = lsoasByDistrict.get(lsoa.district) ?? [];
    list.push(li);
    lsoasByDistrict.set(lsoa.district, list);
    const sector = (sectorOf.get(lsoa.district) ?? 0) % 9 + 1;
    sectorOf.set(lsoa.district, sector);
    const ids: number[] = [];
    let made = 0;
    while (made < perLsoa) {
      let street = '';
      for (let tries = 0; tries < 20; tries++) {
        street = `${rng.pick(STEMS)} ${rng.pick(SUFFIXES)}`;
        if (!usedStreets.has(lsoa.district + street)) break;
      }
      usedStreets.add(lsoa.district + street);
      const houses = Math.min(perLsoa - made, rng.range(12, 80));
      let unit = rng.pick(POSTCODE_UNIT_LETTERS) + rng.pick(POSTCODE_UNIT_LETTERS);
      const isBlockStreet = rng.chance(0.18);
      const block = isBlockStreet ? `${rng.pick(STEMS)} ${rng.pick(BLOCKS)}` : null;
      const blockNo = String(rng.range(1, 120));
      for (let h = 1; h <= houses; h++) {
        if (h % 16 === 0) unit = rng.pick(POSTCODE_UNIT_LETTERS) + rng.pick(POSTCODE_UNIT_LETTERS);
        const flat = block !== null && h > 1 ? String(h - 1) : null;
        const id = addresses.length;
        addresses.push({
          id,
          uprn: makeUprn(id + 1),
          flat,
          building: flat !== null ? block : null,
          houseNumber: flat !== null ? blockNo : String(h),
          street,
          locality: LOCALITY[lsoa.district] ?? '',
          postcode: `${lsoa.district} ${sector}${unit}`,
          lsoa: li,
        });
        ids.push(id);
        made++;
      }
    }
    // Reversed so that pop() hands out low house numbers first, like a street filling up.
    free.push(ids.reverse());
  });
  return { addresses, free, lsoasByDistrict };
}

export function takeAddress(rng: Rng, pool: AddressPool, preferredLsoa: number): number {
  let li = preferredLsoa;
  for (let tries = 0; tries < 50; tries++) {
    const list = pool.free[li];
    if (list.length > 0) {
      const k = rng.int(Math.min(list.length, 8));
      const idx = list.length - 1 - k;
      const id = list[idx];
      list[idx] = list[list.length - 1];
      list.pop();
      return id;
    }
    li = rng.int(pool.free.length);
  }
  throw new Error('address pool exhausted');
}

export function releaseAddress(pool: AddressPool, addressId: number): void {
  pool.free[pool.addresses[addressId].lsoa].push(addressId);
}

import { Rng } from '../core/rng';

/** Character-level corruptions of names. Each returns the input unchanged when it cannot apply. */

const KEYBOARD: Record<string, string> = {
  q: 'wa', w: 'qes', e: 'wrd', r: 'etf', t: 'ryg', y: 'tuh', u: 'yij', i: 'uok', o: 'ipl', p: 'ol',
  a: 'qsz', s: 'awdz', d: 'sefx', f: 'drgc', g: 'fthv', h: 'gyjb', j: 'hukn', k: 'jilm', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};

function letterPositions(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) if (/[A-Za-z]/.test(s[i])) out.push(i);
  return out;
}

function matchCase(c: string, like: string): string {
  return like === like.toUpperCase() ? c.toUpperCase() : c.toLowerCase();
}

export function keyboardTypo(s: string, r: Rng): string {
  const pos = letterPositions(s).filter((i) => i > 0);
  if (pos.length === 0) return s;
  const i = r.pick(pos);
  const near = KEYBOARD[s[i].toLowerCase()];
  return s.slice(0, i) + matchCase(r.pick(near), s[i]) + s.slice(i + 1);
}

export function dropLetter(s: string, r: Rng): string {
  if (s.length < 4) return s;
  const i = 1 + r.int(s.length - 1);
  return s.slice(0, i) + s.slice(i + 1);
}

export function doubleLetter(s: string, r: Rng): string {
  const pos = letterPositions(s).filter((i) => i > 0);
  if (pos.length === 0) return s;
  const i = r.pick(pos);
  return s.slice(0, i + 1) + s[i].toLowerCase() + s.slice(i + 1);
}

const PHONETIC: Array<[RegExp, string]> = [
  [/ph/i, 'f'], [/ck/i, 'k'], [/ie$/i, 'y'], [/y$/i, 'ie'], [/ee/i, 'ea'], [/ea/i, 'ee'], [/ou/i, 'ow'],
  [/ei/i, 'ie'], [/ie/i, 'ei'], [/ine$/i, 'yne'], [/ss/i, 's'], [/mm/i, 'm'], [/nn/i, 'n'], [/ll/i, 'l'],
  [/tt/i, 't'], [/son$/i, 'sen'], [/aine$/i, 'ayne'], [/c(?=[aou])/i, 'k'], [/k/i, 'c'], [/th/i, 't'], [/ey$/i, 'y'],
  [/ai/i, 'ay'], [/z/i, 's'], [/s(?=[aeiou])/i, 'z'],
];

export function phonetic(s: string, r: Rng): string {
  const rules = PHONETIC.filter(([re]) => re.test(s.slice(1)));
  if (rules.length === 0) return s;
  const [re, to] = r.pick(rules);
  const head = s[0];
  const tail = s.slice(1).replace(re, (m) => (m === m.toUpperCase() ? to.toUpperCase() : to));
  return head + tail;
}

const OCR: Array<[string, string]> = [['rn', 'm'], ['m', 'rn'], ['cl', 'd'], ['d', 'cl'], ['l', 'I'], ['I', 'l'], ['e', 'c'], ['h', 'b'], ['u', 'v'], ['O', '0'], ['S', '5'], ['i', 'l']];

export function ocrConfusion(s: string, r: Rng): string {
  const options = OCR.filter(([a]) => s.slice(1).includes(a));
  if (options.length === 0) return s;
  const [a, b] = r.pick(options);
  const i = s.indexOf(a, 1);
  return s.slice(0, i) + b + s.slice(i + a.length);
}

export function titleCase(s: string): string {
  return s.replace(/(^|[-\s'])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

// talisman ships no type declarations; this is the one function the matcher uses.
declare module 'talisman/phonetics/double-metaphone' {
  /** Primary and alternate Double Metaphone codes (4 characters at most each). */
  function doubleMetaphone(word: string): [string, string];
  export = doubleMetaphone;
}

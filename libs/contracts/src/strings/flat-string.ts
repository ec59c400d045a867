/**
 * V8 represents the result of joining strings (`a + b`, a template literal) of 13 characters or
 * more as a tree of its parts, not as one string: `${sourceSystem}/${sourceRecordId}` is two or
 * three heap objects, and stays so for as long as it is held. A service that holds millions of
 * such strings (mdm's record keys and held records) holds millions of objects
 * more than it needs, each one work for every full garbage collection. This returns the same
 * characters as one flat string. A copy through JSON is exact for every string, lone
 * surrogates included, which a round trip through UTF-8 would not be. Use it only on strings
 * kept for long: it costs a copy.
 */
export function flatString(value: string): string {
  // shorter joins are made flat by V8 already
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

// The pure survivorship core of the golden record: which source value each master field keeps,
// and why. No I/O here; the service wraps it.
export * from './survivorship';

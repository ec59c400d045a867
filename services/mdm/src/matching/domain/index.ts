// The pure matching core of mdm: features, blocking, the Fellegi-Sunter model, decisions and
// the incremental resolver. No I/O here; the service wraps it.
export * from './match-record';
export * from './name-tables';
export * from './string-similarity';
export * from './comparisons';
export * from './model';
export * from './training';
export * from './blocking';
export * from './decision';
export * from './placeholders';
export * from './incremental-resolver';
export { seededRandom } from './random';

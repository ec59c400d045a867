// Public API of @hub/synthetic: a deterministic synthetic city with partner feeds and known truth,
// and the evaluation measures used by tests and benchmarks.
export { Rng, WeightedTable } from './core/rng';
export { Day, DateFormat, dayFromYmd, ymdFromDay, isoDay, parseIsoDay, formatDay, parseDay, ageOn } from './core/dates';
export {
  IdKind, isValidId, isValidNhsNumber, isValidUpn, isValidNiNumber, isValidPncId, nhsCheckDigit, upnCheckLetter,
  pncCheckChar, makeUpn, makePncId, makeUprn, corruptCheck, NhsNumberAllocator, NiNumberAllocator,
} from './core/identifiers';
export { Tables, Sex, Lsoa } from './core/tables';
export { CRITERIA, Criterion, CriteriaResult, CriteriaInput, RuleSettings, SHIPPED_RULES, evaluateFamily, OUT_OF_WORK_BENEFITS } from './criteria/rules';
export { NoiseProfile, NoiseRates, NoisyField, REALISTIC_V1, CLEAN_V1, HARSH_V1, PROFILES, profileByName, scaleProfile } from './noise/profile';
export { World, WorldConfig, DEFAULT_WORLD, buildWorld } from './world';
export { feedCatalogue } from './feeds/catalogue';
export { runFeed, feedLayout, deliveryCuts, DELIVERIES, FeedRowSink, FeedRun } from './feeds/deliveries';
export { FeedSpec, FeedDescriptor, ColumnDescriptor, ColumnRole } from './feeds/model';
export { scoreClustering, clustersFromPairs, ClusteringScore, PRF, PairCounts, ExactClusters, Label } from './evaluation/metrics';
export { generate, GenerateOptions, GenerateSummary, GENERATOR_VERSION, LINKAGE_FEEDS, personRef, familyRef, householdRef } from './io/generate';
export { loadTables, DATA_DIR } from './io/load-tables';
export { readCsv, readCsvObjects } from './io/csv-read';
export { readRecordTruth, RecordTruth } from './io/truth-reader';
export { encodeWindows1252, decodeWindows1252 } from './io/encoding';

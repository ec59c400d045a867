// The pure mapping domain of ingest: feed configurations (validated), compiled into closures
// that turn one source row into canonical records, plus the validators they use.
export * from './mapped-row';
export * from './feed-config';
export * from './feed-config-error';
export * from './canonical-fields';
export { feedConfigSchema, agreementSchema, agreementsFileSchema } from './feed-config.schema';
export { loadFeedConfigs, loadFeedConfig, loadAgreements, checkFeedAgreements, isAgreementActive, SOURCE_FILE_KEY } from './load-feed-configs';
export { compileFeed } from './compile-feed';
export type { CompiledFeed, CompileOptions, MapRowOptions } from './compile-feed';
export { buildFeedJsonSchema } from './json-schema';
export * from '../../validation/domain';

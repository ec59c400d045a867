export * from './suspect-masters';

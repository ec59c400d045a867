export * from './servers/run-scope';
export { dockerEngineAnswers } from './servers/docker-engine';
export { portAnswers, repoRoot } from './servers/test-servers';

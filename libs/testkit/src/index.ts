export * from './servers/run-scope';
export { dockerEngineAnswers } from './servers/docker-engine';
export { portAnswers, repoRoot } from './servers/test-servers';
export { TcpProxy, throughProxy } from './faults/tcp-proxy';
export { KafkaGate } from './faults/kafka-gate';
export { ServiceProcess, freePort, stackNodeArgs } from './services/service-process';
export { withIsolatedRun, type IsolatedRun } from './bench/isolated-run';
export { planReads, type PlanQueryable } from './database/plan-reads';

// One Jest run, three projects: unit tests (*.spec.ts, no servers), integration tests
// (*.int-spec.ts, the real Kafka, PostgreSQL and Redis) and end-to-end tests (*.e2e-spec.ts,
// the running services driven from outside). Libraries are mapped to their sources so that
// tests never depend on a previous build.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@hub/([^/]+)$': '<rootDir>/libs/$1/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.cache/', '/.run/'],
  rootDir: __dirname,
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,scripts}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testkit/src/servers/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testkit/src/servers/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testkit/src/servers/long-timeouts.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts', '<rootDir>/services/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testkit/src/servers/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testkit/src/servers/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testkit/src/servers/long-timeouts.ts'],
    },
  ],
};

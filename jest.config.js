/** One jest run for every package: unit specs beside the code, e2e specs in test/. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** The console's component tests: TSX with React's automatic runtime, in jsdom (each file's docblock says so). */
const swcTsx = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  rootDir: __dirname,
  // Node's, dropping the PostgreSQL databases a test file left behind.
  testEnvironment: '<rootDir>/test/setup/test-environment.js',
  testMatch: [
    '<rootDir>/libs/**/*.spec.ts',
    '<rootDir>/apps/**/*.spec.ts',
    '<rootDir>/apps/console/src/**/*.spec.tsx',
    '<rootDir>/test/**/*.e2e-spec.ts',
    // Unit specs of the test harness itself (the simulation's parts).
    '<rootDir>/test/**/*.spec.ts',
  ],
  transform: { '^.+\\.ts$': swc, '^.+\\.tsx$': swcTsx },
  moduleNameMapper: {
    '^@refundhub/core$': '<rootDir>/libs/refund-core/src/index.ts',
    '^@refundhub/core/testing$': '<rootDir>/libs/refund-core/src/testing/index.ts',
    '^@refundhub/gateway-kit$': '<rootDir>/libs/gateways/kit/src/index.ts',
    '^@refundhub/gateway-kit/(sandbox|testing)$': '<rootDir>/libs/gateways/kit/src/$1/index.ts',
    '^@refundhub/host$': '<rootDir>/libs/host/src/index.ts',
    // Every gateway package, and its sandbox entry, from its sources: a new gateway needs no line here.
    '^@refundhub/([a-z0-9-]+)$': '<rootDir>/libs/gateways/$1/src/index.ts',
    '^@refundhub/([a-z0-9-]+)/sandbox$': '<rootDir>/libs/gateways/$1/src/sandbox/index.ts',
  },

  setupFiles: ['<rootDir>/test/setup/env.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  reporters: ['default', '<rootDir>/test/setup/skipped-suites-reporter.js'],
  testTimeout: 30000,
  // Under CI a run ends when its tests end: a handle a failed test left open (a server whose start
  // failed half-way) would otherwise keep jest waiting until the job's time runs out, and the
  // failure itself is already reported.
  forceExit: process.env.CI === 'true',
};

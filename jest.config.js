// Two projects: fast pure unit tests, and end-to-end tests that run dist/ like a
// runner against a real `go` and loopback servers.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true }],
};
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: tsJest,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  // Every project runs a real `go`: find it once, or stop with one line saying how to get it.
  globalSetup: '<rootDir>/__tests__/support/go-setup.ts',
};

export default {
  // jest-circus reads the timeout globally only; e2e jobs drive a real `go`.
  testTimeout: 240000,
  reporters: ['default', '<rootDir>/scripts/plain-summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
    },
    { ...common, displayName: 'bench', testMatch: ['<rootDir>/bench/**/*.bench.ts'] },
  ],
};

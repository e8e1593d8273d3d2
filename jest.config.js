// Jest configuration (plain JS: a .ts config would need ts-node).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `npm run typecheck` (tsc); Jest only transpiles, which keeps test start-up fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // One embedded PostgreSQL and one workflow bundle for the whole run; each test file gets its own database.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
  verbose: true,
};

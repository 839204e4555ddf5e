/**
 * `npm run e2e`: the generated monitoring against real Prometheus and
 * Alertmanager servers (__tests__/e2e/). Not part of `npm test`, which stays fast.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/e2e'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  // Each file runs its scenarios concurrently; the files themselves run side by side.
  maxWorkers: 4,
  testTimeout: 600_000,
};

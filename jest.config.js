/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc --noEmit` in `npm test`; jest only transpiles (with esbuild), which keeps it fast.
  transform: { '^.+\\.ts$': '<rootDir>/__tests__/support/esbuild-transform.js' },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};

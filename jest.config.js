const os = require('os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // jest's default is one worker less than the cores: on 2 cores (CI's) a single worker would run every file in turn.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // lib/, charts/ and config/ too, so that jest knows which tests import a changed file: `npm test -- -o`.
  roots: ['<rootDir>/__tests__', '<rootDir>/lib', '<rootDir>/charts', '<rootDir>/config'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc --noEmit` in `npm test`; jest only transpiles (with esbuild), which keeps it fast.
  transform: { '^.+\\.ts$': '<rootDir>/__tests__/support/esbuild-transform.js' },
  // Per jest worker: the validator's YAML reader reads each distinct file once, one schema store; each real tool is probed once per run (see the files).
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/parse-once.ts', '<rootDir>/__tests__/support/tools-once.ts', '<rootDir>/__tests__/support/schemas-once.ts'],
  globalSetup: '<rootDir>/__tests__/support/run-setup.js',
  globalTeardown: '<rootDir>/__tests__/support/run-teardown.js',
  // Only the `k8s` part of cdk8s-plus-28, as in npm run synth's bundle (see the file).
  moduleNameMapper: { '^cdk8s-plus-28$': '<rootDir>/__tests__/support/cdk8s-plus-28-k8s.js' },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};

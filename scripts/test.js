#!/usr/bin/env node
/**
 * npm test: the type check (`tsc --noEmit`) and the tests (jest) side by side.
 * On two cores this ends sooner than one after the other: tsc uses one core,
 * and jest's workers spend part of their time waiting for the real tools they
 * run. Arguments go to jest (`npm test -- __tests__/synth`). tsc's report is
 * printed once both are done; the exit code is non-zero if either failed.
 */
const { spawn } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const exitCode = (child) => new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', ...(process.stdout.isTTY ? ['--pretty'] : [])], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
let report = '';
tsc.stdout.on('data', (d) => (report += d));
tsc.stderr.on('data', (d) => (report += d));
const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });

Promise.all([exitCode(tsc), exitCode(jest)]).then(([typeCheck, tests]) => {
  if (typeCheck === 0) console.log('tsc --noEmit: no type errors');
  else process.stderr.write(`${report}\ntsc --noEmit failed (above): npm test fails\n`);
  process.exit(typeCheck || tests);
});

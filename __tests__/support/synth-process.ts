import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as path from 'path';
import { TEST_HOOK_VARIABLE } from '../../lib/synth/cli';
import { ROOT } from './env';

/*
 * `npm run synth` as a real process, in a throw-away project `root` (its
 * config/ and dist/): `node scripts/run.js main.ts [args]`, the command
 * package.json's synth and cdk8s.yaml run. The runner keeps its bundle and
 * code cache in this repository's .build/ and rebuilds them when a source
 * changed, as for `npm run synth`; so a test starts one bundled file, not a
 * bundle of its own that loads every package from node_modules (about half
 * the CPU of each start).
 */

const COMMAND = [path.join(ROOT, 'scripts', 'run.js'), 'main.ts'];

/** The synth's environment, with the step hook of lib/synth/cli.ts when given (`kill@N`, `pause@N:MS`). */
function environment(hook?: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (hook) env[TEST_HOOK_VARIABLE] = hook;
  else delete env[TEST_HOOK_VARIABLE];
  return env;
}

/** Runs a synth to its end (at most 30 s). */
export function runSynth(root: string, args: readonly string[] = [], hook?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...COMMAND, ...args], { cwd: root, encoding: 'utf8', env: environment(hook), timeout: 30_000 });
}

/** Starts a synth and returns at once; whoever starts it stops it by its PID if it is still running at the end. */
export function startSynth(root: string, hook?: string): ChildProcess {
  return spawn(process.execPath, COMMAND, { cwd: root, env: environment(hook), stdio: ['ignore', 'pipe', 'pipe'] });
}

import { spawnSync } from 'child_process';

const INSTALL =
  'Install it with `sudo apt-get install prometheus` (Debian/Ubuntu; CI does this in .ci/run) or put promtool from https://prometheus.io/download/ on PATH.';

/** Shown when promtool is missing outside CI. */
export const PROMTOOL_HELP = `promtool is not installed: the PromQL rule checks and alert unit tests are SKIPPED. ${INSTALL} With CI=true a missing promtool fails the tests.`;

/** The promtool on PATH, or undefined. With CI=true a missing promtool throws, so that CI cannot skip these tests. */
export function findPromtool(): string | undefined {
  const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (found.status === 0) return 'promtool';
  if (process.env.CI === 'true') throw new Error(`CI=true: promtool is required and not installed. ${INSTALL}`);
  return undefined;
}

/** Runs promtool; returns its exit code and everything it printed. */
export function promtool(args: string[], cwd: string): { status: number; output: string } {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status ?? -1, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

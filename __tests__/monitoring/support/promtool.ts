import { spawnSync } from 'child_process';
import { findTool, missingToolMessage } from '../../support/tools';

/** Shown when promtool is missing outside CI. */
export const PROMTOOL_HELP = missingToolMessage('promtool', 'the PromQL rule checks and alert unit tests are SKIPPED');

/** The promtool on PATH, or undefined. With CI=true a missing promtool throws, so that CI cannot skip these tests. */
export const findPromtool = (): string | undefined => findTool('promtool');

/** Runs promtool; returns its exit code and everything it printed. */
export function promtool(args: string[], cwd: string): { status: number; output: string } {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status ?? -1, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

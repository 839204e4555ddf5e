import { spawnSync } from 'child_process';

/**
 * The real programs the tests run (the consumers of what we generate), with
 * the Debian package that provides each. `.ci/run` installs them all.
 */
export const TOOLS = {
  promtool: { command: 'promtool', probe: ['--version'], debian: 'prometheus' },
  prometheus: { command: 'prometheus', probe: ['--version'], debian: 'prometheus' },
  amtool: { command: 'amtool', probe: ['--version'], debian: 'prometheus-alertmanager' },
  alertmanager: { command: 'prometheus-alertmanager', probe: ['--version'], debian: 'prometheus-alertmanager' },
  alembic: { command: '/usr/bin/python3', probe: ['-c', 'import alembic'], debian: 'python3-alembic' },
  prometheusClient: { command: '/usr/bin/python3', probe: ['-c', 'import prometheus_client'], debian: 'python3-prometheus-client' },
  shellcheck: { command: 'shellcheck', probe: ['--version'], debian: 'shellcheck' },
  dockerCompose: { command: 'docker-compose', probe: ['version'], debian: 'docker-compose' },
} as const;

export type ToolName = keyof typeof TOOLS;

/**
 * The command of a real tool, or undefined when it is not installed: the
 * caller then skips its tests and prints `missingToolMessage` once. With
 * CI=true a missing tool throws instead, so CI can never skip them.
 */
export function findTool(name: ToolName): string | undefined {
  const tool = TOOLS[name];
  if (spawnSync(tool.command, [...tool.probe], { stdio: 'ignore', timeout: 30_000 }).status === 0) return tool.command;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${missingToolMessage(name)}`);
  return undefined;
}

/** Why tests are skipped, and how to install what they need. */
export function missingToolMessage(name: ToolName, what = 'the tests that run it are SKIPPED'): string {
  const tool = TOOLS[name];
  return `${tool.command} is not installed: ${what}. Install it with \`sudo apt-get install ${tool.debian}\` (Debian/Ubuntu; .ci/run does). With CI=true a missing tool fails the tests.`;
}

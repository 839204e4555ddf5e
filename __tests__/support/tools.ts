import { spawnSync } from 'child_process';
import * as fs from 'fs';

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
  shellcheck: { command: 'shellcheck', probe: ['--version'], debian: 'shellcheck' },
  dockerCompose: { command: 'docker-compose', probe: ['version'], debian: 'docker-compose' },
  /** Kubernetes' YAML reader (sigs.k8s.io/yaml on go-yaml v2), built from Debian's Go sources by support/kubernetes-yaml.ts. */
  kubernetesYaml: {
    command: 'go',
    probe: ['version'],
    debian: 'golang-go golang-k8s-sigs-yaml-dev golang-gopkg-yaml.v2-dev',
    files: ['/usr/share/gocode/src/sigs.k8s.io/yaml/yaml.go', '/usr/share/gocode/src/gopkg.in/yaml.v2/resolve.go'],
  },
  /** PyYAML: a YAML 1.1 reader that follows the spec's type repository (sexagesimals, `=`). */
  pyyaml: { command: '/usr/bin/python3', probe: ['-c', 'import yaml'], debian: 'python3-yaml' },
} as const;

export type ToolName = keyof typeof TOOLS;

/**
 * The command of a real tool, or undefined when it is not installed: the
 * caller then skips its tests and prints `missingToolMessage` once. With
 * CI=true a missing tool throws instead, so CI can never skip them.
 */
export function findTool(name: ToolName): string | undefined {
  const tool = TOOLS[name];
  const files: readonly string[] = 'files' in tool ? tool.files : [];
  if (spawnSync(tool.command, [...tool.probe], { stdio: 'ignore', timeout: 30_000 }).status === 0 && files.every((f) => fs.existsSync(f))) return tool.command;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${missingToolMessage(name)}`);
  return undefined;
}

/** Why tests are skipped, and how to install what they need. */
export function missingToolMessage(name: ToolName, what = 'the tests that run it are SKIPPED'): string {
  const tool = TOOLS[name];
  return `${tool.command} is not installed: ${what}. Install it with \`sudo apt-get install ${tool.debian}\` (Debian/Ubuntu; .ci/run does). With CI=true a missing tool fails the tests.`;
}

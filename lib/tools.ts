import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The real programs that consume what we generate, with the Debian package
 * that provides each. `.ci/run` installs them all; the tests
 * (`__tests__/support/tools.ts`) and `npm run validate` run them.
 */
export const TOOLS = {
  promtool: { command: 'promtool', probe: ['--version'], debian: 'prometheus' },
  prometheus: { command: 'prometheus', probe: ['--version'], debian: 'prometheus' },
  amtool: { command: 'amtool', probe: ['--version'], debian: 'prometheus-alertmanager' },
  alertmanager: { command: 'prometheus-alertmanager', probe: ['--version'], debian: 'prometheus-alertmanager' },
  alembic: { command: '/usr/bin/python3', probe: ['-c', 'import alembic'], debian: 'python3-alembic' },
  prometheusClient: { command: '/usr/bin/python3', probe: ['-c', 'import prometheus_client'], debian: 'python3-prometheus-client' },
  shellcheck: { command: 'shellcheck', probe: ['--version'], debian: 'shellcheck' },
  /** Found on PATH is enough: docker-compose (Python) takes a third of a second to print its version, in every `npm run validate`. */
  dockerCompose: { command: 'docker-compose', probe: 'on PATH', debian: 'docker-compose' },
  nginx: { command: 'nginx', probe: ['-v'], debian: 'nginx' },
  openssl: { command: 'openssl', probe: ['version'], debian: 'openssl' },
  /** Kubernetes' YAML reader (sigs.k8s.io/yaml on go-yaml v2), built from Debian's Go sources by __tests__/support/kubernetes-yaml.ts. */
  kubernetesYaml: {
    command: 'go',
    probe: ['version'],
    debian: 'golang-go golang-k8s-sigs-yaml-dev golang-gopkg-yaml.v2-dev',
    files: ['/usr/share/gocode/src/sigs.k8s.io/yaml/yaml.go', '/usr/share/gocode/src/gopkg.in/yaml.v2/resolve.go'],
  },
  /** Redis itself (7.0 in Debian 12; the image runs 7.4) and its client: the in-cluster Redis's args, password and probe run against it. */
  redisServer: { command: 'redis-server', probe: ['--version'], debian: 'redis-server' },
  redisCli: { command: 'redis-cli', probe: ['--version'], debian: 'redis-tools' },
  /** redis-py, the Python client that reads REDIS_URL. */
  redisPy: { command: '/usr/bin/python3', probe: ['-c', 'import redis'], debian: 'python3-redis' },
  /** oliver006/redis_exporter (1.45 in Debian 12; the image runs 1.62, same REDIS_ADDR and REDIS_PASSWORD). */
  redisExporter: { command: 'prometheus-redis-exporter', probe: ['--version'], debian: 'prometheus-redis-exporter' },
  /** Go's text/template with sprig, the template engine of external-secrets (engine v2), built by __tests__/support/eso-template.ts. */
  esoTemplate: {
    command: 'go',
    probe: ['version'],
    debian: 'golang-go golang-github-masterminds-sprig-dev',
    files: ['/usr/share/gocode/src/github.com/Masterminds/sprig/functions.go'],
  },
  /** docker-compose 1.29's own Python package: its loader and the configuration hash that decides whether `up` recreates a container. */
  composeLibrary: { command: '/usr/bin/python3', probe: ['-c', 'import compose.service'], debian: 'docker-compose' },
  /** Stand-ins for the nginx images' own clients (busybox wget in the alpine ones, curl in the Debian ones): the Compose health check runs with each alone. */
  wget: { command: 'wget', probe: ['--version'], debian: 'wget' },
  curl: { command: 'curl', probe: ['--version'], debian: 'curl' },
  /** uvicorn's own CLI (0.17 in Debian 12): which UVICORN_* variables it reads, and how. */
  uvicorn: { command: '/usr/bin/python3', probe: ['-c', 'import uvicorn'], debian: 'python3-uvicorn' },
  /** PyYAML: a YAML 1.1 reader that follows the spec's type repository (sexagesimals, `=`). */
  pyyaml: { command: '/usr/bin/python3', probe: ['-c', 'import yaml'], debian: 'python3-yaml' },
} as const;

export type ToolName = keyof typeof TOOLS;

/** What each tool's probe found, so that a process probes a tool once (docker-compose takes a third of a second to answer). */
const probed = new Map<ToolName, string | undefined>();

/** The command of a real tool when it is installed and answers (and the files it needs exist), else undefined. */
export function installedTool(name: ToolName): string | undefined {
  if (probed.has(name)) return probed.get(name);
  const tool = TOOLS[name];
  const files: readonly string[] = 'files' in tool ? tool.files : [];
  const answers = tool.probe === 'on PATH' ? onPath(tool.command) : spawnSync(tool.command, [...tool.probe], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  const command = answers && files.every((f) => fs.existsSync(f)) ? tool.command : undefined;
  probed.set(name, command);
  return command;
}

/** An executable file of that name in a folder of PATH. */
function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((folder) => {
    try {
      fs.accessSync(path.join(folder || '.', command), fs.constants.X_OK);
      return fs.statSync(path.join(folder || '.', command)).isFile();
    } catch {
      return false;
    }
  });
}

/** Why a check did not run, and how to install what it needs. */
export function missingToolMessage(name: ToolName, what = 'the tests that run it are SKIPPED'): string {
  const tool = TOOLS[name];
  return `${tool.command} is not installed: ${what}. Install it with \`sudo apt-get install ${tool.debian}\` (Debian/Ubuntu; .ci/run does). With CI=true a missing tool fails the tests.`;
}

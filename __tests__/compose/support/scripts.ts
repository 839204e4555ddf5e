import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Environment } from '../../../config/schema';
import { renderComposeFolder } from '../../../lib/compose/render';
import { fileMode } from '../../../lib/synth/write';
import { environmentFrom } from '../../support/env';

/** A `target: compose` environment, plus overrides. */
export function composeEnvironment(overrides: Record<string, unknown> = {}, name = 'test'): Environment {
  return environmentFrom(
    {
      tier: 'development',
      target: 'compose',
      namespace: 'odoo-finder-test',
      image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' },
      ingress: { enabled: true, host: 'search.example.com' },
      ...overrides,
    },
    name,
  );
}

/** One call of the stand-in docker: its arguments, and the Compose subcommand with the release folder it used. */
export interface Call {
  readonly args: string[];
  /** For `docker compose …`: the arguments after the global options, e.g. ['up', '-d', 'postgresql', 'redis']. */
  readonly compose?: string[];
  /** For `docker compose …`: the folder of the --file given. */
  readonly folder?: string;
}

/**
 * A scratch server: release folders rendered from environments, a site
 * directory with .env and TLS files, and a stand-in docker (and sleep) on PATH
 * that record their calls. `remove()` deletes it all.
 */
export class ScratchServer {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-scripts-'));
  readonly site = path.join(this.dir, 'site');
  readonly bin = path.join(this.dir, 'bin');
  readonly state = path.join(this.dir, 'stand-in');

  constructor() {
    for (const d of [this.site, this.bin, this.state, path.join(this.site, 'tls')]) fs.mkdirSync(d, { recursive: true });
    fs.copyFileSync(path.join(__dirname, 'stand-in-docker.sh'), path.join(this.bin, 'docker'));
    fs.chmodSync(path.join(this.bin, 'docker'), 0o755);
    fs.writeFileSync(path.join(this.bin, 'sleep'), '#!/bin/sh\nprintf "sleep %s\\n" "$*" >> "$STANDIN_DIR/sleeps"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(this.site, 'tls', 'fullchain.pem'), 'certificate');
    fs.writeFileSync(path.join(this.site, 'tls', 'privkey.pem'), 'key');
    this.writeEnv();
  }

  /** The site's .env: a value for every variable the stack needs, with `changes` in place of those it names. */
  writeEnv(changes: Record<string, string> = {}): void {
    const values = { POSTGRES_PASSWORD: 'pg-secret', REDIS_PASSWORD: 'redis-secret', ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'b', TLS_DIR: path.join(this.site, 'tls'), ...changes };
    fs.writeFileSync(path.join(this.site, '.env'), Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''));
  }

  /** Writes the environment's dist folder as synth does (scripts executable), under `name`. */
  release(name: string, env: Environment): string {
    const folder = path.join(this.dir, name);
    fs.mkdirSync(folder);
    for (const [file, content] of renderComposeFolder(env)) fs.writeFileSync(path.join(folder, file), content, { mode: fileMode(file) });
    return folder;
  }

  /**
   * What the next `docker inspect`s of the service's container find, one a call; the last repeats. Each:
   * `STATUS [RESTARTS]`, STATUS a health status (`healthy`, `starting`, `unhealthy`), `running` (no
   * health check) or a state (`restarting`, `exited`, `dead`, `created`; `exited/healthy`: with the
   * health status Docker kept), RESTARTS Docker's RestartCount (see stand-in-docker.sh).
   */
  health(service: string, ...looks: string[]): void {
    fs.writeFileSync(path.join(this.state, `health-${service}`), `${looks.join('\n')}\n`);
  }

  /** A running one-off container of the service (`compose run`) beside the one `up` made. */
  oneOff(service: string): void {
    fs.writeFileSync(path.join(this.state, `oneoff-${service}`), '');
  }

  /** Runs a script of a release folder; `env` adds STANDIN_* settings. */
  run(folder: string, script: 'deploy.sh' | 'rollback.sh', args: string[] = [], env: Record<string, string> = {}) {
    fs.rmSync(path.join(this.state, 'calls'), { force: true });
    fs.rmSync(path.join(this.state, 'failed-once'), { force: true });
    const result = spawnSync('bash', [path.join(folder, script), '--site', this.site, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: `${this.bin}:${process.env.PATH}`, HOME: this.dir, STANDIN_DIR: this.state, ...env },
    });
    return { code: result.status, output: `${result.stdout}${result.stderr}`, calls: this.calls() };
  }

  calls(): Call[] {
    const file = path.join(this.state, 'calls');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const args = line.split('\x1f').slice(0, -1).map((a) => a.replace(/\x1e/g, '\n'));
        if (args[0] !== 'compose' || args[1] === 'version') return { args };
        let i = 1;
        let folder: string | undefined;
        while (['--project-name', '--file', '--env-file'].includes(args[i])) {
          if (args[i] === '--file') folder = path.dirname(args[i + 1]);
          i += 2;
        }
        return { args, compose: args.slice(i), folder };
      });
  }

  sleeps(): number {
    const file = path.join(this.state, 'sleeps');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  }

  /** A field of a recorded release (current or previous), or undefined. */
  recorded(which: 'current' | 'previous', key: string): string | undefined {
    const file = path.join(this.site, 'releases', which, 'release');
    if (!fs.existsSync(file)) return undefined;
    return fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const SERVICE_LABEL = 'label=com.docker.compose.service';

/** A short name of a call for order assertions: `pull`, `up -d postgresql redis`, `run alembic upgrade head`, `ps api` (docker ps or compose ps), `inspect api`, `logs api`, … */
export function step(call: Call): string {
  if (!call.compose) {
    const [command, ...rest] = call.args;
    if (command === 'inspect' || command === 'logs') return `${command} ${rest[rest.length - 1].replace(/^id-/, '')}`;
    if (command === 'ps') return `ps ${rest.find((a) => a.startsWith(`${SERVICE_LABEL}=`))?.slice(SERVICE_LABEL.length + 1)}`;
    return call.args.join(' ');
  }
  const [sub, ...rest] = call.compose;
  if (sub === 'run') {
    const entry = rest[rest.indexOf('--entrypoint') + 1];
    const after = rest.slice(rest.indexOf('--entrypoint') + 3).map((a) => (a.includes('\n') ? '<script>' : a));
    return ['run', entry, ...after].join(' ');
  }
  if (sub === 'ps') return `ps ${rest[rest.length - 1]}`;
  if (sub === 'exec') return `exec ${rest.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}`;
  return [sub, ...rest].join(' ');
}

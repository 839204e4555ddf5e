import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REDIS } from '../../lib/datastores/constants';
import { REDIS_EXPORTER } from '../../lib/datastores/exporters';
import { expandKubernetesReferences } from '../support/kubernetes-expansion';
import type { Manifest } from '../../lib/synth/render';
import { esoTemplate } from '../support/eso-template';
import { committedEnvironments, find, manifestsOf } from '../support/env';
import { http, onFreePort, Started, startServer, stopAll, waitFor } from '../support/processes';
import { findTool, missingToolMessage, ToolName } from '../support/tools';

/**
 * The in-cluster Redis of every committed environment that runs one, against
 * the real programs: the ExternalSecret's template run by Go's text/template
 * with sprig (external-secrets' engine), redis-server started with exactly
 * the rendered args (the kubelet's `$(VAR)` expansion applied; only the port,
 * the data folder and a loopback bind changed), the readiness probe's
 * redis-cli with the container's env, redis-py on the templated REDIS_URL,
 * and redis_exporter with the exporter's env. Debian's redis-server is 7.0
 * and its redis_exporter 1.45; the images run 7.4 and 1.62 (the code read is
 * cited in lib/datastores/redis.ts and charts/datastore-monitoring-chart.ts).
 */
const TOOLS: ToolName[] = ['redisServer', 'redisCli', 'redisPy', 'redisExporter'];
const tools = Object.fromEntries(TOOLS.map((t) => [t, findTool(t)])) as Record<ToolName, string | undefined>;
const render = esoTemplate();
for (const t of TOOLS) if (!tools[t]) console.warn(`redis-auth.test: ${missingToolMessage(t)}`);
if (!render) console.warn(`redis-auth.test: ${missingToolMessage('esoTemplate')}`);
const ready = TOOLS.every((t) => tools[t]) && render !== undefined;

/** Passwords a store may hold: URL delimiters, a leading "--", quotes, a `$(…)` the kubelet must not expand again, non-ASCII. */
const PASSWORDS = ['a b+c/d@e:f%g#?&=', '--like-an-option "quoted" \'single\' $(NOT_A_VAR) back\\slash', 'pässwörd-ünïcode'];

type Container = { args: string[]; env: { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[]; readinessProbe: { exec: { command: string[] } } };
type Spec = { data: { secretKey: string; remoteRef: { key: string; property: string } }[]; target: { name: string; template?: { data: Record<string, string>; mergePolicy: string } } };

const container = (m: Manifest, name: string) => (m.spec as { template: { spec: { containers: (Container & { name: string })[] } } }).template.spec.containers.find((c) => c.name === name)!;

/** The Secret the ExternalSecret writes from `store` (its property → value): fetched keys, plus the templated ones (mergePolicy Merge). */
function secretWritten(externalSecret: Manifest, store: Record<string, string>): Record<string, string> {
  const spec = externalSecret.spec as Spec;
  const fetched = Object.fromEntries(spec.data.map((d) => [d.secretKey, store[d.remoteRef.property]]));
  expect(spec.target.template?.mergePolicy).toBe('Merge');
  const templated = Object.entries(spec.target.template?.data ?? {}).map(([key, template]) => {
    const result = render!(template, fetched);
    if (result.error !== undefined) throw new Error(`template of ${key}: ${result.error}`);
    return [key, result.value];
  });
  return { ...fetched, ...Object.fromEntries(templated) };
}

/** A container's env as the kubelet gives it, its Secret keys read from `secrets`. */
function containerEnv(c: Container, secrets: Record<string, Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    c.env.map((e) => {
      const ref = e.valueFrom!.secretKeyRef;
      const value = secrets[ref.name]?.[ref.key];
      if (value === undefined) throw new Error(`${e.name}: Secret ${ref.name} has no key ${ref.key}`);
      return [e.name, value];
    }),
  );
}

/** Replaces the value of `--name` in redis-server's args (it must be there). */
function withOption(args: string[], name: string, value: string): string[] {
  const i = args.indexOf(`--${name}`);
  if (i === -1) throw new Error(`the rendered args have no --${name}`);
  return [...args.slice(0, i + 1), value, ...args.slice(i + 2)];
}

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(tools.redisCli!, args, { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/** redis-server with the rendered `args` (expanded) on a free port of 127.0.0.1, its data in `dir`; ready once it answers NOAUTH. */
function startRedis(args: string[], dir: string): Promise<{ server: Started; port: number }> {
  return onFreePort(async (port) => {
    const probe = async () => cli(['-h', '127.0.0.1', '-p', String(port), 'ping'], {}).out.includes('NOAUTH');
    const server = await startServer('redis-server', tools.redisServer!, [...withOption(withOption(args, 'port', String(port)), 'dir', dir), '--bind', '127.0.0.1'], { port, probe }, 10_000);
    return { server, port };
  });
}

const inCluster = committedEnvironments().filter((e) => e.target === 'kubernetes' && e.datastores.mode === 'in-cluster');

(ready ? describe : describe.skip)('in-cluster Redis: the password, for real', () => {
  afterAll(stopAll);

  it('some committed environment runs Redis in the cluster', () => {
    expect(inCluster.map((e) => e.name)).toContain('staging');
  });

  describe.each(inCluster.map((e) => [e.name, e] as const))('%s', (_name, env) => {
    const manifests = manifestsOf(env);
    const statefulSet = find(manifests, 'StatefulSet', REDIS.name);
    const redis = container(statefulSet, 'redis');
    const externalSecret = find(manifests, 'ExternalSecret', env.datastores.redis.password.name);

    describe.each(PASSWORDS)('password %j', (password) => {
      let server: Started;
      let port: number;
      let secrets: Record<string, Record<string, string>>;
      let redisEnv: Record<string, string>;
      let dir: string;

      beforeAll(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-auth-'));
        secrets = { [(externalSecret.spec as Spec).target.name]: secretWritten(externalSecret, { [env.datastores.redis.password.key]: password }) };
        redisEnv = containerEnv(redis, secrets);
        // The kubelet's expansion of the rendered args; then a free port, a scratch folder and loopback only.
        const expanded = redis.args.map((a) => expandKubernetesReferences(a, (name) => redisEnv[name]));
        expect(expanded[0]).toBe('redis-server');
        ({ server, port } = await startRedis(expanded.slice(1), dir));
      });
      afterAll(async () => {
        await server?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      });

      it('the kubelet hands Redis the password itself, and Redis takes it whole', () => {
        const i = redis.args.indexOf('--requirepass');
        expect(redis.args[i + 1]).toBe(`$(${REDIS.passwordVariable})`);
        expect(expandKubernetesReferences(redis.args[i + 1], (name) => redisEnv[name])).toBe(password);
        expect(cli(['-h', '127.0.0.1', '-p', String(port), '--no-auth-warning', '-a', password, '-e', 'config', 'get', 'requirepass'], {}).out).toBe(`requirepass\n${password}`);
      });

      it('without the password: NOAUTH, and redis-cli -e exits 1 (without -e it exits 0, so the probe needs it)', () => {
        const strict = cli(['-e', '-h', '127.0.0.1', '-p', String(port), 'ping'], {});
        expect(strict.status).toBe(1);
        expect(strict.out).toContain('NOAUTH');
        expect(cli(['-h', '127.0.0.1', '-p', String(port), 'ping'], {})).toEqual({ status: 0, out: 'NOAUTH Authentication required.' });
      });

      it('the readiness probe with the container env (REDISCLI_AUTH) answers PONG; with a wrong password it fails', () => {
        const [program, ...probe] = redis.readinessProbe.exec.command;
        expect(program).toBe('redis-cli');
        const args = probe.map((a) => (a === String(REDIS.port) ? String(port) : a));
        expect(args).toContain(String(port));
        expect(cli(args, redisEnv)).toEqual({ status: 0, out: 'PONG' });
        expect(cli(args, { ...redisEnv, REDISCLI_AUTH: `${password}x` }).status).toBe(1);
      });

      it('the API\'s REDIS_URL from the Secret works with redis-py; the URL of before, without password, is refused', () => {
        const url = secrets[env.datastores.redis.password.name][REDIS.urlKey];
        const local = url.replace(`@${REDIS.name}:${REDIS.port}/`, `@127.0.0.1:${port}/`);
        expect(local).not.toBe(url);
        const py = (u: string) =>
          spawnSync(tools.redisPy!, ['-c', 'import redis, sys\nr = redis.from_url(sys.argv[1])\nr.set("k", "v")\nprint(r.ping(), r.get("k").decode())', u], { encoding: 'utf8', timeout: 10_000 });
        expect(py(local).stdout.trim()).toBe('True v');
        const before = py(`redis://127.0.0.1:${port}/0`);
        expect(before.status).not.toBe(0);
        expect(before.stderr).toMatch(/Authentication required/);
      });

      it('the process title Redis sets hides the password from ps', () => {
        if (process.platform !== 'linux') return;
        const cmdline = fs.readFileSync(`/proc/${server.pid}/cmdline`, 'utf8');
        expect(cmdline).toMatch(/^redis-server /);
        expect(cmdline).not.toContain(password);
      });
    });

    it('redis_exporter with the rendered env reports redis_up 1; without REDIS_PASSWORD, 0', async () => {
      const password = PASSWORDS[0];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-auth-'));
      const redisEnv: Record<string, string> = { [REDIS.passwordVariable]: password };
      const args = redis.args.slice(1).map((a) => expandKubernetesReferences(a, (name) => redisEnv[name]));
      const { server, port } = await startRedis(args, dir);
      try {
        const exporterContainer = container(find(manifests, 'Deployment', REDIS_EXPORTER.name), 'exporter') as unknown as { env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[] };
        const secrets = { [env.datastores.redis.password.name]: { [env.datastores.redis.password.key]: password } };
        const rendered = Object.fromEntries(exporterContainer.env.map((e) => [e.name, e.value ?? secrets[e.valueFrom!.secretKeyRef.name][e.valueFrom!.secretKeyRef.key]]));
        expect(Object.keys(rendered).sort()).toEqual(['REDIS_ADDR', 'REDIS_PASSWORD']);
        const scrape = async (vars: Record<string, string>) => {
          const metrics = (port: number) => `http://127.0.0.1:${port}/metrics`;
          const { exporter, url } = await onFreePort(async (port) => ({
            exporter: await startServer('redis_exporter', tools.redisExporter!, ['-web.listen-address', `127.0.0.1:${port}`], metrics(port), 10_000, { env: vars }),
            url: metrics(port),
          }));
          try {
            return await waitFor('redis_exporter metrics', async () => /^redis_up \d/m.exec(await http(url))?.[0], 10_000, 100);
          } finally {
            await exporter.stop();
          }
        };
        const addr = rendered.REDIS_ADDR.replace(`//${REDIS.name}:${REDIS.port}`, `//127.0.0.1:${port}`);
        expect(addr).not.toBe(rendered.REDIS_ADDR);
        expect(await scrape({ ...rendered, REDIS_ADDR: addr })).toBe('redis_up 1');
        expect(await scrape({ REDIS_ADDR: addr, REDIS_PASSWORD: '' })).toBe('redis_up 0');
      } finally {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('an empty password in the store fails the template instead of writing a URL for a Redis without one', () => {
      const template = (externalSecret.spec as Spec).target.template!.data[REDIS.urlKey];
      const result = render!(template, { [env.datastores.redis.password.key]: '' });
      expect(result.error).toContain('empty');
      expect(result.value).toBeUndefined();
    });
  });
});

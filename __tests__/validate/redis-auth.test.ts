import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { expandKubernetesReferences, kubernetesReferences } from '../support/kubernetes-expansion';
import { formatPath } from '../../lib/validate/finding';
import { podTemplateOf } from '../../lib/validate/pod-fields';
import { checkRedisAuth } from '../../lib/validate/practices/redis-auth';
import { parseResources } from '../../lib/validate/resource';
import { ROOT } from '../support/env';
import { validateDist } from '../../lib/validate/validate';
import { Obj, schemaStore } from './fixtures';
import { TempProject } from './temp-project';

/** Rule redis-auth on the Redis StatefulSet: the committed one, the one of before the password, and changes of it. */
const COMMITTED = fs.readFileSync(path.join(ROOT, 'dist', 'staging', 'statefulset-redis.yaml'), 'utf8');
const BEFORE = fs.readFileSync(path.join(__dirname, 'fixtures', 'before-redis-auth', 'staging', 'statefulset-redis.yaml'), 'utf8');

function findings(text: string): string[] {
  const [resource] = parseResources('dist/staging/statefulset-redis.yaml', 'staging', text).resources;
  return checkRedisAuth(podTemplateOf(resource)!).map((f) => `${f.severity} ${formatPath(f.path)}: ${f.message}`);
}

/** The committed StatefulSet, changed. */
function after(change: (container: Obj, pod: Obj) => void): string[] {
  const object = JSON.parse(JSON.stringify(parseResources('x.yaml', 'staging', COMMITTED).resources[0].object)) as Obj;
  change(object.spec.template.spec.containers[0], object.spec.template.spec);
  return findings(stringify(object));
}

const ARGS = 'spec.template.spec.containers[0].args';
const PROBE = 'spec.template.spec.containers[0].readinessProbe.exec.command';

describe('redis-auth', () => {
  it('passes the committed Redis (dist/staging)', () => {
    expect(findings(COMMITTED)).toEqual([]);
  });

  it('npm run validate reports it on the old file: two errors of rule redis-auth', () => {
    const p = new TempProject();
    try {
      p.write('config/environments/staging.yaml', 'tier: staging\n');
      p.write('dist/staging/statefulset-redis.yaml', BEFORE);
      const errors = validateDist(p.root, undefined, schemaStore()).findings.filter((f) => f.rule === 'redis-auth' && f.severity === 'error');
      expect(errors.map((f) => `${f.file}:${f.line}`)).toEqual(['dist/staging/statefulset-redis.yaml:40', 'dist/staging/statefulset-redis.yaml:70']);
    } finally {
      p.dispose();
    }
  });

  it('fails the dist/staging of before the password: no password, protected mode off, a probe that cannot fail', () => {
    expect(findings(BEFORE)).toEqual([
      expect.stringMatching(new RegExp(`^error ${ARGS.replace(/[[\].]/g, '\\$&')}: container "redis" runs Redis and requires no password: anyone the NetworkPolicy lets through`)),
      `warning ${ARGS}: container "redis" runs Redis and turns protected mode off: should its password ever be empty, it would answer every client instead of loopback only`,
      `error ${PROBE}: container "redis" runs Redis and its readinessProbe runs redis-cli without -e: redis-cli exits 0 on an error reply (NOAUTH, LOADING), so the probe cannot fail`,
    ]);
  });

  it('a password written in the args, an empty one, or a reference to nothing', () => {
    const requirepass = (value: string) => (c: Obj) => (c.args[c.args.indexOf('--requirepass') + 1] = value);
    expect(after(requirepass('hunter2'))).toEqual([expect.stringContaining('has its password written in its args')]);
    expect(after(requirepass('pre-$(REDIS_PASSWORD)'))).toEqual([expect.stringContaining('has its password written in its args')]);
    expect(after(requirepass(''))).toEqual([expect.stringContaining('gives --requirepass no value')]);
    expect(after(requirepass('$$(REDIS_PASSWORD)'))).toEqual([expect.stringContaining('has its password written in its args')]);
    expect(after(requirepass('$(REDIS_PASS)'))).toEqual([expect.stringContaining('the container has no variable REDIS_PASS: the kubelet leaves the text "$(REDIS_PASS)" as the password')]);
    expect(after((c) => (c.env[0] = { name: 'REDIS_PASSWORD', value: 'x' }))).toEqual([expect.stringContaining('takes its password from REDIS_PASSWORD, which is set literally')]);
    expect(after((c) => c.args.push('--requirepass'))).toEqual([expect.stringContaining('gives --requirepass no value')]);
    expect(after(requirepass('$()'))).toEqual([expect.stringContaining('has its password written in its args')]);
  });

  it('an option and its value in one argument, as redis-server reads it (its config reader splits the line)', () => {
    const joined = (c: Obj) => c.args.splice(c.args.indexOf('--requirepass'), 2, '--requirepass $(REDIS_PASSWORD)');
    expect(after(joined)).toEqual([]);
    expect(after((c) => c.args.splice(c.args.indexOf('--requirepass'), 2, '--requirepass hunter2'))).toEqual([expect.stringContaining('has its password written in its args')]);
  });

  it('a probe that does not log in, or does not check the answer', () => {
    expect(after((c) => c.env.splice(1, 1))).toEqual([`error ${PROBE}: container "redis" runs Redis and requires a password, but its readinessProbe runs redis-cli without one: every answer is NOAUTH. Set REDISCLI_AUTH from the same Secret key`]);
    expect(after((c) => (c.readinessProbe.exec.command = ['sh', '-c', 'redis-cli -h 127.0.0.1 ping | grep -q PONG']))).toEqual([]);
    expect(after((c) => (c.readinessProbe.exec.command = ['sh', '-c', 'redis-cli -h 127.0.0.1 ping']))).toEqual([expect.stringContaining('without -e')]);
    expect(after((c) => {
      c.env.splice(1, 1);
      c.readinessProbe.exec.command = ['redis-cli', '-e', '--askpass', 'ping'];
    })).toEqual([]);
  });

  it('only redis-cli\'s own arguments count: not the shell\'s -e, not a URL without a password; REDISCLI_AUTH from a Secret', () => {
    expect(after((c) => (c.readinessProbe.exec.command = ['sh', '-e', '-c', 'redis-cli ping']))).toEqual([expect.stringContaining('without -e')]);
    expect(after((c) => (c.readinessProbe.exec.command = ['sh', '-c', 'redis-cli ping; test -e /tmp/x']))).toEqual([expect.stringContaining('without -e')]);
    const withUrl = (url: string) => (c: Obj) => {
      c.env.splice(1, 1);
      c.readinessProbe.exec.command = ['redis-cli', '-e', '-u', url, 'ping'];
    };
    expect(after(withUrl('redis://127.0.0.1:6379'))).toEqual([expect.stringContaining('runs redis-cli without one: every answer is NOAUTH')]);
    expect(after(withUrl('redis://:$REDIS_PASSWORD@127.0.0.1:6379'))).toEqual([]);
    expect(after((c) => (c.env[1] = { name: 'REDISCLI_AUTH', value: 'hunter2' }))).toEqual([expect.stringContaining('logs in with REDISCLI_AUTH set literally')]);
  });

  it('a config file counts only from a Secret volume', () => {
    const configFile = (volume: Obj) => (c: Obj, pod: Obj) => {
      c.args = ['redis-server', '/etc/redis/redis.conf', '--port', '6379'];
      c.volumeMounts.push({ name: 'config', mountPath: '/etc/redis' });
      pod.volumes.push({ name: 'config', ...volume });
    };
    expect(after(configFile({ secret: { secretName: 'redis-conf' } }))).toEqual([]);
    expect(after(configFile({ projected: { sources: [{ secret: { name: 'redis-conf' } }] } }))).toEqual([]);
    expect(after(configFile({ configMap: { name: 'redis-conf' } }))).toEqual([expect.stringContaining('its config file /etc/redis/redis.conf is not mounted from a Secret')]);
  });

  it('finds Redis by its command or by the official image\'s entrypoint; other containers are left alone', () => {
    const noPassword = (c: Obj) => c.args.splice(c.args.indexOf('--requirepass'), 2);
    expect(after((c) => { noPassword(c); c.command = ['/usr/local/bin/redis-server']; c.args.shift(); })).toEqual([expect.stringContaining('requires no password')]);
    expect(after((c) => { noPassword(c); c.image = 'docker.io/library/redis:7.4.1'; c.args.shift(); })).toEqual([expect.stringContaining('requires no password')]);
    expect(after((c) => { noPassword(c); c.image = 'bitnami/redis:7.4.1'; c.args.shift(); c.readinessProbe = { tcpSocket: { port: 6379 } }; })).toEqual([]);
    expect(after((c) => { noPassword(c); c.image = 'redis:7.4.1-alpine'; c.args = ['sh', '-c', 'echo']; c.readinessProbe = { tcpSocket: { port: 6379 } }; })).toEqual([]);
  });
});

describe('the kubelet\'s $(VAR) expansion (kubernetes third_party/forked/golang/expansion)', () => {
  const vars: Record<string, string> = { A: 'x', P: 'a$(A)b' };
  const expand = (s: string) => expandKubernetesReferences(s, (name) => vars[name]);

  it('replaces a defined variable once, never its value again; keeps an undefined one as written', () => {
    expect(expand('$(A)')).toBe('x');
    expect(expand('--requirepass=$(P)')).toBe('--requirepass=a$(A)b');
    expect(expand('$(MISSING)')).toBe('$(MISSING)');
  });

  it('$$ is a literal $, and a $ that starts no reference stays', () => {
    expect(expand('$$(A)')).toBe('$(A)');
    expect(expand('$$$(A)')).toBe('$x');
    expect(expand('cost $5 $(A')).toBe('cost $5 $(A');
    expect(expand('$')).toBe('$');
    expect(expand('$()')).toBe('$()');
  });

  it('lists the references', () => {
    expect(kubernetesReferences('$(A) $$(B) $(C)')).toEqual(['A', 'C']);
  });
});

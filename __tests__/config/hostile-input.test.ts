import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironments, parseEnvironment } from '../../lib/config/load';
import { environmentTarget } from '../../lib/config/target';
import { ConfigError, formatProblem } from '../../lib/config/problems';
import { runSynth } from '../support/synth-process';

/*
 * Issue 13: every bad config is refused cleanly, one message per problem
 * naming the file (and key and line where there is one); a table of
 * representatives per class.
 */

const FILE = 'config/environments/staging.yaml';
const base = `tier: staging
namespace: odoo-finder-staging
image:
  repository: ghcr.io/ai-odoofinder/api
  tag: "1.4.2"
`;

/** The base file with `change` (YAML text) merged in: a top-level key of the change replaces the base's. */
const withChange = (change: string) => {
  const keys = new Set(change.split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(':')[0]));
  const kept = base.split(/\n(?=\S)/).filter((block) => !keys.has(block.split(':')[0]));
  return `${kept.join('\n').trimEnd()}\n${change}\n`;
};

const problems = (text: string, file = FILE) => {
  const result = parseEnvironment(file, text);
  return 'problems' in result ? result.problems.map(formatProblem) : [];
};
const warnings = (text: string) => {
  const result = parseEnvironment(FILE, text);
  if ('problems' in result) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.warnings.map(formatProblem);
};

describe('YAML that is hostile or broken', () => {
  test.each<[string, string, RegExp]>([
    ['a billion-laughs alias bomb', `${base}labels: &a0 {k: v}\n${Array.from({ length: 9 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`).join('\n')}\n`, /^config\/environments\/staging\.yaml: not valid YAML: Excessive alias count.*at most 10000 nodes/],
    ['an alias to an undefined anchor', `${base}labels: *nowhere\n`, /^config\/environments\/staging\.yaml:6: labels: not valid YAML: alias \*nowhere refers to no anchor$/],
    ['nesting 5000 brackets deep', `${base}annotations: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /^config\/environments\/staging\.yaml:6: is nested more than 32 levels deep$/],
    ['nesting by indentation', `${base}annotations:\n${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} v\n`, /^config\/environments\/staging\.yaml:\d+: annotations(\.k\d+)+: is nested more than 32 levels deep$/],
    ['a duplicate key', `${base}namespace: other\n`, /^config\/environments\/staging\.yaml:6: namespace: is defined twice in the same map \(duplicate key\)$/],
    ['a map as a key', `${base}? {a: 1}\n: x\n`, /^config\/environments\/staging\.yaml:6: \?: a key must be a plain string/],
  ])('%s', (_name, text, expected) => {
    expect(problems(text)[0]).toMatch(expected);
  });

  test('119 aliases of one scalar in a legitimate file work', () => {
    const text = `${base}labels:\n  l0: &v search\n${Array.from({ length: 119 }, (_, i) => `  l${i + 1}: *v`).join('\n')}\n`;
    expect(problems(text)).toEqual([]);
  });

  test('20 000 unknown keys: at most 50 problems are listed, in time linear in the keys', () => {
    const text = `${base}${Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n')}\n`;
    const listed = problems(text);
    expect(listed).toHaveLength(51);
    expect(listed[0]).toMatch(/^config\/environments\/staging\.yaml:6: k0: unknown key/);
    expect(listed[50]).toBe('config/environments/staging.yaml: … and more problems: only the first 50 are listed');
  });
});

describe('values the API server (or the cluster) would refuse', () => {
  test.each<[string, string, string]>([
    ['a label key starting with "-"', 'labels: {-bad: x}', 'labels.-bad: "-bad" is not a valid key'],
    ['a label key ending with "_"', 'labels: {Team_: x}', 'labels.Team_: "Team_" is not a valid key'],
    ['a label key with two slashes', 'labels: {a/b/c: x}', 'labels.a/b/c: "a/b/c" is not a valid key'],
    ['a 64-character label name', `labels: {${'x'.repeat(64)}: x}`, `labels.${'x'.repeat(64)}: "${'x'.repeat(64)}" is not a valid key`],
    ['a label value with a space', 'labels: {team: a b}', 'labels.team: "a b" is not valid: A Kubernetes label value'],
    ['a label value of 64 characters', `labels: {team: ${'x'.repeat(64)}}`, 'labels.team: "xxxxxxxx'],
    ['a label value with NUL', 'labels: {team: "a\\0b"}', 'labels.team: "a\\u0000b" is not valid'],
    ['a number as a label value', 'labels: {team: 1}', 'labels.team: must be string (quote it: "1")'],
    ['a map as an annotation value', 'annotations: {team: {a: b}}', 'annotations.team: must be string'],
    ['a bad monitoring selector key', 'monitoring: {selectorLabels: {-bad: x}}', 'monitoring.selectorLabels.-bad: "-bad" is not a valid key'],
    ['an empty monitoring selector', 'monitoring: {selectorLabels: {}}', 'monitoring.selectorLabels: must NOT have fewer than 1 properties'],
    ['a 200 KiB annotation', `annotations: {big: "${'x'.repeat(200 * 1024)}"}`, 'annotations: annotations and service.annotations total 204803 bytes; at most 131072 fit'],
    ['cron "a b c d e"', 'datastores: {backup: {schedule: "a b c d e"}}', 'datastores.backup.schedule: "a b c d e" is not a schedule Kubernetes accepts: minute field "a"'],
    ['cron "99 99 99 99 99"', 'datastores: {backup: {schedule: "99 99 99 99 99"}}', 'datastores.backup.schedule: "99 99 99 99 99" is not a schedule Kubernetes accepts: minute field "99": 99 is above the maximum 59'],
    ['a datastore request above its limit', 'datastores: {postgresql: {resources: {requests: {memory: 2Gi}}}}', 'datastores.postgresql.resources.requests.memory: is 2Gi, more than datastores.postgresql.resources.limits.memory (1Gi)'],
    ['a migration request above its limit', 'migrations: {resources: {requests: {cpu: "2"}}}', 'migrations.resources.requests.cpu: is 2, more than migrations.resources.limits.cpu (500m)'],
    ['image.tag latest in staging', 'image: {repository: ghcr.io/ai-odoofinder/api, tag: latest}', 'image.tag: "latest" is refused'],
    ['image.tag LATEST', 'image: {repository: ghcr.io/ai-odoofinder/api, tag: LATEST}', 'image.tag: "LATEST" is refused'],
    ['a datastore image :Latest', 'datastores: {redis: {image: "redis:Latest"}}', 'datastores.redis.image: "redis:Latest" is not valid'],
  ])('%s', (_name, change, expected) => {
    const listed = problems(withChange(change));
    expect(listed.join('\n')).toContain(`${FILE}:`);
    expect(listed.join('\n')).toContain(expected);
  });
});

// Issue 13's list of what "a platform engineer would want refused or warned about": all refused but one warning (docs/config.md).
describe('what a platform engineer wants refused', () => {
  test.each<[string, string, string]>([
    ['CPU request 0', 'resources: {requests: {cpu: "0"}}', 'resources.requests.cpu: "0" is below 1m'],
    ['memory request 0', 'resources: {requests: {memory: "0"}}', 'resources.requests.memory: "0" is below 1Mi'],
    ['memory 512m (half a byte)', 'resources: {requests: {memory: 512m}}', 'resources.requests.memory: "512m" is a fraction of a byte'],
    ['memory 1e400', 'resources: {limits: {memory: "1e400"}}', 'resources.limits.memory: "1e400" is not a finite quantity'],
    ['memory 64Pi', 'resources: {limits: {memory: 64Pi}}', 'resources.limits.memory: "64Pi" is above 512Gi'],
    ['repository with a port and no path', 'image: {repository: "ghcr.io:443", tag: "1.4.2"}', 'image.repository: "ghcr.io:443" is not valid'],
    ['namespace kube-system', 'namespace: kube-system', 'namespace: "kube-system" is refused: it belongs to the cluster'],
    ['namespace argocd', 'namespace: argocd', 'namespace: "argocd" is refused: it belongs to Argo CD'],
    ['CIDR 999.999.999.999/99', 'network: {httpsEgressCidrs: [999.999.999.999/99]}', 'network.httpsEgressCidrs.0: "999.999.999.999/99" is not a CIDR'],
    ['CIDR ::/999', 'network: {httpsEgressCidrs: ["::/999"]}', 'network.httpsEgressCidrs.0: "::/999" has prefix length /999; an IPv6 prefix is at most /128'],
    ['a 305-character host', `ingress: {enabled: true, host: ${Array(5).fill('a'.repeat(60)).join('.')}.com}`, 'ingress.host: must NOT have more than 253 characters'],
    ['PVC size 0', 'datastores: {postgresql: {storage: "0"}}', 'datastores.postgresql.storage: "0" is below 1Mi'],
    ['Redis maxMemory above its memory limit', 'datastores: {redis: {maxMemory: 300mb}}', 'datastores.redis.maxMemory: is 300mb, more than the Redis container\'s memory limit'],
    ['scrapeInterval 99999m', 'monitoring: {scrapeInterval: 99999m}', 'monitoring.scrapeInterval: is 99999m; it must be between 5s and 75s'],
    ['argocd.targetRevision with a newline', 'argocd: {targetRevision: "main\\nx"}', 'argocd.targetRevision: "main\\nx" is not valid'],
    ['a Secret key ".."', 'secrets: {databaseUrl: {key: ".."}}', 'secrets.databaseUrl.key: ".." is not valid'],
    ['remoteKeyPrefix ../../other-team', 'externalSecrets: {remoteKeyPrefix: ../../other-team}', 'externalSecrets.remoteKeyPrefix: "../../other-team" is not valid'],
    ['a control character in the smoke-test path', 'smokeTest: {searchPath: "/search\\u0007"}', 'smokeTest.searchPath: "/search\\u0007" is not valid'],
    ['migrations.targetRevision HEAD', 'migrations: {targetRevision: HEAD}', 'migrations.targetRevision: "HEAD" means the default'],
    ['production with logLevel debug', 'tier: production\napp: {logLevel: debug}', 'app.logLevel: "debug" is refused in production'],
    ['production with one replica', 'tier: production\nautoscaling: {minReplicas: 1}', 'autoscaling.minReplicas: is 1; production needs at least 2'],
    ['production without an Ingress', 'tier: production', 'ingress.enabled: must be true in production'],
  ])('%s', (_name, change, expected) => {
    expect(problems(withChange(change)).join('\n')).toContain(expected);
  });

  test('Redis maxMemory above 80 % of its limit is a warning with the key, not a refusal', () => {
    expect(warnings(`${base}datastores: {redis: {maxMemory: 210mb}}\n`)).toEqual([
      `${FILE}:6: datastores.redis.maxMemory: is 210mb, more than 80 % of the container's memory limit (256Mi): leave Redis room for its own structures`,
    ]);
  });
});

describe('the files of config/environments/', () => {
  const project = (files: Record<string, string | null>) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-names-'));
    const dir = path.join(root, 'config', 'environments');
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      if (text === null) fs.mkdirSync(path.join(dir, name));
      else fs.writeFileSync(path.join(dir, name), text);
    }
    return root;
  };
  const errorsOf = (root: string, names?: string[]) => {
    try {
      loadEnvironments(root, names, () => {});
      return [];
    } catch (e) {
      return (e as ConfigError).problems.map(formatProblem);
    }
  };

  test.each<[string, string | null, string]>([
    ['Prod.yaml', base, 'config/environments/Prod.yaml: "Prod" is not a valid environment name'],
    ['a b.yaml', base, 'config/environments/a b.yaml: "a b" is not a valid environment name'],
    ['.yaml', base, 'config/environments/.yaml: "" is not a valid environment name'],
    ['x..yaml', base, 'config/environments/x..yaml: "x." is not a valid environment name'],
    [`${'x'.repeat(200)}.yaml`, base, 'is not a valid environment name: at most 48'],
    [`${'x'.repeat(49)}.yaml`, base, 'is not a valid environment name: at most 48'],
    ['x.yml', base, 'config/environments/x.yml: only ".yaml" files are read here: rename it to x.yaml'],
    ['x.json', '{}', 'config/environments/x.json: only ".yaml" files are read here: rename it to x.yaml'],
    ['demo.YAML', base, 'config/environments/demo.YAML: only ".yaml" files are read here: rename it to demo.yaml'],
    ['README.md', '# notes', 'config/environments/README.md: is not an environment file'],
    ['argocd.yaml', base, 'config/environments/argocd.yaml: the name "argocd" is reserved'],
    ['d.yaml', null, 'config/environments/d.yaml: is not a file'],
  ])('%s is an error, not ignored', (name, text, expected) => {
    const root = project({ 'staging.yaml': base, [name]: text });
    expect(errorsOf(root).join('\n')).toContain(expected);
    // Also when only another environment is asked for.
    expect(errorsOf(root, ['staging']).join('\n')).toContain(expected);
  });

  test('a copy of a file (two environments in one namespace) is refused', () => {
    expect(errorsOf(project({ 'staging.yaml': base, 'copy.yaml': base }))).toEqual([
      'config/environments/staging.yaml: namespace: "odoo-finder-staging" is also the namespace of environment "copy" (config/environments/copy.yaml): each environment needs its own',
    ]);
  });

  test('the checking tools read a file with many aliases as the loader does (its target included)', () => {
    const root = project({ 'local.yaml': `target: compose\n${base}labels:\n  l0: &v search\n${Array.from({ length: 119 }, (_, i) => `  l${i + 1}: *v`).join('\n')}\n` });
    expect(environmentTarget(root, 'local')).toBe('compose');
  });

  test('--env with a path is no such environment', () => {
    expect(errorsOf(project({ 'staging.yaml': base }), ['../environments/staging'])).toEqual([
      'config/environments: no such environment "../environments/staging" (known: staging)',
    ]);
  });

  test('a byte that is not UTF-8 is refused with its line, not turned into U+FFFD', () => {
    const root = project({});
    fs.writeFileSync(path.join(root, 'config', 'environments', 'staging.yaml'), Buffer.concat([Buffer.from(`${base}labels: {team: "`), Buffer.from([0xff]), Buffer.from('"}\n')]));
    expect(errorsOf(root)).toEqual(['config/environments/staging.yaml:6: is not UTF-8 text: byte 124 is not valid UTF-8']);
  });
});

describe('the real process on hostile files', () => {
  const MB = 1024 * 1024;
  test.each<[string, (file: string) => void, RegExp]>([
    ['a 5 MB file of unknown keys', (f) => fs.writeFileSync(f, `${base}${'k: 1\n'.repeat(MB)}`), /config\/environments\/staging\.yaml: is \d+ bytes; an environment file may have at most 262144/],
    ['a 5 MB file of nested brackets', (f) => fs.writeFileSync(f, `${base}a: ${'['.repeat(5 * MB)}`), /config\/environments\/staging\.yaml: is \d+ bytes/],
    ['nested brackets under the size limit', (f) => fs.writeFileSync(f, `${base}a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`), /config\/environments\/staging\.yaml:6: is nested more than 32 levels deep/],
    ['an alias bomb', (f) => fs.writeFileSync(f, `${base}a0: &a0 [x]\n${Array.from({ length: 20 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]`).join('\n')}\n`), /config\/environments\/staging\.yaml: not valid YAML: Excessive alias count/],
    ['a directory named d.yaml', (f) => fs.mkdirSync(path.join(path.dirname(f), 'd.yaml')), /config\/environments\/d\.yaml: is not a file/],
  ])('%s: exit 1, the file named, no stack trace, dist/ untouched', (_name, write, expected) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-hostile-'));
    fs.mkdirSync(path.join(root, 'config', 'environments'), { recursive: true });
    fs.mkdirSync(path.join(root, 'dist', 'staging'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'staging', 'marker.yaml'), 'x');
    const file = path.join(root, 'config', 'environments', 'staging.yaml');
    fs.writeFileSync(file, base);
    write(file);
    const result = runSynth(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr.length).toBeLessThan(10_000);
    expect(fs.readdirSync(path.join(root, 'dist'))).toEqual(['staging']);
    expect(fs.readdirSync(path.join(root, 'dist', 'staging'))).toEqual(['marker.yaml']);
  });
});

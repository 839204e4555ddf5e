import { parseEnvironment } from '../../lib/config/load';
import { databaseUrlSecret } from '../../lib/delivery/settings';
import { ConfigProblem, formatProblem } from '../../lib/config/problems';

const FILE = 'config/environments/production.yaml';

function problemsOf(text: string, file = FILE): ConfigProblem[] {
  const result = parseEnvironment(file, text);
  if (!('problems' in result)) throw new Error('expected the file to be rejected');
  return result.problems;
}

const valid = `tier: production
namespace: odoo-finder
image:
  repository: ghcr.io/ai-odoofinder/api
  tag: "1.4.2"
ingress: {enabled: true, host: api.ai-odoofinder.dev}
`;

describe('a valid environment file', () => {
  test('five lines are enough: every other key has a default', () => {
    const result = parseEnvironment(FILE, valid);
    if ('problems' in result) throw new Error(result.problems.map(formatProblem).join('\n'));
    const env = result.environment;
    expect(env.name).toBe('production');
    expect(env.autoscaling).toEqual({ minReplicas: 2, maxReplicas: 10, targetCPUUtilization: 70 });
    expect(env.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } });
    expect(env.app).toEqual({ logLevel: 'info', enableRerankingDefault: true });
    expect(env.datastores.redis.password).toEqual({ name: 'redis-credentials', key: 'password' });
    expect(env.secrets.databaseUrl).toBeUndefined();
    expect(databaseUrlSecret(env)).toEqual({ name: 'db-credentials', key: 'url' });
    expect(env.service.type).toBe('ClusterIP');
  });

  test('app.redisUrl, removed with the password of Redis, is refused with what replaced it; so is a password key that is the URL\'s', () => {
    const stagingFile = 'config/environments/staging.yaml';
    const staging = 'tier: staging\nnamespace: odoo-finder-staging\nimage: {repository: ghcr.io/ai-odoofinder/api, tag: "1.4.2"}\n';
    const removed = problemsOf(`${staging}app: {redisUrl: "redis://redis:6379/0"}\n`, stagingFile);
    expect(removed.map((p) => p.key)).toEqual(['app.redisUrl']);
    expect(removed[0].message).toMatch(/was removed: Redis requires a password.*key "url" of datastores.redis.password/);
    const clash = problemsOf(`${staging}datastores: {redis: {password: {name: cache, key: url}}}\n`, stagingFile);
    expect(clash.map((p) => `${p.key}: ${p.message}`)).toEqual([expect.stringMatching(/^datastores.redis.password.key: is "url", the key that holds REDIS_URL/)]);
  });

  test('a digest alone pins the image outside production', () => {
    const result = parseEnvironment(
      'config/environments/dev.yaml',
      `tier: development\nnamespace: dev\nimage:\n  repository: ghcr.io/ai-odoofinder/api\n  digest: sha256:${'a'.repeat(64)}\n`,
    );
    expect('environment' in result).toBe(true);
  });
});

describe('every bad environment file is rejected with file, line, key and problem', () => {
  const cases: Array<[string, string, string]> = [
    [
      'wrong type',
      valid + 'autoscaling:\n  maxReplicas: ten\n',
      `${FILE}:8: autoscaling.maxReplicas: must be integer`,
    ],
    [
      'unknown key',
      valid + 'autoscaling:\n  maxReplica: 5\n',
      `${FILE}:8: autoscaling.maxReplica: unknown key (allowed here: minReplicas, maxReplicas, targetCPUUtilization)`,
    ],
    [
      'min replicas above max',
      valid + 'autoscaling:\n  minReplicas: 5\n  maxReplicas: 3\n',
      `${FILE}:8: autoscaling.minReplicas: is 5, more than autoscaling.maxReplicas (3)`,
    ],
    [
      'bad quantity',
      valid + 'resources:\n  requests:\n    cpu: half\n',
      `${FILE}:9: resources.requests.cpu: "half" is not valid: CPU request. A Kubernetes quantity, e.g. "250m", "1", "512Mi".`,
    ],
    [
      'request above limit',
      valid + 'resources:\n  requests:\n    memory: 2Gi\n',
      `${FILE}:9: resources.requests.memory: is 2Gi, more than resources.limits.memory (1Gi)`,
    ],
    [
      'missing image tag in production',
      'tier: production\nnamespace: odoo-finder\nimage:\n  repository: ghcr.io/ai-odoofinder/api\n',
      `${FILE}:4: image.tag: is required in production: the tag is the version reviewers and the version label see`,
    ],
    [
      '"latest" in production',
      valid.replace('"1.4.2"', 'latest'),
      `${FILE}:5: image.tag: "latest" is refused: it moves, so a sync would not say which version runs; pin a release tag such as "1.4.2"`,
    ],
    [
      'bad YAML',
      'tier: production\nnamespace: [odoo-finder\n',
      `${FILE}:3: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ],
    ['duplicate key', valid + 'namespace: other\n', `${FILE}:7: namespace: is defined twice in the same map (duplicate key)`],
    ['missing required key', 'tier: production\nimage:\n  repository: r\n  tag: "1"\n', `${FILE}:1: namespace: is required`],
    [
      'value outside a choice',
      valid + 'service:\n  type: Ingress\n',
      `${FILE}:8: service.type: must be one of: ClusterIP, LoadBalancer, NodePort`,
    ],
    ['the default namespace', valid.replace('odoo-finder', 'default'), `${FILE}:2: namespace: "default" is refused: it belongs to the cluster; give the environment a namespace of its own`],
    ['empty file', '', `${FILE}: tier: is required`],
  ];

  test.each(cases)('%s', (_name, text, expected) => {
    expect(problemsOf(text).map(formatProblem)).toContain(expected);
  });

  test('all problems of a file are reported at once', () => {
    const problems = problemsOf(valid + 'autoscaling:\n  minReplicas: zero\nservice:\n  kind: x\n');
    expect(problems.map((p) => p.key)).toEqual(['autoscaling.minReplicas', 'service.kind']);
  });

  test('outside production an image needs at least a tag or a digest', () => {
    const problems = problemsOf('tier: staging\nnamespace: s\nimage:\n  repository: ghcr.io/ai-odoofinder/api\n', 'config/environments/staging.yaml');
    expect(problems.map(formatProblem)).toEqual([
      'config/environments/staging.yaml:4: image.tag: is missing: give image.tag (e.g. "1.4.2") or image.digest, so every sync deploys the same image',
    ]);
  });
});

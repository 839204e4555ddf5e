import { stringify } from 'yaml';
import { parseEnvironment } from '../../lib/config/load';
import { KUBERNETES_ONLY_KEYS } from '../../lib/config/target-constraints';
import { get } from '../../lib/validate/access';
import { committedEnvironment, minimalEnvironment } from '../support/env';

const COMPOSE = { tier: 'development', target: 'compose', namespace: 'odoo-finder-x', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' }, ingress: { enabled: true, host: 'x.example.com' } };

function problems(settings: object) {
  const result = parseEnvironment('config/environments/x.yaml', stringify(settings));
  return 'problems' in result ? result.problems : [];
}

/** `{a: {b: value}}` for the key `a.b`, merged into `base`. */
function withKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  return { ...base, [head]: rest.length === 0 ? value : withKey((base[head] as Record<string, unknown>) ?? {}, rest.join('.'), value) };
}

describe('target', () => {
  test('is kubernetes unless a file says compose; the committed local environment is compose', () => {
    expect(minimalEnvironment().target).toBe('kubernetes');
    expect(committedEnvironment('production').target).toBe('kubernetes');
    expect(committedEnvironment('local')).toMatchObject({ target: 'compose', tier: 'development', namespace: 'odoo-finder-local' });
    expect(problems(COMPOSE)).toEqual([]);
  });

  test('a compose environment refuses every Kubernetes-only key it writes, naming the key, its line and why', () => {
    // Valid values for each key: the Kubernetes defaults (or a valid choice where there is none).
    const defaults = minimalEnvironment();
    const fallback: Record<string, unknown> = { 'datastores.mode': 'in-cluster', 'datastores.postgresql.storageClassName': 'fast', 'datastores.redis.storageClassName': 'fast', 'datastores.backup.storageClassName': 'fast' };
    const keys = Object.keys(KUBERNETES_ONLY_KEYS);
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) {
      const value = fallback[key] ?? get(defaults, ...key.split('.'));
      expect([key, value]).not.toEqual([key, undefined]);
      const found = problems(withKey(COMPOSE, key, value));
      expect(found).toEqual([expect.objectContaining({ key, message: expect.stringContaining('means nothing with target "compose"'), line: expect.any(Number) })]);
    }
  });

  test('left out, the Kubernetes-only keys are simply not used', () => {
    const env = parseEnvironment('config/environments/x.yaml', stringify(COMPOSE));
    expect('environment' in env && env.environment.autoscaling.minReplicas).toBe(2);
  });

  test('the compose section is refused on Kubernetes', () => {
    expect(problems({ tier: 'staging', namespace: 'x', image: { repository: 'ghcr.io/a/b', tag: '1' }, compose: { httpPort: 8080 } })).toEqual([
      expect.objectContaining({ key: 'compose', message: 'applies to target "compose" only: remove it, or set target: compose' }),
    ]);
  });

  test('a compose environment is reached through nginx: ingress.enabled and ingress.host are required', () => {
    expect(problems({ ...COMPOSE, ingress: { enabled: false } })).toEqual([expect.objectContaining({ key: 'ingress.enabled', message: expect.stringContaining('must be true with target "compose"') })]);
    expect(problems({ ...COMPOSE, ingress: { enabled: true } })).toEqual([expect.objectContaining({ key: 'ingress.host' })]);
  });

  test('HTTP and HTTPS need two ports; production rules still apply', () => {
    expect(problems({ ...COMPOSE, compose: { httpPort: 8443, httpsPort: 8443 } })).toEqual([expect.objectContaining({ key: 'compose.httpsPort', message: 'is 8443, the same as compose.httpPort' })]);
    expect(problems({ ...COMPOSE, tier: 'production', image: { repository: 'ghcr.io/a/b', tag: 'latest' } })).toEqual([expect.objectContaining({ key: 'image.tag' })]);
    expect(problems({ ...COMPOSE, compose: { nginxImage: 'nginx:latest' } })).toEqual([expect.objectContaining({ key: 'compose.nginxImage' })]);
    expect(problems({ ...COMPOSE, target: 'swarm' })).toEqual([expect.objectContaining({ key: 'target', message: 'must be one of: kubernetes, compose' })]);
  });
});

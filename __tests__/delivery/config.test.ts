import { stringify } from 'yaml';
import { parseEnvironment } from '../../lib/config/load';
import { datastoreMode, autoSync, migrationTarget, redisUrlSecret } from '../../lib/delivery/settings';
import { committedEnvironment, find, manifestsOf, minimalEnvironment } from '../support/env';

const base = { tier: 'staging', namespace: 'odoo-finder-test', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' } };

/** The problems of a file, as "key: message" lines; fails when the file is valid. */
function problems(settings: object): string[] {
  const result = parseEnvironment('config/environments/test.yaml', stringify(settings));
  if (!('problems' in result)) throw new Error('expected the file to be refused');
  return result.problems.map((p) => `${p.file}: ${p.key}: ${p.message}`);
}

describe('delivery settings of an environment file', () => {
  test('datastores default to external in production and in-cluster elsewhere', () => {
    expect(datastoreMode(minimalEnvironment())).toBe('in-cluster');
    expect(datastoreMode(minimalEnvironment({ tier: 'development' }))).toBe('in-cluster');
    expect(datastoreMode(minimalEnvironment({ tier: 'production', ingress: { enabled: true, host: 'api.example.com' }, secrets: { redisUrl: { name: 'r', key: 'url' } } }))).toBe('external');
    expect(datastoreMode(minimalEnvironment({ datastores: { mode: 'external' }, secrets: { redisUrl: { name: 'r', key: 'url' } } }))).toBe('external');
  });

  test('Argo CD syncs automatically except in production, unless configured', () => {
    expect(autoSync(committedEnvironment('staging'))).toBe(true);
    expect(autoSync(committedEnvironment('production'))).toBe(false);
    expect(autoSync(minimalEnvironment({ argocd: { autoSync: false } }))).toBe(false);
    expect(autoSync(minimalEnvironment({ tier: 'production', ingress: { enabled: true, host: 'api.example.com' }, argocd: { autoSync: true }, secrets: { redisUrl: { name: 'r', key: 'url' } } }))).toBe(true);
  });

  test('the migration target is head unless a revision is pinned', () => {
    expect(migrationTarget(minimalEnvironment())).toBe('head');
    expect(migrationTarget(minimalEnvironment({ migrations: { targetRevision: '3f2a1b9c8d7e' } }))).toBe('3f2a1b9c8d7e');
  });

  test.each([['-1'], ['head-1'], ['+2'], ['ae10@head'], ['']])('a relative or malformed migration target %j is refused, naming file and key', (target) => {
    const found = problems({ ...base, migrations: { targetRevision: target } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^config\/environments\/test\.yaml: migrations\.targetRevision: .*relative steps such as "-1" are refused/);
  });

  test('"base" and "head" as a migration target are refused with the reason', () => {
    expect(problems({ ...base, migrations: { targetRevision: 'base' } })).toEqual([
      expect.stringMatching(/migrations\.targetRevision: "base" is refused: it would drop every table/),
    ]);
    expect(problems({ ...base, migrations: { targetRevision: 'head' } })).toEqual([expect.stringMatching(/migrations\.targetRevision: "head" means the default/)]);
  });

  test('Argo CD retries stay off while a migration hook exists: a retry re-runs the whole sync, migration included', () => {
    expect(problems({ ...base, argocd: { retry: { limit: 3 } } })).toEqual([
      expect.stringMatching(/^config\/environments\/test\.yaml: argocd\.retry\.limit: 3 is refused while migrations\.enabled is true: a retry re-runs the whole sync, migration hook included/),
    ]);
    expect(minimalEnvironment({ argocd: { retry: { limit: 3 } }, migrations: { enabled: false } }).argocd.retry.limit).toBe(3);
    expect(minimalEnvironment().argocd.retry.limit).toBe(0);
  });

  test('an Ingress needs a host', () => {
    expect(problems({ ...base, ingress: { enabled: true } })).toEqual([expect.stringMatching(/test\.yaml: ingress\.host: is required when ingress\.enabled is true/)]);
  });

  test('external datastores take REDIS_URL from a Secret: secrets.redisUrl, else redis-credentials/url', () => {
    expect(redisUrlSecret(minimalEnvironment({ datastores: { mode: 'external' } }))).toEqual({ name: 'redis-credentials', key: 'url' });
    expect(redisUrlSecret(minimalEnvironment({ datastores: { mode: 'external' }, secrets: { redisUrl: { name: 'cache', key: 'uri' } } }))).toEqual({ name: 'cache', key: 'uri' });
    expect(redisUrlSecret(minimalEnvironment())).toBeUndefined();
    const manifests = manifestsOf(minimalEnvironment({ datastores: { mode: 'external' } }));
    const env = (find(manifests, 'Deployment', 'ai-odoo-finder').spec as { template: { spec: { containers: { env: object[] }[] } } }).template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'url' } } });
    expect(find(manifests, 'ConfigMap', 'ai-odoo-finder-config').data).not.toHaveProperty('REDIS_URL');
  });

  test('a datastore image must be pinned', () => {
    expect(problems({ ...base, datastores: { redis: { image: 'redis:latest' } } })).toEqual([expect.stringMatching(/datastores\.redis\.image: "redis:latest" is not valid/)]);
    expect(problems({ ...base, datastores: { postgresql: { image: 'pgvector/pgvector' } } })).toEqual([
      expect.stringMatching(/datastores\.postgresql\.image: "pgvector\/pgvector" is not valid/),
    ]);
  });

  test('unknown keys in the new sections are refused', () => {
    expect(problems({ ...base, network: { prometheusNamespaces: {} } })).toEqual([expect.stringMatching(/network\.prometheusNamespaces: unknown key/)]);
    expect(problems({ ...base, datastores: { mode: 'managed' } })).toEqual([expect.stringMatching(/datastores\.mode: must be one of: in-cluster, external/)]);
  });

  test('a namespace selector may not be empty (it would admit every namespace)', () => {
    expect(problems({ ...base, network: { prometheusNamespace: {} } })).toEqual([expect.stringMatching(/network\.prometheusNamespace: /)]);
  });
});

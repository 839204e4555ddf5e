import { stringify } from 'yaml';
import { parseEnvironment } from '../../lib/config/load';
import { migrationTarget, redisUrlSecret } from '../../lib/delivery/settings';
import { tierPolicy } from '../../lib/config/tier-policy';
import { committedEnvironment, find, manifestsOf, minimalEnvironment } from '../support/env';

const base = { tier: 'staging', namespace: 'odoo-finder-test', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' } };

/** The problems of a file, as "key: message" lines; fails when the file is valid. */
function problems(settings: object): string[] {
  const result = parseEnvironment('config/environments/test.yaml', stringify(settings));
  if (!('problems' in result)) throw new Error('expected the file to be refused');
  return result.problems.map((p) => `${p.file}: ${p.key}: ${p.message}`);
}

describe('delivery settings of an environment file', () => {
  // The loader resolves tier defaults (lib/config/tier-policy.ts): readers see the value, never undefined.
  test('datastores default to external in production and in-cluster elsewhere', () => {
    expect(minimalEnvironment().datastores.mode).toBe('in-cluster');
    expect(minimalEnvironment({ tier: 'development' }).datastores.mode).toBe('in-cluster');
    expect(minimalEnvironment({ tier: 'production', ingress: { enabled: true, host: 'api.example.com' }, secrets: { redisUrl: { name: 'r', key: 'url' } } }).datastores.mode).toBe('external');
    expect(minimalEnvironment({ datastores: { mode: 'external' }, secrets: { redisUrl: { name: 'r', key: 'url' } } }).datastores.mode).toBe('external');
  });

  test('Argo CD syncs automatically except in production, unless configured', () => {
    expect(committedEnvironment('staging').argocd.autoSync).toBe(true);
    expect(committedEnvironment('production').argocd.autoSync).toBe(false);
    expect(minimalEnvironment({ argocd: { autoSync: false } }).argocd.autoSync).toBe(false);
    expect(minimalEnvironment({ tier: 'production', ingress: { enabled: true, host: 'api.example.com' }, argocd: { autoSync: true }, secrets: { redisUrl: { name: 'r', key: 'url' } } }).argocd.autoSync).toBe(true);
  });

  test('with an in-cluster backup the name leaves room for the CronJob Application "ai-odoo-finder-<env>-cron" (a label value, at most 63 characters)', () => {
    const name = (n: number) => `e${'x'.repeat(n - 1)}`;
    expect(() => minimalEnvironment({}, name(43))).not.toThrow();
    expect(() => minimalEnvironment({}, name(44))).toThrow(
      `datastores.backup.enabled: needs an environment name of at most 43 characters ("${name(44)}" has 44): the backup CronJob has an Argo CD Application of its own, "ai-odoo-finder-${name(44)}-cron"`,
    );
    expect(() => minimalEnvironment({ datastores: { backup: { enabled: false } } }, name(48))).not.toThrow();
  });

  test('alert levels are complete after loading: the tier\'s receivers, then the levels the file sets', () => {
    expect(committedEnvironment('production').monitoring.alertmanager.levels).toEqual(tierPolicy('production').defaults.levelReceivers);
    expect(minimalEnvironment({ monitoring: { alertmanager: { levels: { P4: 'none' } } } }).monitoring.alertmanager.levels).toEqual({ P1: 'ticket', P2: 'ticket', P3: 'ticket', P4: 'none' });
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

  test('REDIS_URL always comes from a Secret: secrets.redisUrl, else key url of the in-cluster password\'s Secret, else redis-credentials/url', () => {
    expect(redisUrlSecret(minimalEnvironment({ datastores: { mode: 'external' } }))).toEqual({ name: 'redis-credentials', key: 'url' });
    expect(redisUrlSecret(minimalEnvironment({ datastores: { mode: 'external' }, secrets: { redisUrl: { name: 'cache', key: 'uri' } } }))).toEqual({ name: 'cache', key: 'uri' });
    expect(redisUrlSecret(minimalEnvironment())).toEqual({ name: 'redis-credentials', key: 'url' });
    expect(redisUrlSecret(minimalEnvironment({ datastores: { redis: { password: { name: 'cache', key: 'secret' } } } }))).toEqual({ name: 'cache', key: 'url' });
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

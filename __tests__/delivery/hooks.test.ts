import { HOOKS } from '../../lib/delivery/constants';
import { databaseUrlSecret } from '../../lib/delivery/settings';
import { podTemplates } from '../../lib/manifests/rendered-pods';
import { Manifest } from '../../lib/synth/render';
import { committedEnvironment, find, findAll, manifestsOf, minimalEnvironment } from '../support/env';
import { annotation, waveOf } from '../support/delivery';

type JobSpec = { backoffLimit: number; activeDeadlineSeconds: number; template: { spec: { serviceAccountName: string; restartPolicy: string; containers: { command: string[]; image: string; env: unknown[] }[] } } };
const jobSpec = (m: Manifest) => m.spec as JobSpec;

describe.each([['staging'], ['production']])('sync hooks of %s', (envName) => {
  const env = committedEnvironment(envName);
  const manifests = manifestsOf(env);
  const migration = find(manifests, 'Job', HOOKS.migration.name);
  const smoke = find(manifests, 'Job', HOOKS.smokeTest.name);

  test('the migration is a Sync hook, recreated on every sync, never retried, with a deadline', () => {
    expect(annotation(migration, 'argocd.argoproj.io/hook')).toBe('Sync');
    expect(annotation(migration, 'argocd.argoproj.io/hook-delete-policy')).toBe('BeforeHookCreation');
    expect(jobSpec(migration).backoffLimit).toBe(0);
    expect(jobSpec(migration).activeDeadlineSeconds).toBe(900);
    expect(jobSpec(migration).template.spec.restartPolicy).toBe('Never');
    expect(jobSpec(migration).template.spec.containers[0].command).toEqual(['alembic', 'upgrade', 'head']);
    expect(jobSpec(migration).template.spec.containers[0].image).toBe('ghcr.io/ai-odoofinder/api:1.4.2');
  });

  test('the migration runs after everything it needs and before the API rolls out', () => {
    const wave = waveOf(migration);
    const sa = find(manifests, 'ServiceAccount', jobSpec(migration).template.spec.serviceAccountName);
    const needs = [
      find(manifests, 'Namespace'),
      sa,
      ...findAll(manifests, 'NetworkPolicy'),
      ...findAll(manifests, 'ExternalSecret'),
      ...findAll(manifests, 'StatefulSet'),
    ];
    for (const m of needs) expect({ object: `${m.kind}/${m.metadata.name}`, before: waveOf(m) < wave }).toEqual({ object: `${m.kind}/${m.metadata.name}`, before: true });
    expect(waveOf(find(manifests, 'Deployment', 'ai-odoo-finder'))).toBeGreaterThan(wave);
    // PreSync would run before the Namespace, ServiceAccount and Secrets exist on a first sync.
    expect(findAll(manifests, 'Job').map((j) => annotation(j, 'argocd.argoproj.io/hook'))).not.toContain('PreSync');
  });

  test('the migration reads DATABASE_URL from the configured Secret key', () => {
    expect(jobSpec(migration).template.spec.containers[0].env).toContainEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: databaseUrlSecret(env) },
    });
  });

  test('the smoke test is a PostSync hook that checks /health and one real search through the Service that serves only the new version', () => {
    expect(annotation(smoke, 'argocd.argoproj.io/hook')).toBe('PostSync');
    expect(annotation(smoke, 'argocd.argoproj.io/hook-delete-policy')).toBe('BeforeHookCreation');
    expect(jobSpec(smoke).backoffLimit).toBe(0);
    const command = jobSpec(smoke).template.spec.containers[0].command;
    expect(command.slice(0, 2)).toEqual(['python3', '-c']);
    expect(command[2]).toContain('"/health"');
    // With a canary, Service/ai-odoo-finder selects the old pods too for 30 s after the Rollout turns Healthy (scaleDownDelaySeconds
    // with traffic routing); the stable Service selects only the promoted ones by then (the controller adds their pod-template hash).
    const rollout = findAll(manifests, 'Rollout')[0] as unknown as { spec: { strategy: { canary: { stableService: string } } } } | undefined;
    const service = rollout ? rollout.spec.strategy.canary.stableService : 'ai-odoo-finder';
    expect(service).toBe(envName === 'production' ? 'ai-odoo-finder-stable' : 'ai-odoo-finder');
    expect(command.slice(3)).toEqual([`http://${service}:80`, '/api/v1/search?q=sale&limit=1', String(jobSpec(smoke).activeDeadlineSeconds - 30)]);
    expect(find(manifests, 'Service', service).spec).toMatchObject({ ports: [{ port: 80 }] });
  });

  test('hook pods use a ServiceAccount of their own without a token', () => {
    for (const job of [migration, smoke]) {
      const name = jobSpec(job).template.spec.serviceAccountName;
      expect(name).toBe(HOOKS.serviceAccount);
      expect(find(manifests, 'ServiceAccount', name)).toMatchObject({ automountServiceAccountToken: false });
    }
    for (const pod of podTemplates([migration, smoke])) expect(pod.spec.automountServiceAccountToken).toBe(false);
  });
});

describe('hook settings', () => {
  test('the search of the smoke test and the deadlines come from the config', () => {
    const manifests = manifestsOf(minimalEnvironment({ smokeTest: { searchPath: '/api/v2/search?q=crm', activeDeadlineSeconds: 60 }, migrations: { activeDeadlineSeconds: 120 } }));
    expect(jobSpec(find(manifests, 'Job', HOOKS.smokeTest.name)).template.spec.containers[0].command[4]).toBe('/api/v2/search?q=crm');
    expect(jobSpec(find(manifests, 'Job', HOOKS.smokeTest.name)).activeDeadlineSeconds).toBe(60);
    expect(jobSpec(find(manifests, 'Job', HOOKS.smokeTest.name)).template.spec.containers[0].command[5]).toBe('30');
    expect(jobSpec(find(manifests, 'Job', HOOKS.migration.name)).activeDeadlineSeconds).toBe(120);
  });

  test('disabled hooks render no Job and, with both off, no hook ServiceAccount', () => {
    const manifests = manifestsOf(minimalEnvironment({ migrations: { enabled: false }, smokeTest: { enabled: false } }));
    expect(findAll(manifests, 'Job')).toEqual([]);
    expect(findAll(manifests, 'ServiceAccount').map((s) => s.metadata.name)).not.toContain(HOOKS.serviceAccount);
  });
});

import { pinnedImageVersion } from '../../lib/image';
import { podTemplates } from '../../lib/manifests/rendered-pods';
import { Manifest } from '../../lib/synth/render';
import { committedEnvironment, find, findAll, manifestsOf, minimalEnvironment } from '../support/env';
import { waveOf } from '../support/delivery';

type Container = { image: string; args?: string[]; command?: string[]; env?: { name: string; value?: string; valueFrom?: unknown }[]; readinessProbe?: { exec: { command: string[] } }; livenessProbe?: { exec?: { command: string[] }; tcpSocket?: object }; startupProbe?: unknown; volumeMounts: { name: string; mountPath: string }[]; resources: unknown; ports: { containerPort: number }[] };
type StsSpec = { replicas: number; serviceName: string; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { securityContext: { runAsUser: number }; containers: Container[]; volumes: { name: string; emptyDir?: object; configMap?: { name: string } }[] } }; volumeClaimTemplates: { metadata: { name: string }; spec: { resources: { requests: { storage: string } }; storageClassName?: string } }[] };
const sts = (m: Manifest) => m.spec as StsSpec;

describe('in-cluster datastores (staging)', () => {
  const manifests = manifestsOf(committedEnvironment('staging'));
  const pg = sts(find(manifests, 'StatefulSet', 'postgresql'));
  const redis = sts(find(manifests, 'StatefulSet', 'redis'));

  test('PostgreSQL: pinned pgvector image as uid 999, data on a claim template, probes with pg_isready', () => {
    const c = pg.template.spec.containers[0];
    expect(c.image).toBe('pgvector/pgvector:0.8.0-pg16');
    expect(pg.template.spec.securityContext.runAsUser).toBe(999);
    expect(pg.volumeClaimTemplates).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'data' }), spec: expect.objectContaining({ resources: { requests: { storage: '10Gi' } } }) })]);
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(c.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(c.readinessProbe!.exec.command[0]).toBe('pg_isready');
    expect(c.startupProbe).toEqual(expect.objectContaining({ exec: c.readinessProbe!.exec }));
    // Liveness differs from readiness: a slow query must not get the database restarted.
    expect(c.livenessProbe).toEqual(expect.objectContaining({ tcpSocket: { port: 'postgresql' } }));
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
  });

  test('PostgreSQL: writable socket dir, /tmp and /dev/shm on a read-only root; the password only from a Secret', () => {
    const c = pg.template.spec.containers[0];
    const mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.mountPath, m.name]));
    const emptyDirs = pg.template.spec.volumes.filter((v) => v.emptyDir).map((v) => v.name);
    for (const dir of ['/var/run/postgresql', '/tmp', '/dev/shm']) expect(emptyDirs).toContain(mounts[dir]);
    expect(c.env!.find((e) => e.name === 'POSTGRES_PASSWORD')).toEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgresql-credentials', key: 'password' } } });
  });

  test('PostgreSQL creates the vector extension on first start', () => {
    const init = pg.template.spec.volumes.find((v) => v.configMap)!;
    expect(find(manifests, 'ConfigMap', init.configMap!.name).data).toEqual({ '10-pgvector.sql': 'CREATE EXTENSION IF NOT EXISTS vector;\n' });
    expect(pg.template.spec.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: init.name, mountPath: '/docker-entrypoint-initdb.d' }));
  });

  test('Redis: pinned image as uid 999, AOF on a claim template, redis-cli ping probes, maxmemory below the limit', () => {
    const c = redis.template.spec.containers[0];
    expect(c.image).toBe('redis:7.4.1-alpine');
    expect(redis.template.spec.securityContext.runAsUser).toBe(999);
    expect(c.args).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--dir', '/data', '--maxmemory', '200mb']));
    expect(redis.volumeClaimTemplates.map((v) => v.metadata.name)).toEqual(['data']);
    expect(c.readinessProbe!.exec.command).toEqual(['redis-cli', '-e', '-h', '127.0.0.1', '-p', '6379', 'ping']);
    expect(c.livenessProbe).toEqual(expect.objectContaining({ tcpSocket: { port: 'redis' } }));
  });

  test('each StatefulSet has a headless Service of its name and a PDB selecting its pods', () => {
    for (const [name, port] of [['postgresql', 5432], ['redis', 6379]] as const) {
      const set = sts(find(manifests, 'StatefulSet', name));
      const svc = find(manifests, 'Service', name).spec as { clusterIP: string; selector: Record<string, string>; ports: { port: number }[] };
      expect(set.serviceName).toBe(name);
      expect(svc.clusterIP).toBe('None');
      expect(svc.selector).toEqual(set.selector.matchLabels);
      expect(svc.ports.map((p) => p.port)).toEqual([port]);
      expect((find(manifests, 'PodDisruptionBudget', name).spec as { selector: { matchLabels: object } }).selector.matchLabels).toEqual(set.selector.matchLabels);
    }
  });

  test('the API takes REDIS_URL, password included, from key url of the Redis password\'s Secret, never from its ConfigMap', () => {
    expect(find(manifests, 'ConfigMap', 'ai-odoo-finder-config').data).not.toHaveProperty('REDIS_URL');
    const api = (find(manifests, 'Deployment', 'ai-odoo-finder').spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0];
    expect(api.env).toContainEqual({ name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'url' } } });
  });

  test('datastores are synced after their prerequisites and before the migration', () => {
    expect.hasAssertions();
    for (const s of findAll(manifests, 'StatefulSet')) {
      expect(waveOf(s)).toBeGreaterThan(waveOf(find(manifests, 'ServiceAccount', 'datastores')));
      expect(waveOf(s)).toBeLessThan(waveOf(find(manifests, 'Job', 'ai-odoo-finder-migrate')));
    }
  });

  test('backup: a nightly pg_dump to its own claim, never overlapping, keeping the newest 7', () => {
    const cron = find(manifests, 'CronJob', 'postgresql-backup').spec as {
      schedule: string; concurrencyPolicy: string; timeZone: string;
      jobTemplate: { spec: { template: { spec: { containers: Container[]; volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[] } } } };
    };
    expect(cron).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC' });
    const pod = cron.jobTemplate.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe('pgvector/pgvector:0.8.0-pg16');
    expect(c.command!.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.command![2]).toContain('pg_dump --format=custom');
    expect(c.command!.slice(3)).toEqual(['backup', '7']);
    expect(c.env).toContainEqual({ name: 'PGHOST', value: 'postgresql' });
    expect(c.env).toContainEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'postgresql-credentials', key: 'password' } } });
    const claim = pod.volumes.find((v) => v.persistentVolumeClaim)!.persistentVolumeClaim!.claimName;
    const pvc = find(manifests, 'PersistentVolumeClaim', claim);
    expect(pvc.spec).toMatchObject({ resources: { requests: { storage: '20Gi' } } });
    expect(pvc.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
  });

  test('backup volume: bound during the sync, because the PostgreSQL pod of the same wave mounts it (read-only)', () => {
    const pvc = find(manifests, 'PersistentVolumeClaim', 'postgresql-backup');
    const volume = (pg.template.spec.volumes as { name: string; persistentVolumeClaim?: { claimName: string } }[]).find((v) => v.persistentVolumeClaim?.claimName === 'postgresql-backup');
    expect(volume).toBeDefined();
    expect(pg.template.spec.containers[0].volumeMounts).toContainEqual({ name: volume!.name, mountPath: '/backups', readOnly: true });
    expect(waveOf(pvc)).toBe(waveOf(find(manifests, 'StatefulSet', 'postgresql')));
  });

  test('backup pods run on the node of the PostgreSQL pod: the volume is ReadWriteOnce', () => {
    const cron = find(manifests, 'CronJob', 'postgresql-backup').spec as { jobTemplate: { spec: { template: { spec: { affinity: unknown } } } } };
    expect(find(manifests, 'PersistentVolumeClaim', 'postgresql-backup').spec).toMatchObject({ accessModes: ['ReadWriteOnce'] });
    expect(cron.jobTemplate.spec.template.spec.affinity).toEqual({
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: pg.selector.matchLabels }, topologyKey: 'kubernetes.io/hostname' }] },
    });
  });

  test('data survives Argo CD: PVCs made from claim templates carry no tracking label; StatefulSets and the backup volume are never pruned or deleted with the Application', () => {
    for (const set of [pg, redis]) {
      for (const t of set.volumeClaimTemplates) expect(Object.keys((t.metadata as unknown as { labels: object }).labels)).not.toContain('app.kubernetes.io/instance');
    }
    for (const m of [...findAll(manifests, 'StatefulSet'), ...findAll(manifests, 'PersistentVolumeClaim')]) {
      expect(m.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    }
  });

  test('sizes, storage classes, retention and schedule come from the config', () => {
    const m = manifestsOf(minimalEnvironment({ datastores: { postgresql: { storage: '50Gi', storageClassName: 'fast' }, backup: { keep: 3, schedule: '30 1 * * *', storageClassName: 'slow' } } }));
    expect(sts(find(m, 'StatefulSet', 'postgresql')).volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '50Gi' } } });
    const cron = find(m, 'CronJob', 'postgresql-backup').spec as { schedule: string; jobTemplate: { spec: { template: { spec: { containers: Container[] } } } } };
    expect(cron.schedule).toBe('30 1 * * *');
    expect(cron.jobTemplate.spec.template.spec.containers[0].command!.slice(3)).toEqual(['backup', '3']);
    const withoutBackup = manifestsOf(minimalEnvironment({ datastores: { backup: { enabled: false } } }));
    expect(findAll(withoutBackup, 'CronJob')).toEqual([]);
    expect(findAll(withoutBackup, 'PersistentVolumeClaim')).toEqual([]);
    expect(sts(find(withoutBackup, 'StatefulSet', 'postgresql')).template.spec.containers[0].volumeMounts.map((v) => v.mountPath)).not.toContain('/backups');
    expect(find(m, 'PersistentVolumeClaim', 'postgresql-backup').spec).toMatchObject({ storageClassName: 'slow' });
  });
});

describe('external datastores (production)', () => {
  const manifests = manifestsOf(committedEnvironment('production'));

  test('renders no StatefulSet, backup, volume or datastore Service (only the exporters monitoring the managed services)', () => {
    expect(findAll(manifests, 'StatefulSet')).toEqual([]);
    expect(findAll(manifests, 'CronJob')).toEqual([]);
    expect(findAll(manifests, 'PersistentVolumeClaim')).toEqual([]);
    // The API Service, the Rollout's stable and canary Services (production ships a canary), and the exporters monitoring the managed services.
    expect(findAll(manifests, 'Service').map((s) => s.metadata.name).sort()).toEqual(['ai-odoo-finder', 'ai-odoo-finder-canary', 'ai-odoo-finder-stable', 'postgresql-exporter', 'redis-exporter']);
    expect(podTemplates(manifests).map((p) => `${p.owner.kind}/${p.owner.metadata.name}`).sort()).toEqual([
      'Deployment/ai-odoo-finder',
      'Deployment/postgresql-exporter',
      'Deployment/redis-exporter',
      'Job/ai-odoo-finder-migrate',
      'Job/ai-odoo-finder-smoke-test',
    ]);
  });

  test('the API takes DATABASE_URL and REDIS_URL from Secrets', () => {
    const env = (find(manifests, 'Deployment', 'ai-odoo-finder').spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0].env!;
    expect(env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'url' } } });
    expect(env).toContainEqual({ name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'url' } } });
    expect(find(manifests, 'ConfigMap', 'ai-odoo-finder-config').data).not.toHaveProperty('REDIS_URL');
  });
});

describe('pinnedImageVersion: the version label of a datastore', () => {
  test('is the tag of the image reference, with or without a registry port or a digest', () => {
    expect(pinnedImageVersion('redis:7.4.1-alpine')).toBe('7.4.1-alpine');
    expect(pinnedImageVersion('pgvector/pgvector:0.8.0-pg16')).toBe('0.8.0-pg16');
    expect(pinnedImageVersion(`registry.local:5000/pg/pgvector:0.8.0-pg16@sha256:${'a'.repeat(64)}`)).toBe('0.8.0-pg16');
  });
});

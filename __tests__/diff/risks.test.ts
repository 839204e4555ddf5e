import { DistRepo, JsonReport, Obj, objectIn, risksOf } from './dist-repo';

// Each risk class of `npm run diff`, on a git repository holding a copy of the
// committed dist/: commit it, change one thing as a pull request would, and
// read the JSON report (`--head dist`: the working tree's dist/ as it is).

const STAGING = 'dist/staging';
const DEPLOYMENT = `${STAGING}/deployment-ai-odoo-finder.yaml`;
const STATEFULSET = `${STAGING}/statefulset-postgresql.yaml`;
const MIGRATION = `${STAGING}/job-ai-odoo-finder-migrate.yaml`;
const RULES = `${STAGING}/prometheusrule-ai-odoo-finder.yaml`;
const ROUTING = `${STAGING}/alertmanagerconfig-ai-odoo-finder.yaml`;
const BACKUP_PVC = `${STAGING}/persistentvolumeclaim-postgresql-backup.yaml`;

const repo = DistRepo.forFile();

/** Runs one change against the committed base and returns the report. */
function diffAfter(change: () => void, ...args: string[]): JsonReport {
  change();
  return repo.report(...args);
}

/** Commits the object without its sync options, whatever the constructs put there (Prune=false on data). */
function withoutSyncOptions(file: string): void {
  repo.edit(file, (o) => delete o.metadata.annotations?.['argocd.argoproj.io/sync-options']);
  repo.commit(`${file} without sync options`);
}

function alertRule(rule: Obj, name: string): Obj {
  for (const group of rule.spec.groups) for (const r of group.rules) if (r.alert === name) return r;
  throw new Error(`no alert ${name}`);
}

test('an unchanged tree reports nothing, in every format', () => {
  const report = repo.report();
  expect(report.folders).toEqual([]);
  expect(report.unchanged).toEqual(expect.arrayContaining(['argocd', 'production', 'staging']));
  expect(repo.run('--head', 'dist').stdout).toMatch(/: no change\.\n$/);
  expect(repo.run('--head', 'dist', '--format', 'markdown').stdout).toContain('No change in dist/.');
  // The default head renders config/: the committed config renders the committed dist/.
  expect(repo.run().stdout).toMatch(/^the working tree \(rendered from config\/\), against HEAD \([0-9a-f]{7}; there is no origin\/main\): no change\.\n$/);
});

describe('rolls the pods', () => {
  test('a ConfigMap checksum on the pod template', () => {
    const report = diffAfter(() => repo.edit(DEPLOYMENT, (d) => (d.spec.template.metadata.annotations['checksum/config'] = 'f'.repeat(64))));
    const [message] = risksOf(objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder'), 'rolls-pods');
    expect(message).toContain('checksum/config: the configuration it hashes changed');
    expect(message).toContain('the sync replaces every pod of Deployment ai-odoo-finder');
    expect(report.folders[0].summary).toBe('staging: 1 changed; rolls the pods');
  });

  test('a Deployment run by an Argo Rollout (workloadRef): its canary replaces the pods, step by step', () => {
    repo.write(`${STAGING}/rollout-ai-odoo-finder.yaml`, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'ai-odoo-finder', namespace: 'odoo-finder-staging' },
      spec: {
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ai-odoo-finder' },
        strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '5m' } }, { analysis: { templates: [{ templateName: 'slo' }] } }, { pause: {} }] } },
      },
    });
    repo.commit('canary');
    const report = diffAfter(() => repo.edit(DEPLOYMENT, (d) => (d.spec.template.metadata.annotations['checksum/config'] = 'f'.repeat(64))));
    const [message] = risksOf(objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder'), 'rolls-pods');
    expect(message).toMatch(/; Rollout ai-odoo-finder replaces every pod through its canary \(20%, pause 5m, analysis, pause until promoted\)$/);
  });

  test('not for a change outside the template (the HPA owns replicas, labels of the Deployment itself)', () => {
    const report = diffAfter(() => repo.edit(DEPLOYMENT, (d) => (d.metadata.labels.team = 'search')));
    expect(objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder').risks).toEqual([]);
  });
});

describe('image change', () => {
  test('old → new tag, per container, and the pods roll', () => {
    const report = diffAfter(() =>
      repo.edit(DEPLOYMENT, (d) => {
        const api = d.spec.template.spec.containers.find((c: Obj) => c.name === 'api');
        api.image = api.image.replace(/:[^:/]+$/, ':1.5.0');
      }),
    );
    const deployment = objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder');
    expect(risksOf(deployment, 'image')).toEqual([expect.stringMatching(/^container api: ghcr\.io\/ai-odoofinder\/api \S+ → 1\.5\.0$/)]);
    expect(risksOf(deployment, 'rolls-pods')).toHaveLength(1);
    expect(deployment.fields).toEqual([expect.objectContaining({ path: 'spec.template.spec.containers[name=api].image', after: 'ghcr.io/ai-odoofinder/api:1.5.0' })]);
  });
});

describe('immutable field', () => {
  test('a Deployment selector', () => {
    const report = diffAfter(() => repo.edit(DEPLOYMENT, (d) => (d.spec.selector.matchLabels.tier = 'api')));
    const [message] = risksOf(objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder'), 'immutable');
    expect(message).toContain('spec.selector cannot change on an existing Deployment (pkg/registry/apps/deployment/strategy.go)');
  });

  test('StatefulSet volumeClaimTemplates: immutable, and the data is at risk', () => {
    const report = diffAfter(() => repo.edit(STATEFULSET, (s) => (s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '50Gi')));
    const statefulSet = objectIn(report, 'staging', 'StatefulSet', 'postgresql');
    expect(risksOf(statefulSet, 'immutable')).toEqual([expect.stringContaining('spec.volumeClaimTemplates cannot change on an existing StatefulSet (pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate)')]);
    expect(risksOf(statefulSet, 'immutable')[0]).toContain('--cascade=orphan');
    expect(risksOf(statefulSet, 'data')).toEqual([expect.stringContaining('volumeClaimTemplates changed')]);
  });

  test('but not the StatefulSet fields the API server lets change (replicas, template, updateStrategy)', () => {
    const report = diffAfter(() => repo.edit(STATEFULSET, (s) => (s.spec.updateStrategy = { type: 'OnDelete' })));
    expect(risksOf(objectIn(report, 'staging', 'StatefulSet', 'postgresql'), 'immutable')).toEqual([]);
  });

  test('a Service clusterIP (headless to ClusterIP)', () => {
    const report = diffAfter(() => repo.edit(`${STAGING}/service-postgresql.yaml`, (s) => delete s.spec.clusterIP));
    expect(risksOf(objectIn(report, 'staging', 'Service', 'postgresql'), 'immutable')).toEqual([expect.stringContaining('spec.clusterIP cannot change on an existing Service')]);
  });

  test('a plain Job template is immutable; a hook Job is re-created on each sync, so it is only noted', () => {
    const image = (j: Obj) => (j.spec.template.spec.containers[0].image = 'ghcr.io/ai-odoofinder/api:9.9.9');
    repo.write(`${STAGING}/job-one-off.yaml`, { ...repo.read(MIGRATION), metadata: { name: 'one-off', namespace: 'odoo-finder-staging' } });
    repo.commit('a plain Job');
    const report = diffAfter(() => {
      repo.edit(MIGRATION, image);
      repo.edit(`${STAGING}/job-one-off.yaml`, image);
    });
    const plain = objectIn(report, 'staging', 'Job', 'one-off');
    expect(risksOf(plain, 'immutable')).toEqual([expect.stringContaining('spec.template cannot change on an existing Job (pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate)')]);
    const hook = objectIn(report, 'staging', 'Job', 'ai-odoo-finder-migrate');
    expect(risksOf(hook, 'immutable')).toEqual([]);
    expect(hook.notes).toEqual([expect.stringContaining('Argo CD deletes the previous run and creates the Job again on every sync (BeforeHookCreation)')]);
  });

  test('a hook Job without BeforeHookCreation is flagged: its previous run may still be there', () => {
    repo.edit(MIGRATION, (j) => (j.metadata.annotations['argocd.argoproj.io/hook-delete-policy'] = 'HookSucceeded'));
    repo.commit('hook deleted on success only');
    const report = diffAfter(() => repo.edit(MIGRATION, (j) => (j.spec.template.spec.containers[0].args = ['upgrade', 'head'])));
    expect(risksOf(objectIn(report, 'staging', 'Job', 'ai-odoo-finder-migrate'), 'immutable')).toEqual([expect.stringContaining('hook Job without BeforeHookCreation')]);
  });

  test('a ConfigMap marked immutable: its data cannot change', () => {
    const file = `${STAGING}/configmap-ai-odoo-finder-config.yaml`;
    repo.edit(file, (c) => (c.immutable = true));
    repo.commit('immutable config');
    const report = diffAfter(() => repo.edit(file, (c) => (c.data.LOG_LEVEL = 'error')));
    expect(risksOf(objectIn(report, 'staging', 'ConfigMap', 'ai-odoo-finder-config'), 'immutable')).toEqual([expect.stringContaining('data.LOG_LEVEL cannot change on an existing ConfigMap (pkg/apis/core/validation/validation.go ValidateConfigMapUpdate)')]);
  });

  test('a PVC: storage may grow, never shrink; its storage class is fixed (re-creating it loses the data)', () => {
    const grow = diffAfter(() => repo.edit(BACKUP_PVC, (p) => (p.spec.resources.requests.storage = '40Gi')));
    expect(objectIn(grow, 'staging', 'PersistentVolumeClaim', 'postgresql-backup').risks).toEqual([]);
    const shrinkAndMove = diffAfter(() =>
      repo.edit(BACKUP_PVC, (p) => {
        p.spec.resources.requests.storage = '1Gi';
        p.spec.storageClassName = 'slow';
      }),
    );
    const pvc = objectIn(shrinkAndMove, 'staging', 'PersistentVolumeClaim', 'postgresql-backup');
    expect(risksOf(pvc, 'immutable')).toEqual([expect.stringContaining('spec.storageClassName, spec.resources cannot change on an existing PersistentVolumeClaim')]);
    expect(risksOf(pvc, 'data')).toEqual([expect.stringContaining('a new, empty volume')]);
  });
});

describe('availability at risk: a new secret-store entry', () => {
  const API_KEYS = `${STAGING}/externalsecret-api-keys.yaml`;

  test('an ExternalSecret that reads a new property names what must be in the store before the sync', () => {
    const report = diffAfter(() => repo.edit(API_KEYS, (e) => e.spec.data.push({ secretKey: 'voyage', remoteRef: { key: 'ai-odoo-finder/staging/api-keys', property: 'voyage' } })));
    expect(risksOf(objectIn(report, 'staging', 'ExternalSecret', 'api-keys'), 'availability')).toEqual([
      'ExternalSecret api-keys reads "ai-odoo-finder/staging/api-keys property voyage" from ClusterSecretStore ai-odoo-finder, which it did not read before: put it in the store before the sync. Otherwise it keeps its old Secret, without the new values, and the pods that need them fail',
    ]);
  });

  test('so does an ExternalSecret moved to another store, for every entry (external-secrets fetches from the store its secretStoreRef names)', () => {
    const report = diffAfter(() => repo.edit(API_KEYS, (e) => (e.spec.secretStoreRef.name = 'vault')));
    expect(risksOf(objectIn(report, 'staging', 'ExternalSecret', 'api-keys'), 'availability')).toEqual([
      expect.stringContaining('reads "ai-odoo-finder/staging/api-keys property anthropic", "ai-odoo-finder/staging/api-keys property openai" from ClusterSecretStore vault'),
    ]);
  });

  test('so does a new ExternalSecret, for every entry it reads', () => {
    const copy = repo.read(API_KEYS);
    const report = diffAfter(() => repo.write(`${STAGING}/externalsecret-cache.yaml`, { ...copy, metadata: { ...copy.metadata, name: 'cache' } }));
    expect(risksOf(objectIn(report, 'staging', 'ExternalSecret', 'cache'), 'availability')).toEqual([
      expect.stringMatching(/reads "ai-odoo-finder\/staging\/api-keys property anthropic", "ai-odoo-finder\/staging\/api-keys property openai" from ClusterSecretStore ai-odoo-finder, .* it never becomes Ready, the sync stops at its wave/),
    ]);
  });

  test('a change that reads nothing new (the refresh interval) is no such risk', () => {
    const report = diffAfter(() => repo.edit(API_KEYS, (e) => (e.spec.refreshInterval = '5m')));
    expect(risksOf(objectIn(report, 'staging', 'ExternalSecret', 'api-keys'), 'availability')).toEqual([]);
  });
});

describe('data at risk', () => {
  test('a PVC removed: Prune=false keeps it, and the report says so', () => {
    repo.edit(BACKUP_PVC, (p) => (p.metadata.annotations['argocd.argoproj.io/sync-options'] = 'Prune=false'));
    repo.commit('keep the backups');
    const report = diffAfter(() => repo.remove(BACKUP_PVC));
    const pvc = objectIn(report, 'staging', 'PersistentVolumeClaim', 'postgresql-backup');
    expect(pvc.change).toBe('removed');
    expect(risksOf(pvc, 'data')).toEqual([expect.stringContaining('its volume and data go too')]);
    expect(pvc.prune).toMatch(/^not pruned \(its annotation says Prune=false\)/);
  });

  test('a StatefulSet removed: its PVCs are retained; without Prune=false staging\'s automatic sync prunes it', () => {
    withoutSyncOptions(STATEFULSET);
    const report = diffAfter(() => repo.remove(STATEFULSET));
    const statefulSet = objectIn(report, 'staging', 'StatefulSet', 'postgresql');
    expect(risksOf(statefulSet, 'data')).toEqual([expect.stringMatching(/its pods stop; the PVCs of its volumeClaimTemplates \(data\) stay \(persistentVolumeClaimRetentionPolicy.whenDeleted: Retain\)/)]);
    expect(statefulSet.prune).toBe('pruned by the next automatic sync of ai-odoo-finder-staging');
  });

  test('a Namespace removed: everything in it goes; production syncs by hand', () => {
    const namespace = 'dist/production/namespace-odoo-finder.yaml';
    withoutSyncOptions(namespace);
    const report = diffAfter(() => repo.remove(namespace));
    const ns = objectIn(report, 'production', 'Namespace', 'odoo-finder');
    expect(risksOf(ns, 'data')).toEqual([expect.stringContaining('deletes every object in it, PersistentVolumeClaims and their data included')]);
    expect(ns.prune).toBe('pruned when someone syncs ai-odoo-finder-production with Prune ticked (manual sync)');
  });

  test('prune as the Application says: automated without prune, the Prune=false and Prune=confirm sync options', () => {
    const app = 'dist/argocd/application-ai-odoo-finder-staging.yaml';
    const pruneOf = (setup: (a: Obj) => void) => {
      repo.edit(app, setup);
      repo.remove(`${STAGING}/service-redis.yaml`);
      const prune = objectIn(repo.report(), 'staging', 'Service', 'redis').prune;
      repo.reset(repo.base);
      return prune;
    };
    expect(pruneOf((a) => (a.spec.syncPolicy.automated.prune = false))).toMatch(/^not pruned automatically \(ai-odoo-finder-staging: automated.prune is off\)/);
    expect(pruneOf((a) => a.spec.syncPolicy.syncOptions.push('Prune=false'))).toMatch(/^not pruned \(Application ai-odoo-finder-staging has the sync option Prune=false\)/);
    expect(pruneOf((a) => a.spec.syncPolicy.syncOptions.push('Prune=confirm'))).toMatch(/, once someone confirms the pruning \(Prune=confirm\)$/);
  });

  test('an object removed is pruned by the Application that deploys its file: the CronJob by its own', () => {
    const report = diffAfter(() => repo.remove('dist/staging/cronjob-postgresql-backup.yaml'));
    expect(objectIn(report, 'staging', 'CronJob', 'postgresql-backup').prune).toBe('pruned by the next automatic sync of ai-odoo-finder-staging-cron');
  });

  test('a hook removed is not pruned by Argo CD', () => {
    const report = diffAfter(() => repo.remove(MIGRATION));
    expect(objectIn(report, 'staging', 'Job', 'ai-odoo-finder-migrate').prune).toMatch(/^a hook: Argo CD neither runs it again nor prunes it/);
  });

  test('a whole environment removed: its Application goes too; without the resources finalizer its objects stay, Delete=false ones in any case', () => {
    repo.edit(BACKUP_PVC, (p) => (p.metadata.annotations['argocd.argoproj.io/sync-options'] = 'Prune=false,Delete=false'));
    repo.commit('keep the backups');
    const report = diffAfter(() => {
      repo.remove(STAGING);
      repo.remove('dist/argocd/application-ai-odoo-finder-staging.yaml');
      repo.remove('dist/argocd/application-ai-odoo-finder-staging-cron.yaml');
    });
    const staging = report.folders.find((f) => f.folder === 'staging')!;
    expect(staging.status).toBe('removed');
    // One note per Application of the folder: the environment's and its CronJobs'.
    expect(staging.notes).toEqual([
      expect.stringMatching(/^Application ai-odoo-finder-staging-cron is removed; without the resources-finalizer.argocd.argoproj.io its objects keep running/),
      expect.stringMatching(/^Application ai-odoo-finder-staging is removed; without the resources-finalizer.argocd.argoproj.io its objects keep running/),
    ]);
    expect(objectIn(report, 'staging', 'CronJob', 'postgresql-backup').prune).toBe('left running, unmanaged, when Application ai-odoo-finder-staging-cron goes (no resources finalizer)');
    expect(staging.objects.every((o) => o.change === 'removed')).toBe(true);
    expect(objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder').prune).toBe('left running, unmanaged, when Application ai-odoo-finder-staging goes (no resources finalizer)');
    expect(objectIn(report, 'staging', 'PersistentVolumeClaim', 'postgresql-backup').prune).toBe('kept when the Application is deleted (Delete=false)');
  });
});

describe('alerting changed', () => {
  test('an alert threshold (expr), for: and severity; annotations alone are not flagged', () => {
    const report = diffAfter(() =>
      repo.edit(RULES, (r) => {
        const latency = alertRule(r, 'HighLatency');
        latency.expr = latency.expr.replace(/> 2$/, '> 3');
        latency.for = '10m';
        latency.labels.severity = 'critical';
        alertRule(r, 'HighErrorRate').annotations.summary = 'reworded';
      }),
    );
    const rules = objectIn(report, 'staging', 'PrometheusRule', 'ai-odoo-finder');
    expect(risksOf(rules, 'alerting')).toEqual(['alert HighLatency: expr (threshold included), for, labels severity']);
    const expr = rules.fields.find((f) => f.path.endsWith('[alert=HighLatency].expr'));
    expect(expr).toMatchObject({ lines: { removed: [') > 2'], added: [') > 3'] } });
  });

  test('an alert removed', () => {
    const report = diffAfter(() => repo.edit(RULES, (r) => (r.spec.groups = r.spec.groups.map((g: Obj) => ({ ...g, rules: g.rules.filter((x: Obj) => x.alert !== 'LowCacheHitRate') })))));
    expect(risksOf(objectIn(report, 'staging', 'PrometheusRule', 'ai-odoo-finder'), 'alerting')).toEqual(['alert LowCacheHitRate: removed']);
  });

  test('rules changed alike are one line', () => {
    const report = diffAfter(() =>
      repo.edit(RULES, (r) => {
        for (const name of ['HighLatency', 'HighErrorRate']) alertRule(r, name).labels.team = 'search';
      }),
    );
    expect(risksOf(objectIn(report, 'staging', 'PrometheusRule', 'ai-odoo-finder'), 'alerting')).toEqual(['2 alerts (HighLatency, HighErrorRate): labels team']);
  });

  test('a rule group removed names its alerts', () => {
    const report = diffAfter(() => repo.edit(RULES, (r) => (r.spec.groups = r.spec.groups.filter((g: Obj) => !g.rules.some((x: Obj) => x.alert === 'HighLatency')))));
    expect(risksOf(objectIn(report, 'staging', 'PrometheusRule', 'ai-odoo-finder'), 'alerting')).toEqual([expect.stringMatching(/^group \S+: removed with alerts (\w+, )*HighLatency(, \w+)*$/)]);
  });

  test('Alertmanager routing', () => {
    const report = diffAfter(() => repo.edit(ROUTING, (a) => (a.spec.route.groupWait = '5m')));
    expect(risksOf(objectIn(report, 'staging', 'AlertmanagerConfig', 'ai-odoo-finder'), 'alerting')).toEqual(['Alertmanager routing changed: spec.route.groupWait']);
  });

  test('the label Prometheus selects rules by; the version label is not one', () => {
    const report = diffAfter(() =>
      repo.edit(RULES, (r) => {
        r.metadata.labels.release = 'other';
        r.metadata.labels['app.kubernetes.io/version'] = '9.9.9';
      }),
    );
    expect(risksOf(objectIn(report, 'staging', 'PrometheusRule', 'ai-odoo-finder'), 'alerting')).toEqual([expect.stringMatching(/^PrometheusRule ai-odoo-finder: label release changed/)]);
  });
});

describe('security', () => {
  test('a container securityContext', () => {
    const report = diffAfter(() => repo.edit(DEPLOYMENT, (d) => (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false)));
    expect(risksOf(objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder'), 'security')).toEqual([
      'securityContext: spec.template.spec.containers[name=api].securityContext.readOnlyRootFilesystem: true → false',
    ]);
  });

  test('a NetworkPolicy removed, RBAC added, an Ingress host changed, a Service exposed', () => {
    const report = diffAfter(() => {
      repo.remove(`${STAGING}/networkpolicy-default-deny.yaml`);
      repo.write(`${STAGING}/role-reader.yaml`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'odoo-finder-staging' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] });
      repo.edit(`${STAGING}/ingress-ai-odoo-finder.yaml`, (i) => (i.spec.rules[0].host = 'api.example.com'));
      repo.edit(`${STAGING}/service-ai-odoo-finder.yaml`, (s) => (s.spec.type = 'LoadBalancer'));
    });
    expect(risksOf(objectIn(report, 'staging', 'NetworkPolicy', 'default-deny'), 'security')).toEqual([expect.stringContaining('removed (network access): the traffic it restricted is no longer restricted by it')]);
    expect(risksOf(objectIn(report, 'staging', 'Role', 'reader'), 'security')).toEqual(['Role reader added (RBAC permissions)']);
    expect(risksOf(objectIn(report, 'staging', 'Ingress', 'ai-odoo-finder'), 'security')).toEqual(['Ingress ai-odoo-finder (exposure) changed: spec.rules[0]']);
    expect(risksOf(objectIn(report, 'staging', 'Service', 'ai-odoo-finder'), 'security')).toEqual(['Service ai-odoo-finder (exposure): spec.type: "ClusterIP" → "LoadBalancer"']);
  });

  test('a NetworkPolicy label change alone is not a security change', () => {
    const report = diffAfter(() => repo.edit(`${STAGING}/networkpolicy-default-deny.yaml`, (n) => (n.metadata.labels.team = 'search')));
    expect(objectIn(report, 'staging', 'NetworkPolicy', 'default-deny').risks).toEqual([]);
  });
});

describe('a Docker Compose folder (deploy.sh applies it, not Argo CD)', () => {
  test('the Compose file field by field: containers re-created, image, access; other files by lines', () => {
    const compose = (image: string, ports: string[]) => ({
      services: { api: { image, ports, read_only: true }, redis: { image: 'redis:7.4.1-alpine' } },
      volumes: { 'redis-data': {} },
    });
    repo.write('dist/demo/docker-compose.yml', compose('ghcr.io/ai-odoofinder/api:1.4.2', ['127.0.0.1:8000:8000']));
    repo.write('dist/demo/deploy.sh', '#!/bin/sh\nset -eu\ndocker compose up -d\n');
    repo.commit('a compose environment');
    const report = diffAfter(() => {
      repo.write('dist/demo/docker-compose.yml', { ...compose('ghcr.io/ai-odoofinder/api:1.4.3', ['0.0.0.0:8000:8000']), volumes: {} });
      repo.write('dist/demo/deploy.sh', '#!/bin/sh\nset -eu\ndocker compose up -d --wait\n');
    });
    const file = objectIn(report, 'demo', 'File', 'docker-compose.yml');
    expect(risksOf(file, 'rolls-pods')).toEqual(['deploy.sh (docker compose up) re-creates the containers of service api']);
    expect(risksOf(file, 'image')).toEqual(['service api: ghcr.io/ai-odoofinder/api 1.4.2 → 1.4.3']);
    expect(risksOf(file, 'security')).toEqual(['container access: service api ports']);
    expect(risksOf(file, 'data')).toEqual([expect.stringContaining('volume redis-data is no longer declared')]);
    expect(objectIn(report, 'demo', 'File', 'deploy.sh').fields).toEqual([expect.objectContaining({ lines: { removed: ['docker compose up -d'], added: ['docker compose up -d --wait'] } })]);
  });
});

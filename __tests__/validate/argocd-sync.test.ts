import { formatFinding } from '../../lib/validate/finding';
import { validateDist } from '../../lib/validate/validate';
import { cleanEnvironment, container, findingsOf, Obj, podSpec, schemaStore, summarize } from './fixtures';
import { TempProject } from './temp-project';

// What Argo CD does with dist/: prunes and deletes data, waits for health, retries hooks.

const NS = 'shop';
const KEEP = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };
const DB = { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'shop' };

function statefulSet(overrides: { claimLabels?: Obj; annotations?: Obj; volumes?: Obj[]; wave?: string } = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: NS, annotations: { ...KEEP, ...(overrides.wave ? { 'argocd.argoproj.io/sync-wave': overrides.wave } : {}), ...overrides.annotations } },
    spec: {
      serviceName: 'api',
      replicas: 1,
      selector: { matchLabels: DB },
      template: {
        metadata: { labels: DB },
        spec: podSpec({ serviceAccountName: undefined, containers: [container({ name: 'db', envFrom: [], env: [], volumeMounts: [{ name: 'data', mountPath: '/data' }, ...(overrides.volumes ?? []).map((v) => ({ name: v.name, mountPath: `/${v.name}` }))] })], volumes: overrides.volumes, topologySpreadConstraints: undefined }),
      },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: overrides.claimLabels ?? { 'app.kubernetes.io/name': 'db' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

function claim(annotations: Obj = KEEP, spec: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'backups', namespace: NS, annotations }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } };
}

function cronJob(): Obj {
  const spec = podSpec({ restartPolicy: 'Never', topologySpreadConstraints: undefined, volumes: [{ name: 'backups', persistentVolumeClaim: { claimName: 'backups' } }] });
  spec.containers[0].volumeMounts = [{ name: 'backups', mountPath: '/backups' }];
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: NS }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { metadata: { labels: { app: 'backup' } }, spec } } } } };
}

/** Findings of the rules under test only (the extra objects may break unrelated rules, e.g. `pdb`). */
const argocdFindings = (objects: Obj[]) => summarize(findingsOf([...cleanEnvironment(), ...objects])).filter((l) => /^argocd-(claim-tracking|keep-data|health|retry-hooks) /.test(l));

describe('argocd-claim-tracking', () => {
  it('a volumeClaimTemplate with the tracking label (the PVCs would be pruned)', () => {
    expect(argocdFindings([statefulSet()])).toEqual([]);
    expect(argocdFindings([statefulSet({ claimLabels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'shop' } })])).toEqual([
      'argocd-claim-tracking StatefulSet/shop/db spec.volumeClaimTemplates[0].metadata.labels["app.kubernetes.io/instance"]: error: volumeClaimTemplate "data" carries Argo CD\'s tracking label app.kubernetes.io/instance: the StatefulSet copies it onto its PVCs (no owner reference), and Argo CD prunes them as objects that left Git. Leave it out',
    ]);
  });

  it('... or the tracking annotation', () => {
    const set = statefulSet();
    set.spec.volumeClaimTemplates[0].metadata.annotations = { 'argocd.argoproj.io/tracking-id': 'shop:apps/StatefulSet:shop/db' };
    expect(argocdFindings([set])).toEqual([expect.stringMatching(/^argocd-claim-tracking .*annotations\["argocd.argoproj.io\/tracking-id"\]: error: volumeClaimTemplate "data" carries Argo CD's tracking annotation/)]);
  });
});

describe('argocd-keep-data', () => {
  it('the Namespace without Prune=false and Delete=false', () => {
    expect(argocdFindings([])).toEqual([]);
    const objects = cleanEnvironment();
    objects[0].metadata.annotations = { 'argocd.argoproj.io/sync-options': 'Prune=false' };
    expect(summarize(findingsOf(objects))).toEqual([
      'argocd-keep-data Namespace/shop metadata.annotations: error: Namespace "shop" holds data (deleting it deletes every PVC in it): add Delete=false (else deleting the Application, which argocd app delete cascades by default, deletes it) to argocd.argoproj.io/sync-options',
    ]);
  });

  it('a StatefulSet with volume claims, and a PVC, without them', () => {
    expect(argocdFindings([statefulSet({ annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' } })])).toEqual([
      'argocd-keep-data StatefulSet/shop/db metadata.annotations: error: StatefulSet "db" holds data: add Prune=false (else a removal from Git, or a rename, prunes it) and Delete=false (else deleting the Application, which argocd app delete cascades by default, deletes it) to argocd.argoproj.io/sync-options',
    ]);
    expect(argocdFindings([statefulSet({ volumes: [{ name: 'backups', persistentVolumeClaim: { claimName: 'backups' } }] }), claim({ 'argocd.argoproj.io/sync-options': 'Delete=false' })])).toEqual([
      'argocd-keep-data PersistentVolumeClaim/shop/backups metadata.annotations: error: PersistentVolumeClaim "backups" holds data: add Prune=false (else a removal from Git, or a rename, prunes it) to argocd.argoproj.io/sync-options',
    ]);
  });

  it('accepts confirm and white-space around the comma', () => {
    expect(argocdFindings([statefulSet({ annotations: { 'argocd.argoproj.io/sync-options': 'Prune=confirm , Delete=false' } })])).toEqual([]);
  });
});

describe('argocd-health', () => {
  it('a claim only a CronJob mounts stays Pending (WaitForFirstConsumer) and holds the sync', () => {
    expect(argocdFindings([claim(), cronJob()])).toEqual([
      'argocd-health PersistentVolumeClaim/shop/backups metadata.name: error: no pod that starts during the sync mounts it (only CronJob "backup", whose pods start later: on a schedule or as a hook): under a WaitForFirstConsumer StorageClass (the GKE, EKS and AKS default) it stays Pending, which Argo CD counts as Progressing (gitops-engine pkg/health/health_pvc.go) and the sync waits at wave 0 for ever, so later waves and PostSync hooks never run. Mount it in a workload of the same wave, or pre-bind it (spec.volumeName)',
    ]);
  });

  it('a claim a workload of its own wave mounts binds during the sync; a pre-bound claim needs no consumer', () => {
    const mounted = [{ name: 'backups', persistentVolumeClaim: { claimName: 'backups' } }];
    expect(argocdFindings([claim(), cronJob(), statefulSet({ volumes: mounted })])).toEqual([]);
    expect(argocdFindings([claim(KEEP, { volumeName: 'pv-backups' }), cronJob()])).toEqual([]);
  });

  it('a consumer in an earlier wave cannot start; one in a later wave comes too late', () => {
    const mounted = [{ name: 'backups', persistentVolumeClaim: { claimName: 'backups' } }];
    expect(argocdFindings([claim(), statefulSet({ volumes: mounted, wave: '-5' })])).toEqual([
      'argocd-health PersistentVolumeClaim/shop/backups metadata.name: error: StatefulSet "db" mounts it but cannot start before it exists (wave 0), so wave -5 never becomes Healthy: put the claim in the wave of the workload that mounts it',
    ]);
    expect(argocdFindings([claim(), statefulSet({ volumes: mounted, wave: '3' })])).toEqual([
      expect.stringMatching(/^argocd-health PersistentVolumeClaim\/shop\/backups metadata.name: error: its first consumer, StatefulSet "db", starts only in wave 3: .* so wave 0 never becomes Healthy/),
    ]);
  });

  it('a workload with replicas: 0 starts no pod', () => {
    const set = statefulSet({ volumes: [{ name: 'backups', persistentVolumeClaim: { claimName: 'backups' } }] });
    set.spec.replicas = 0;
    expect(argocdFindings([claim(), set])).toEqual([expect.stringMatching(/^argocd-health PersistentVolumeClaim\/shop\/backups metadata.name: error: no pod that starts during the sync mounts it \(only StatefulSet "db"/)]);
  });

  it('a pod that needs a ConfigMap of a later wave', () => {
    const objects = cleanEnvironment();
    objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'api-config')!.metadata.annotations = { 'argocd.argoproj.io/sync-wave': '5' };
    expect(summarize(findingsOf(objects))).toEqual([
      'argocd-health Deployment/shop/api spec.template.spec.containers[0].envFrom[0].configMapRef.name: error: ConfigMap "api-config" comes in wave 5, after this Deployment "api" (wave 0): its pods cannot start until it exists, so wave 0 never becomes Healthy. Move it to an earlier wave',
    ]);
  });

  it('a PreSync hook that needs the ServiceAccount and Secret of the Sync phase', () => {
    const hook = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: NS, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { template: { metadata: { labels: { app: 'migrate' } }, spec: podSpec({ restartPolicy: 'Never', topologySpreadConstraints: undefined, containers: [container({ envFrom: [] })] }) } },
    };
    const secret = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'api-keys', namespace: NS }, spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'store' }, data: [{ secretKey: 'openai', remoteRef: { key: 'k', property: 'p' } }] } };
    expect(argocdFindings([hook, secret])).toEqual([
      'argocd-health Job/shop/migrate spec.template.spec.serviceAccountName: error: ServiceAccount "api" comes in wave 0, after this PreSync hook Job "migrate" (PreSync wave 0): its pods cannot start until it exists, so PreSync wave 0 never becomes Healthy. Move it to an earlier wave',
      'argocd-health Job/shop/migrate spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: error: Secret "api-keys" (made by ExternalSecret "api-keys") comes in wave 0, after this PreSync hook Job "migrate" (PreSync wave 0): its pods cannot start until it exists, so PreSync wave 0 never becomes Healthy. Move the ExternalSecret to an earlier wave',
    ]);
  });
});

describe('argocd-retry-hooks', () => {
  let p: TempProject;
  const findings = (): string[] => validateDist(p.root, undefined, schemaStore()).findings.filter((f) => f.rule === 'argocd-retry-hooks').map(formatFinding);
  const application = (syncPolicy: Obj): Obj => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: NS }, source: { repoURL: 'https://example.com/r.git', path: 'dist/shop', targetRevision: 'main' }, syncPolicy },
  });
  const migration = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: NS, annotations: { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' } },
    spec: { template: { metadata: { labels: { app: 'migrate' } }, spec: podSpec({ restartPolicy: 'Never', topologySpreadConstraints: undefined }) } },
  };

  beforeEach(() => {
    p = new TempProject();
    p.write('config/environments/shop.yaml', 'tier: staging\n');
    cleanEnvironment().forEach((o, i) => p.write(`dist/shop/${i}-${String(o.kind).toLowerCase()}.yaml`, o));
    p.write('dist/shop/job-migrate.yaml', migration);
  });
  afterEach(() => p.dispose());

  it('retries of a folder with a Sync hook re-run it', () => {
    p.write('dist/argocd/application-shop.yaml', application({ retry: { limit: 5 } }));
    expect(findings()).toEqual([
      'dist/argocd/application-shop.yaml:17: Application/argocd/shop: spec.syncPolicy.retry.limit: error: Argo CD retries a failed sync as a whole, so Sync hook Job "migrate" of shop/ would run again after failing, up to 5 more times, before anyone looks at why: set spec.syncPolicy.retry.limit: 0 (argocd-retry-hooks)',
    ]);
  });

  it('an automated sync without spec.syncPolicy.retry is retried 5 times by default', () => {
    p.write('dist/argocd/application-shop.yaml', application({ automated: { prune: true } }));
    expect(findings()).toEqual([expect.stringMatching(/spec.syncPolicy: error: Argo CD retries a failed sync as a whole \(an automated sync without spec.syncPolicy.retry retries 5 times\)/)]);
  });

  it('no retries, a manual sync without retry, or no Sync hook: fine', () => {
    p.write('dist/argocd/application-shop.yaml', application({ automated: { prune: true }, retry: { limit: 0 } }));
    expect(findings()).toEqual([]);
    p.write('dist/argocd/application-shop.yaml', application({}));
    expect(findings()).toEqual([]);
    p.remove('dist/shop/job-migrate.yaml');
    p.write('dist/argocd/application-shop.yaml', application({ retry: { limit: 5 } }));
    expect(findings()).toEqual([]);
  });
});

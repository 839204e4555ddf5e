import * as fs from 'fs';
import * as path from 'path';
import { ARGOCD } from '../../lib/argocd/constants';
import { descendantKinds } from '../../lib/argocd/resource-tree';
import { render } from '../../lib/synth/synthesize';
import { Manifest } from '../../lib/synth/render';
import { parse } from 'yaml';
import { committedEnvironment, distFolders, find, findAll, kubernetesEnvironmentNames, manifestsOf, minimalEnvironment, ROOT } from '../support/env';
import { argocdManifests, waveOf } from '../support/delivery';

type AppSpec = {
  project: string;
  source: { repoURL: string; targetRevision: string; path: string };
  destination: { server: string; namespace: string };
  syncPolicy: { automated?: { prune: boolean; selfHeal: boolean }; syncOptions: string[]; retry: { limit: number; backoff?: { duration: string; factor: number; maxDuration: string } } };
  ignoreDifferences: { group: string; kind: string; name?: string; jsonPointers?: string[]; jqPathExpressions?: string[] }[];
};
type ProjectSpec = {
  sourceRepos: string[];
  destinations: { server: string; namespace: string }[];
  clusterResourceWhitelist: { group: string; kind: string }[];
  namespaceResourceWhitelist: { group: string; kind: string }[];
};

const envs = kubernetesEnvironmentNames().map(committedEnvironment);
const manifests = argocdManifests(envs);
const app = (env: string) => find(manifests, 'Application', ARGOCD.applicationName(env)).spec as AppSpec;
const project = find(manifests, 'AppProject', ARGOCD.project);
const groupKind = (m: Manifest) => `${m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : ''}/${m.kind}`;

describe('dist/argocd/', () => {
  test('holds the AppProject and one Application per Kubernetes environment (plus one for the CronJobs of those that have some), all in the argocd namespace', () => {
    const withCronJobs = envs.filter((e) => findAll(manifestsOf(e), 'CronJob').length > 0).map((e) => e.name);
    expect(withCronJobs).toContain('staging');
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(
      [
        'AppProject/ai-odoo-finder',
        ...envs.map((e) => `Application/${ARGOCD.applicationName(e.name)}`),
        ...withCronJobs.map((name) => `Application/${ARGOCD.cronApplicationName(name)}`),
      ].sort(),
    );
    for (const m of manifests) expect(m.metadata.namespace).toBe('argocd');
    expect(waveOf(project)).toBeLessThan(Math.min(...findAll(manifests, 'Application').map(waveOf)));
  });

  test('a full synth renders it as its own folder next to the environments it points at', () => {
    const folders = render({ root: ROOT });
    expect([...folders.keys()].sort()).toEqual(distFolders());
    expect(envs.length).toBeGreaterThan(0);
    for (const { name } of envs) {
      expect(app(name).source.path).toBe(`dist/${name}`);
      expect(folders.has(app(name).source.path.replace('dist/', ''))).toBe(true);
    }
    const onDisk = fs.readdirSync(path.join(ROOT, 'dist', 'argocd')).sort();
    expect(onDisk).toEqual([...folders.get('argocd')!.keys()].sort());
  });

  test('each Application deploys its folder to its namespace, from the configured repository and revision', () => {
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) {
      const spec = app(env.name);
      expect(spec.project).toBe(ARGOCD.project);
      expect(spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: env.namespace });
      expect(spec.source).toMatchObject({ repoURL: env.argocd.repoURL, targetRevision: env.argocd.targetRevision });
    }
    const custom = argocdManifests([minimalEnvironment({ argocd: { repoURL: 'git@github.com:acme/deploy.git', targetRevision: 'release-1' } })]);
    expect((find(custom, 'Application', 'ai-odoo-finder-test').spec as AppSpec).source).toMatchObject({ repoURL: 'git@github.com:acme/deploy.git', targetRevision: 'release-1' });
    expect((find(custom, 'AppProject').spec as ProjectSpec).sourceRepos).toEqual(['git@github.com:acme/deploy.git']);
  });

  test('CronJobs are deployed by an Application of their own, with the sync policy of the environment, a retry and one step', () => {
    const cron = find(manifests, 'Application', ARGOCD.cronApplicationName('staging')).spec as AppSpec & { source: { directory: Record<string, unknown> } };
    const main = app('staging') as AppSpec & { source: { directory: Record<string, unknown> } };
    const cronJobs = findAll(manifestsOf(committedEnvironment('staging')), 'CronJob').map((m) => `cronjob-${m.metadata.name}.yaml`);
    expect(cronJobs).toEqual(['cronjob-postgresql-backup.yaml']);
    expect(cron.source).toMatchObject({ path: main.source.path, repoURL: main.source.repoURL, targetRevision: main.source.targetRevision, directory: { include: cronJobs[0] } });
    expect(main.source.directory).toEqual({ exclude: cronJobs[0] });
    expect(cron.destination).toEqual(main.destination);
    expect(cron.syncPolicy.automated).toEqual(main.syncPolicy.automated);
    // The environment's Application (migration hook) never retries; the CronJob's, which has no hook and may sync
    // before that one has created the Namespace, does (rule argocd-namespace-retry).
    expect(main.syncPolicy.retry).toEqual({ limit: 0 });
    expect(cron.syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } });
    expect(cron.syncPolicy.syncOptions).not.toContain('PruneLast=true');
    // Its CronJob is tracked by it: the tracking label is the Application's name.
    expect(find(manifestsOf(committedEnvironment('staging')), 'CronJob').metadata.labels?.[ARGOCD.trackingLabel]).toBe(ARGOCD.cronApplicationName('staging'));
    // No CronJob, no second Application (production uses managed datastores).
    expect(findAll(manifests, 'Application').filter((a) => a.metadata.name.startsWith(ARGOCD.applicationName('production')))).toHaveLength(1);
  });

  test('staging syncs by itself with prune and self-heal; production waits for a person', () => {
    expect(app('staging').syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app('production').syncPolicy.automated).toBeUndefined();
  });

  test('automatic sync, prune and self-heal are configurable per environment', () => {
    const m = argocdManifests([minimalEnvironment({ argocd: { autoSync: true, selfHeal: false, prune: false } }, 'a'), minimalEnvironment({ argocd: { autoSync: false } }, 'b')]);
    expect((find(m, 'Application', 'ai-odoo-finder-a').spec as AppSpec).syncPolicy.automated).toEqual({ prune: false, selfHeal: false });
    expect((find(m, 'Application', 'ai-odoo-finder-b').spec as AppSpec).syncPolicy.automated).toBeUndefined();
  });

  test('failed syncs are not retried where a migration hook exists (explicitly: an automated sync without retry is retried 5 times)', () => {
    const withMigrations = envs.filter((e) => e.migrations.enabled);
    expect(withMigrations.map((e) => e.name)).toEqual(expect.arrayContaining(['production', 'staging']));
    for (const env of withMigrations) expect(app(env.name).syncPolicy.retry).toEqual({ limit: 0 });
    const noMigrations = argocdManifests([minimalEnvironment({ migrations: { enabled: false }, argocd: { retry: { limit: 4 } } })]);
    expect((find(noMigrations, 'Application', 'ai-odoo-finder-test').spec as AppSpec).syncPolicy.retry).toEqual({ limit: 4, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } });
  });

  test('the replica count owned by the HPA is ignored; the Deployment has none in Git, the Rollout only its starting count', () => {
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) {
      expect(app(env.name).ignoreDifferences).toContainEqual({ group: 'apps', kind: 'Deployment', name: 'ai-odoo-finder', jsonPointers: ['/spec/replicas'] });
      expect(app(env.name).syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
      const rendered = manifestsOf(env);
      const hpa = find(rendered, 'HorizontalPodAutoscaler', 'ai-odoo-finder').spec as { scaleTargetRef: { kind: string; name: string } };
      // A canary's HPA scales the Rollout, whose replica count is then ignored too.
      const target = env.delivery.strategy === 'canary' ? 'Rollout' : 'Deployment';
      expect(hpa.scaleTargetRef).toMatchObject({ kind: target, name: 'ai-odoo-finder' });
      expect(app(env.name).ignoreDifferences.filter((d) => d.kind === target && d.jsonPointers?.includes('/spec/replicas'))).toHaveLength(1);
      expect((find(rendered, 'Deployment', 'ai-odoo-finder').spec as { replicas?: number }).replicas).toBeUndefined();
      // The Rollout is created with the HPA's floor (else the controller starts it with 1 pod); RespectIgnoreDifferences
      // then applies the live count on every sync (argo-cd controller/sync.go normalizeTargetResources).
      for (const w of rendered.filter((m) => m.kind === 'Rollout')) {
        expect((w.spec as { replicas?: number }).replicas).toBe((hpa as unknown as { minReplicas: number }).minReplicas);
      }
    }
  });

  test('volumeClaimTemplate defaults are ignored only where StatefulSets are rendered', () => {
    const kinds = (env: string) => app(env).ignoreDifferences.map((d) => d.kind);
    expect(kinds('staging')).toContain('StatefulSet');
    expect(kinds('production')).not.toContain('StatefulSet');
  });

  test('the AppProject allows exactly the namespaces and kinds the environments render', () => {
    const rendered = envs.flatMap(manifestsOf);
    const spec = project.spec as ProjectSpec;
    expect(spec.destinations.map((d) => d.namespace).sort()).toEqual([...new Set(rendered.map((m) => m.metadata.namespace).filter(Boolean))].sort());
    expect(spec.destinations.every((d) => d.server === 'https://kubernetes.default.svc')).toBe(true);
    const allowed = (list: { group: string; kind: string }[]) => list.map((k) => `${k.group}/${k.kind}`).sort();
    // What they render, and what the cluster creates below it (else Argo CD leaves it out of the resource tree).
    const below = rendered.flatMap((m) => [...descendantKinds(m).keys()]);
    expect(allowed(spec.namespaceResourceWhitelist)).toEqual([...new Set([...rendered.filter((m) => m.metadata.namespace).map(groupKind), ...below])].sort());
    expect(allowed(spec.clusterResourceWhitelist)).toEqual(['/Namespace']);
    expect(allowed(spec.namespaceResourceWhitelist)).not.toContain('/Secret');
  });

  test('the AppProject lets Argo CD show the pods, ReplicaSets, Jobs, AnalysisRuns and Certificates below what the environments render', () => {
    // argo-cd controller/appcontroller.go getResourceTree drops a child whose kind the project does not permit,
    // and pod logs (UI, argocd app logs) are read from that tree.
    const allowed = (project.spec as ProjectSpec).namespaceResourceWhitelist.map((k) => `${k.group}/${k.kind}`);
    for (const kind of ['/Pod', 'apps/ReplicaSet', 'batch/Job', 'argoproj.io/AnalysisRun', 'cert-manager.io/Certificate']) {
      expect(allowed).toContain(kind);
    }
    // Argo CD's default resource.exclusions keep these out of its cache: whitelisting them would show nothing.
    for (const kind of ['discovery.k8s.io/EndpointSlice', '/Endpoints', 'cert-manager.io/CertificateRequest']) expect(allowed).not.toContain(kind);
  });

  test('the committed dist/argocd/ files are what the config renders', () => {
    expect(manifests.length).toBeGreaterThan(envs.length);
    for (const m of manifests) {
      const file = path.join(ROOT, 'dist', 'argocd', `${m.kind.toLowerCase()}-${m.metadata.name}.yaml`);
      expect(parse(fs.readFileSync(file, 'utf8'))).toEqual(m);
    }
  });
});

import { formatFinding } from '../../lib/validate/finding';
import { validateDist } from '../../lib/validate/validate';
import { cleanEnvironment, findingsOf, Obj, schemaStore, summarize } from './fixtures';
import { TempProject } from './temp-project';

const REPO = 'https://github.com/example/deploy.git';

function application(overrides: Obj = {}): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: { project: 'shop', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' }, source: { repoURL: REPO, path: 'dist/shop', targetRevision: 'main' }, ...overrides },
  };
}

function project(): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: {
      sourceRepos: [REPO],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}

describe('Argo CD Applications against the folders they deploy', () => {
  let p: TempProject;
  const findings = (): string[] => validateDist(p.root, undefined, schemaStore()).findings.map(formatFinding).map((l) => l.replace(/^[^ ]+ /, ''));

  beforeEach(() => {
    p = new TempProject();
    p.write('config/environments/shop.yaml', 'tier: staging\n');
    cleanEnvironment().forEach((o, i) => p.write(`dist/shop/${i}-${String(o.kind).toLowerCase()}.yaml`, o));
    p.write('dist/argocd/application-shop.yaml', application());
    p.write('dist/argocd/appproject-shop.yaml', project());
  });
  afterEach(() => p.dispose());

  it('accept an Application whose project permits everything in its folder', () => {
    expect(findings()).toEqual([]);
  });

  it('a kind the AppProject does not whitelist', () => {
    const narrow = project();
    narrow.spec.namespaceResourceWhitelist = [
      { group: 'apps', kind: 'Deployment' },
      { group: 'apps', kind: 'ReplicaSet' },
      { group: '', kind: '*' },
      { group: '*', kind: 'HorizontalPodAutoscaler' },
      { group: 'policy', kind: '*' },
      { group: 'networking.k8s.io', kind: '*' },
    ];
    p.write('dist/argocd/appproject-shop.yaml', narrow);
    expect(findings()).toEqual([
      'Application/argocd/shop: spec.project: error: AppProject "shop" does not permit PrometheusRule (group "monitoring.coreos.com", in dist/shop/10-prometheusrule.yaml): add it to spec.namespaceResourceWhitelist (argocd-resource)',
      'Application/argocd/shop: spec.project: error: AppProject "shop" does not permit ServiceMonitor (group "monitoring.coreos.com", in dist/shop/9-servicemonitor.yaml): add it to spec.namespaceResourceWhitelist (argocd-resource)',
    ]);
  });

  it('a kind the cluster creates below a rendered object must be whitelisted too, or Argo CD hides it (argocd-resource-tree)', () => {
    const rendered = project();
    const kinds = (objects: Obj[]) => [...new Set(objects.filter((o) => o.metadata.namespace).map((o) => `${String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : ''}|${o.kind}`))];
    // Exactly what the folder renders, as the AppProject had it: pods and ReplicaSets are left out of the tree.
    rendered.spec.namespaceResourceWhitelist = kinds(cleanEnvironment()).map((k) => ({ group: k.split('|')[0], kind: k.split('|')[1] }));
    p.write('dist/argocd/appproject-shop.yaml', rendered);
    const tree = findings().filter((f) => f.endsWith('(argocd-resource-tree)'));
    expect(tree).toEqual([
      'Application/argocd/shop: spec.project: error: AppProject "shop" does not permit Pod (group ""), which the cluster creates under Deployment/api (Deployment → ReplicaSet → Pod): Argo CD leaves it and what is below it out of the resource tree, so neither the UI nor `argocd app logs` shows it; add it to spec.namespaceResourceWhitelist (argocd-resource-tree)',
      'Application/argocd/shop: spec.project: error: AppProject "shop" does not permit ReplicaSet (group "apps"), which the cluster creates under Deployment/api (Deployment → ReplicaSet): Argo CD leaves it and what is below it out of the resource tree, so neither the UI nor `argocd app logs` shows it; add it to spec.namespaceResourceWhitelist (argocd-resource-tree)',
    ]);
    expect(findings()).toEqual(tree);
    rendered.spec.namespaceResourceWhitelist.push({ group: 'apps', kind: 'ReplicaSet' }, { group: '', kind: 'Pod' });
    p.write('dist/argocd/appproject-shop.yaml', rendered);
    expect(findings()).toEqual([]);
  });

  it('cert-manager\'s objects are below an Ingress that asks it for a certificate', () => {
    const rendered = project();
    rendered.spec.namespaceResourceWhitelist = [{ group: '*', kind: '*' }];
    rendered.spec.namespaceResourceBlacklist = [{ group: 'cert-manager.io', kind: 'Certificate' }];
    p.write('dist/argocd/appproject-shop.yaml', rendered);
    expect(findings()).toEqual([]); // the fixture's Ingress does not ask cert-manager
    const ingress = cleanEnvironment().find((o) => o.kind === 'Ingress')!;
    ingress.metadata.annotations = { 'cert-manager.io/cluster-issuer': 'letsencrypt' };
    p.write('dist/shop/13-ingress.yaml', { ...ingress, metadata: { ...ingress.metadata, name: 'tls' } });
    expect(findings()).toEqual([
      'Application/argocd/shop: spec.project: error: AppProject "shop" does not permit Certificate (group "cert-manager.io"), which the cluster creates under Ingress/tls (Ingress → Certificate): Argo CD leaves it and what is below it out of the resource tree, so neither the UI nor `argocd app logs` shows it; add it to spec.namespaceResourceWhitelist (argocd-resource-tree)',
    ]);
  });

  it('a cluster-scoped kind needs a clusterResourceWhitelist entry', () => {
    const noNamespaces = project();
    delete noNamespaces.spec.clusterResourceWhitelist;
    p.write('dist/argocd/appproject-shop.yaml', noNamespaces);
    expect(findings()).toEqual([
      'Application/argocd/shop: spec.project: error: AppProject "shop" does not permit Namespace (group "", in dist/shop/0-namespace.yaml): add it to spec.clusterResourceWhitelist (argocd-resource)',
    ]);
  });

  it('a namespace the AppProject does not permit', () => {
    const other = project();
    other.spec.destinations = [{ server: 'https://kubernetes.default.svc', namespace: 'shop-*' }];
    p.write('dist/argocd/appproject-shop.yaml', other);
    expect(findings()).toEqual([
      'Application/argocd/shop: spec.destination: error: AppProject "shop" does not permit namespace "shop" on https://kubernetes.default.svc (spec.destinations), used by dist/shop/1-serviceaccount.yaml (argocd-destination)',
    ]);
  });

  it('a path that is not a folder of dist/, a missing project, a repository the project does not permit', () => {
    p.write('dist/argocd/application-shop.yaml', application({ source: { repoURL: 'https://github.com/other/repo.git', path: 'dist/shopp', targetRevision: 'main' } }));
    expect(findings()).toEqual([
      'Application/argocd/shop: spec.source.repoURL: error: AppProject "shop" does not permit the repository https://github.com/other/repo.git (spec.sourceRepos) (argocd-source-repo)',
      'Application/argocd/shop: spec.source.path: error: dist/shopp is not a folder of dist/ (argocd-path)',
    ]);
    p.write('dist/argocd/application-shop.yaml', application({ project: 'shops' }));
    expect(findings()).toEqual(['Application/argocd/shop: spec.project: error: AppProject "shops" is not in dist/ (argocd-project)']);
  });

  it('are not checked against folders left out by --env', () => {
    p.write('dist/argocd/application-shop.yaml', application({ source: { repoURL: REPO, path: 'dist/shopp', targetRevision: 'main' } }));
    expect(validateDist(p.root, ['shop', 'argocd'], schemaStore()).findings.map(formatFinding)).toEqual([]);
  });
});

describe('Argo CD annotations', () => {
  const annotate = (annotations: Record<string, string>) =>
    summarize(findingsOf(cleanEnvironment().map((o) => (o.kind === 'ServiceAccount' ? { ...o, metadata: { ...o.metadata, annotations } } : o))));
  const SA = 'argocd-annotations ServiceAccount/shop/api metadata.annotations';

  it('accepts what Argo CD understands', () => {
    expect(annotate({ 'argocd.argoproj.io/hook': 'PreSync,SyncFail', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'argocd.argoproj.io/sync-wave': '-5', 'argocd.argoproj.io/sync-options': 'Prune=false,ServerSideApply=true' })).toEqual([]);
  });

  it('rejects misspelt hooks, delete policies, waves, sync options and annotation names', () => {
    expect(annotate({ 'argocd.argoproj.io/hook': 'Presync' })).toEqual([`${SA}["argocd.argoproj.io/hook"]: error: "Presync" is not an Argo CD hook (PreSync, Sync, PostSync, SyncFail, PostDelete, Skip)`]);
    expect(annotate({ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceded' })).toEqual([
      `${SA}["argocd.argoproj.io/hook-delete-policy"]: error: "HookSucceded" is not a hook delete policy (HookSucceeded, HookFailed, BeforeHookCreation)`,
    ]);
    expect(annotate({ 'argocd.argoproj.io/sync-wave': 'first' })).toEqual([`${SA}["argocd.argoproj.io/sync-wave"]: error: sync wave "first" is not an integer`]);
    expect(annotate({ 'argocd.argoproj.io/sync-options': 'ServerSideAply=true' })).toEqual([expect.stringContaining(`${SA}["argocd.argoproj.io/sync-options"]: error: "ServerSideAply=true" is not an Argo CD sync option`)]);
    expect(annotate({ 'argocd.argoproj.io/sync-wawe': '1' })).toEqual([`${SA}["argocd.argoproj.io/sync-wawe"]: error: Argo CD has no annotation "argocd.argoproj.io/sync-wawe"`]);
  });
});

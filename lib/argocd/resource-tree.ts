/**
 * The objects the cluster's controllers create under the ones we render (with an
 * owner reference to them), which Argo CD shows in an Application's resource tree.
 *
 * Argo CD puts a child in the tree only when the Application's AppProject permits
 * its kind, and stops there (its own children are left out too): argo-cd
 * `controller/appcontroller.go` `getResourceTree` (`proj.IsResourcePermitted` in
 * the `IterateHierarchyV2` callback); argo-cd issue #28564. Pod logs, in the UI and
 * with `argocd app logs`, are read from that tree (`server/application/application.go`
 * `PodLogs`: `getSelectedPods(tree.Nodes, …)`). A project whose whitelist holds only
 * the kinds we render therefore hides every pod, ReplicaSet and canary AnalysisRun.
 * The AppProject whitelists these kinds as well (charts/argocd-chart.ts), and
 * `npm run validate` checks it (`argocd-resource-tree`).
 *
 * Only kinds whose objects carry an owner reference belong here: Argo CD never takes an
 * owned object for one of the Application's own (gitops-engine pkg/cache/cluster.go
 * GetManagedLiveObjs skips them), while an unowned one with the tracking label (e.g.
 * Endpoints, which copy the Service's labels) would show as an object to prune.
 *
 * Left out on purpose: the Secret an ExternalSecret writes. Whitelisting Secret would
 * let the project deploy Secrets from Git, which it never should (`secret-object`);
 * Argo CD then does not show it.
 */

/** A kind as `group/Kind` (`/Pod` for the core group). */
export type GroupKindKey = string;

/** What a rendered object needs to name its children: kind, group and annotations. */
export interface TreeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
}

/** Child kinds by parent kind, with the controller that sets the owner reference. */
const CHILDREN: Readonly<Record<GroupKindKey, readonly GroupKindKey[]>> = {
  // kube-controller-manager: deployment, replicaset, statefulset, cronjob and job controllers.
  'apps/Deployment': ['apps/ReplicaSet'],
  'apps/ReplicaSet': ['/Pod'],
  'apps/StatefulSet': ['/Pod'],
  'batch/CronJob': ['batch/Job'],
  'batch/Job': ['/Pod'],
  // argo-rollouts: ReplicaSets (rollout/replicaset.go), AnalysisRuns (rollout/analysis.go) and the
  // nginx canary Ingress (rollout/trafficrouting/nginx/nginx.go, SetOwnerReferences) belong to the Rollout.
  'argoproj.io/Rollout': ['apps/ReplicaSet', 'argoproj.io/AnalysisRun', 'networking.k8s.io/Ingress'],
  // cert-manager: certificate-shim/sync.go gives the Certificate of an annotated Ingress an owner reference to it.
  // Its CertificateRequest (and the ACME Order, Challenge and solver below that) is not in the tree: Argo CD's
  // default resource.exclusions leave cert-manager.io/CertificateRequest out of its cache, like Endpoints and
  // EndpointSlices (argo-cd manifests/base/config/argocd-cm.yaml), so whitelisting them would show nothing.
};

/** Annotations that make cert-manager's ingress-shim create a Certificate for an Ingress (certificate-shim/sync.go). */
const CERT_MANAGER_INGRESS_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

function groupKindOf(o: Pick<TreeObject, 'apiVersion' | 'kind'>): GroupKindKey {
  return `${o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : ''}/${o.kind}`;
}

/** `group/Kind` → `{group, kind}`. */
export function splitGroupKind(key: GroupKindKey): { group: string; kind: string } {
  const slash = key.lastIndexOf('/');
  return { group: key.slice(0, slash), kind: key.slice(slash + 1) };
}

/** The kinds of an object's direct children. */
function directChildren(o: TreeObject): readonly GroupKindKey[] {
  const key = groupKindOf(o);
  if (key === 'networking.k8s.io/Ingress') {
    const annotations = o.metadata?.annotations ?? {};
    const asksCertManager = CERT_MANAGER_INGRESS_ANNOTATIONS.some((a) => a in annotations) || annotations['kubernetes.io/tls-acme'] === 'true';
    return asksCertManager ? ['cert-manager.io/Certificate'] : [];
  }
  return CHILDREN[key] ?? [];
}

/**
 * Every kind below a rendered object in Argo CD's resource tree (children,
 * grandchildren…), each with the chain that leads to it from the object,
 * e.g. `/Pod` ← [`apps/Deployment`, `apps/ReplicaSet`].
 */
export function descendantKinds(o: TreeObject): Map<GroupKindKey, GroupKindKey[]> {
  const found = new Map<GroupKindKey, GroupKindKey[]>();
  const queue: [GroupKindKey, GroupKindKey[]][] = directChildren(o).map((k) => [k, [groupKindOf(o)]]);
  // Bounded: CHILDREN is a finite map, and each kind is expanded once.
  while (queue.length > 0) {
    const [kind, via] = queue.shift()!;
    if (found.has(kind)) continue;
    found.set(kind, via);
    for (const child of CHILDREN[kind] ?? []) queue.push([child, [...via, kind]]);
  }
  return found;
}

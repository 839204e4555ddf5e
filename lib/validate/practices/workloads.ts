import { arrayAt, get, objectAt, stringAt, stringMap } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { PodTemplateFields, serviceAccountOf } from '../pod-fields';
import { finding, Resource } from '../resource';
import { selects } from '../selectors';

/** Kinds that need a PodDisruptionBudget and a NetworkPolicy. */
const PROTECTED_KINDS = new Set(['Deployment', 'StatefulSet']);
const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** Availability and isolation of the workloads of a folder. */
export function checkWorkloads(folder: Folder): Finding[] {
  const findings: Finding[] = [];
  for (const t of folder.templates) {
    const r = t.resource;
    findings.push(...checkServiceAccountToken(folder, t));
    if (PROTECTED_KINDS.has(r.kind)) {
      const pdbs = folder.ofKind('PodDisruptionBudget', r.namespace).filter((p) => selects(get(p.object, 'spec', 'selector'), t.labels));
      if (pdbs.length === 0) findings.push(finding(r, 'error', 'pdb', t.path, `no PodDisruptionBudget selects the pods of ${r.kind} "${r.name}"`));
      const policies = folder.ofKind('NetworkPolicy', r.namespace).filter((p) => selects(get(p.object, 'spec', 'podSelector'), t.labels) && governsIngress(p));
      if (policies.length === 0) findings.push(finding(r, 'error', 'network-policy', t.path, `no NetworkPolicy restricts ingress to the pods of ${r.kind} "${r.name}"`));
    }
    if (SCALABLE_KINDS.has(r.kind)) findings.push(...checkReplicas(folder, t));
  }
  return findings;
}

/** Whether a NetworkPolicy restricts ingress (policyTypes absent means Ingress, plus Egress if it has egress rules). */
function governsIngress(policy: Resource): boolean {
  const types = get(policy.object, 'spec', 'policyTypes');
  return !Array.isArray(types) || types.includes('Ingress');
}

function checkReplicas(folder: Folder, t: PodTemplateFields): Finding[] {
  const r = t.resource;
  const findings: Finding[] = [];
  const hpas = folder.ofKind('HorizontalPodAutoscaler', r.namespace).filter(
    (h) => stringAt(h.object, 'spec', 'scaleTargetRef', 'kind') === r.kind && stringAt(h.object, 'spec', 'scaleTargetRef', 'name') === r.name,
  );
  const replicas = get(r.object, 'spec', 'replicas');
  if (hpas.length > 0 && replicas !== undefined) {
    findings.push(finding(r, 'error', 'hpa-replicas', ['spec', 'replicas'], `HorizontalPodAutoscaler "${hpas[0].name}" scales this ${r.kind}: remove spec.replicas, or every sync resets the replica count`));
  }
  const minReplicas = hpas.length > 0 ? Math.max(...hpas.map((h) => (get(h.object, 'spec', 'minReplicas') as number | undefined) ?? 1)) : undefined;
  const expected = minReplicas ?? (typeof replicas === 'number' ? replicas : 1);
  const constraints = arrayAt(t.spec, 'topologySpreadConstraints');
  constraints.forEach((c, i) => {
    if (!selects(get(c, 'labelSelector'), t.labels)) {
      findings.push(finding(r, 'error', 'spread', [...t.specPath, 'topologySpreadConstraints', i, 'labelSelector'], 'this topology spread constraint does not select the pods of its own workload, so it spreads nothing'));
    }
  });
  if (expected > 1 || hpas.length > 0) {
    const antiAffinity = objectAt(t.spec, 'affinity', 'podAntiAffinity');
    const terms = [
      ...arrayAt(antiAffinity, 'requiredDuringSchedulingIgnoredDuringExecution'),
      ...arrayAt(antiAffinity, 'preferredDuringSchedulingIgnoredDuringExecution').map((p) => get(p, 'podAffinityTerm')),
    ];
    const spread =
      constraints.some((c) => selects(get(c, 'labelSelector'), t.labels)) ||
      terms.some((term) => selects(get(term, 'labelSelector'), t.labels) && appliesToNamespace(folder, term, r.namespace));
    if (!spread) {
      const why = hpas.length > 0 ? `HorizontalPodAutoscaler "${hpas[0].name}" scales it` : `it has ${expected} replicas`;
      findings.push(finding(r, 'error', 'spread', t.specPath, `${why}, but nothing spreads its pods over nodes or zones: add topologySpreadConstraints or podAntiAffinity selecting its pods`));
    }
  }
  return findings;
}

/**
 * Whether a pod (anti-)affinity term looks at pods of `namespace`: its own
 * namespace when `namespaces` and `namespaceSelector` are both unset, else
 * the union of the listed namespaces and those the selector matches (`{}`:
 * all). A Namespace's labels include kubernetes.io/metadata.name.
 */
function appliesToNamespace(folder: Folder, term: unknown, namespace: string | undefined): boolean {
  const listed = arrayAt(term, 'namespaces');
  const selector = get(term, 'namespaceSelector');
  if (listed.length === 0 && selector === undefined) return true;
  if (namespace !== undefined && listed.includes(namespace)) return true;
  if (selector === undefined || namespace === undefined) return false;
  const labels = { ...stringMap(folder.find('Namespace', undefined, namespace)?.object, 'metadata', 'labels'), 'kubernetes.io/metadata.name': namespace };
  return selects(selector, labels);
}

/**
 * The API token is mounted unless the pod or its ServiceAccount says otherwise.
 * A pod needs it only when its ServiceAccount is bound to a Role or ClusterRole here.
 */
function checkServiceAccountToken(folder: Folder, t: PodTemplateFields): Finding[] {
  const r = t.resource;
  const accountName = serviceAccountOf(t)?.name ?? 'default';
  const account = folder.find('ServiceAccount', r.namespace, accountName);
  const podSetting = get(t.spec, 'automountServiceAccountToken');
  const mounted = podSetting ?? get(account?.object, 'automountServiceAccountToken') ?? true;
  if (mounted !== true) return [];
  const bound = [...folder.ofKind('RoleBinding'), ...folder.ofKind('ClusterRoleBinding')].some((b) =>
    arrayAt(b.object, 'subjects').some(
      (s) => stringAt(s, 'kind') === 'ServiceAccount' && stringAt(s, 'name') === accountName && (stringAt(s, 'namespace') ?? b.namespace) === r.namespace,
    ),
  );
  if (bound) return [];
  return [
    finding(r, 'error', 'service-account-token', [...t.specPath, ...(podSetting === undefined ? [] : ['automountServiceAccountToken'])],
      `the pods mount an API token for ServiceAccount "${accountName}", which no RoleBinding grants anything: set automountServiceAccountToken: false`),
  ];
}

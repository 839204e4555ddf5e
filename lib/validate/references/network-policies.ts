import { arrayAt, get, isObject } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { PodTemplateFields, podListensOn } from '../pod-fields';
import { http01SolverPods } from '../network/acme-solver';
import { finding, Resource } from '../resource';
import { selects, selectsEverything } from '../selectors';

/** NetworkPolicies select pods, and their ports are ports those pods (or the same-namespace peers they reach) listen on. */
export function checkNetworkPolicies(folder: Folder): Finding[] {
  const findings: Finding[] = [];
  for (const policy of folder.ofKind('NetworkPolicy')) {
    const podSelector = get(policy.object, 'spec', 'podSelector');
    // cert-manager's HTTP-01 solver pods are not in dist/, but a policy may be written for them.
    const templates = [...folder.templatesIn(policy.namespace), ...http01SolverPods(folder, policy.namespace)];
    const selected = templates.filter((t) => selects(podSelector, t.labels));
    const selectsAll = isObject(podSelector) && Object.keys(podSelector).length === 0;
    if (selected.length === 0 && !selectsAll) {
      findings.push(finding(policy, 'error', 'networkpolicy-selector', ['spec', 'podSelector'], 'selects no pods in its namespace'));
      continue;
    }
    const check = (targets: PodTemplateFields[], ports: unknown[], path: (string | number)[], whose: string) => {
      if (targets.length === 0) return;
      ports.forEach((p, i) => {
        const port = get(p, 'port');
        if (port === undefined || get(p, 'endPort') !== undefined) return;
        const protocol = (get(p, 'protocol') as string | undefined) ?? 'TCP';
        const value = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
        if ((typeof value === 'string' || typeof value === 'number') && !targets.some((t) => podListensOn(t, value, protocol))) {
          findings.push(finding(policy, 'error', 'networkpolicy-port', [...path, i, 'port'], `${whose} (${targets.map((t) => t.resource.name).join(', ')}) do not listen on ${JSON.stringify(value)}/${protocol}`));
        }
      });
    };
    arrayAt(policy.object, 'spec', 'ingress').forEach((rule, i) => check(selectsAll ? templates : selected, arrayAt(rule, 'ports'), ['spec', 'ingress', i, 'ports'], 'the selected pods'));
    arrayAt(policy.object, 'spec', 'egress').forEach((rule, i) => {
      const peers = arrayAt(rule, 'to');
      // Only peers that are pods of this namespace can be checked: other namespaces and IP blocks are outside dist/.
      if (peers.length === 0 || !peers.every((p) => isObject(p) && Object.keys(p).length === 1 && get(p, 'podSelector') !== undefined)) return;
      const targets = templates.filter((t) => peers.some((p) => selects(get(p, 'podSelector'), t.labels)));
      check(targets, arrayAt(rule, 'ports'), ['spec', 'egress', i, 'ports'], 'the destination pods');
    });
  }
  return findings;
}

/** A policy that selects every pod (`podSelector: {}`), for both directions, with no rule: nothing in, nothing out. */
function deniesAll(policy: Resource): boolean {
  const podSelector = get(policy.object, 'spec', 'podSelector');
  const types = arrayAt(policy.object, 'spec', 'policyTypes');
  return (
    selectsEverything(podSelector) &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    arrayAt(policy.object, 'spec', 'ingress').length === 0 &&
    arrayAt(policy.object, 'spec', 'egress').length === 0
  );
}

/**
 * Default deny in every namespace that runs pods, and, under it, every pod
 * template (Jobs and CronJobs too) let through by a policy of its own
 * (a non-empty podSelector): otherwise its pods can reach nothing, not even DNS.
 */
export function checkDefaultDeny(folder: Folder): Finding[] {
  const findings: Finding[] = [];
  const namespaces = [...new Set(folder.templates.map((t) => t.resource.namespace))];
  for (const namespace of namespaces) {
    const policies = folder.ofKind('NetworkPolicy', namespace);
    if (!policies.some(deniesAll)) {
      const at = (namespace === undefined ? undefined : folder.find('Namespace', undefined, namespace)) ?? folder.templatesIn(namespace)[0].resource;
      findings.push(finding(at, 'error', 'network-default-deny', [], `namespace "${namespace ?? '(none)'}" has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules): a pod no policy selects accepts and opens any connection`));
      continue;
    }
    for (const t of folder.templatesIn(namespace)) {
      const own = policies.some((p) => {
        const podSelector = get(p.object, 'spec', 'podSelector');
        return !selectsEverything(podSelector) && selects(podSelector, t.labels);
      });
      if (!own) findings.push(finding(t.resource, 'error', 'network-pod-policy', t.path, `no NetworkPolicy of its own selects the pods of ${t.resource.kind} "${t.resource.name}": under the namespace's default deny they can reach nothing, not even DNS`));
    }
  }
  return findings;
}

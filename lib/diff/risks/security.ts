import { stringAt } from '../../validate/access';
import { FieldChange, formatDiffPath, formatValue, Risk, startsWith } from '../model';
import { Assessment, ObjectDelta, subject } from './delta';

/** Kinds that grant or restrict access: any change to them is a security change. */
const ACCESS_KINDS: Readonly<Record<string, string>> = {
  NetworkPolicy: 'network access',
  Role: 'RBAC permissions',
  ClusterRole: 'RBAC permissions',
  RoleBinding: 'RBAC permissions',
  ClusterRoleBinding: 'RBAC permissions',
  AppProject: 'what Argo CD may deploy where',
};

/** Pod-level fields that widen what a pod can do or reach. */
const POD_ACCESS_FIELDS = new Set(['hostNetwork', 'hostPID', 'hostIPC', 'hostUsers', 'serviceAccountName', 'automountServiceAccountToken']);

/** Service fields that decide who can reach it from outside the cluster. */
const SERVICE_EXPOSURE = ['type', 'loadBalancerSourceRanges', 'externalIPs', 'externalTrafficPolicy', 'loadBalancerIP'];

/**
 * securityContext anywhere (pod and containers), host namespaces and service
 * accounts of pods, NetworkPolicies, RBAC, the AppProject, Ingresses and
 * Services exposed outside the cluster, and the Namespace's Pod Security level.
 */
export function securityChanges(delta: ObjectDelta): Partial<Assessment> {
  const r = subject(delta);
  const { before, after } = delta;
  const risks: Risk[] = [];
  const access = ACCESS_KINDS[r.kind];
  if (access) {
    const how = !before ? 'added' : !after ? 'removed' : 'changed';
    const consequence = r.kind === 'NetworkPolicy' && how === 'removed' ? ': the traffic it restricted is no longer restricted by it' : '';
    // Labels matter only where they grant: a ClusterRole aggregates the rules of ClusterRoles selected by label.
    const grants = (f: FieldChange) => f.path[0] !== 'metadata' || (r.kind === 'ClusterRole' && startsWith(f.path, ['metadata', 'labels']));
    if (how !== 'changed' || delta.fields.some(grants)) {
      risks.push({ kind: 'security', message: `${r.kind} ${r.name} ${how} (${access})${consequence}` });
    }
  }
  if (r.kind === 'Ingress') {
    const exposure = !before || !after ? `${after ? 'added' : 'removed'}: ${hosts(r.object) || 'no host'}` : changedPaths(delta.fields.filter((f) => f.path[0] === 'spec' || startsWith(f.path, ['metadata', 'annotations'])));
    if (exposure) risks.push({ kind: 'security', message: `Ingress ${r.name} (exposure) ${exposure}` });
  }
  if (r.kind === 'Service') {
    const type = stringAt(r.object, 'spec', 'type') ?? 'ClusterIP';
    if (!before && type !== 'ClusterIP') risks.push({ kind: 'security', message: `Service ${r.name} added with type ${type}: reachable from outside the cluster` });
    const exposed = delta.fields.filter((f) => SERVICE_EXPOSURE.some((k) => startsWith(f.path, ['spec', k])) || startsWith(f.path, ['spec', 'ports', '*', 'nodePort']));
    if (before && after && exposed.length > 0) risks.push({ kind: 'security', message: `Service ${r.name} (exposure): ${describe(exposed)}` });
  }
  if (r.kind === 'Namespace' && before && after) {
    const psa = delta.fields.filter((f) => startsWith(f.path, ['metadata', 'labels']) && String(f.path[2]).startsWith('pod-security.kubernetes.io/'));
    if (psa.length > 0) risks.push({ kind: 'security', message: `Pod Security admission of ${r.name}: ${describe(psa)}` });
  }
  if (before && after) {
    const contexts = delta.fields.filter((f) => f.path.includes('securityContext'));
    if (contexts.length > 0) risks.push({ kind: 'security', message: `securityContext: ${describe(contexts)}` });
    const pod = delta.fields.filter((f) => typeof f.path[f.path.length - 1] === 'string' && POD_ACCESS_FIELDS.has(f.path[f.path.length - 1] as string) && f.path[f.path.length - 2] === 'spec');
    if (pod.length > 0) risks.push({ kind: 'security', message: `pod access: ${describe(pod)}` });
  }
  return { risks };
}

function hosts(ingress: unknown): string {
  const rules = (ingress as { spec?: { rules?: { host?: string }[] } }).spec?.rules ?? [];
  return rules.map((rule) => rule.host ?? '*').join(', ');
}

function changedPaths(fields: readonly FieldChange[]): string {
  return fields.length > 0 ? `changed: ${[...new Set(fields.map((f) => formatDiffPath(f.path.slice(0, 3))))].join(', ')}` : '';
}

/** `path: old → new` of a few fields, then a count. */
function describe(fields: readonly FieldChange[], limit = 3): string {
  const shown = fields.slice(0, limit).map((f) => `${formatDiffPath(f.path)}: ${formatValue(f.before)} → ${formatValue(f.after)}`);
  return fields.length > limit ? `${shown.join('; ')}; and ${fields.length - limit} more` : shown.join('; ');
}

import { arrayAt, get, isObject, stringAt } from '../access';
import { Resource } from '../resource';
import { selects, witnessLabels } from '../selectors';

/*
 * Which traffic the NetworkPolicies of a namespace let into a pod, as the
 * NetworkPolicy API defines it (k8s.io/api networking/v1 types.go, and
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * a pod selected by no policy with ingress in its policyTypes accepts
 * everything; a selected pod accepts what at least one rule of those policies
 * allows. policyTypes left out means Ingress (plus Egress when there are egress
 * rules). A rule without `from` allows every source, one without `ports` every
 * port. A peer with only a podSelector means pods of the policy's own
 * namespace; one with a namespaceSelector pods of the selected namespaces
 * (narrowed by its podSelector). ipBlock is for addresses outside the cluster:
 * whether it matches pod addresses is up to the network plugin, so pods are
 * never taken to be admitted by one.
 */

type Labels = Readonly<Record<string, string>>;

/** Where traffic comes from. */
export type Source =
  /** A pod: of `namespace` when known, else of some other namespace with these labels. */
  | { readonly kind: 'pod'; readonly namespace?: string; readonly namespaceLabels: Labels; readonly podLabels: Labels }
  /** An address block outside the cluster. */
  | { readonly kind: 'address'; readonly cidr: string }
  /** Anything at all: the rule named no source. */
  | { readonly kind: 'anywhere' };

/** A port a pod listens on. */
export interface TargetPort {
  readonly number: number;
  readonly name?: string;
  readonly protocol: string;
}

/** The policies of `namespace` that isolate pods with these labels for ingress. */
function isolating(policies: readonly Resource[], namespace: string | undefined, podLabels: Labels): Resource[] {
  return policies.filter((p) => {
    if (p.kind !== 'NetworkPolicy' || p.namespace !== namespace || !selects(get(p.object, 'spec', 'podSelector'), podLabels)) return false;
    const types = get(p.object, 'spec', 'policyTypes');
    return !Array.isArray(types) || types.includes('Ingress');
  });
}

function portMatches(rulePort: unknown, target: TargetPort): boolean {
  if ((stringAt(rulePort, 'protocol') ?? 'TCP') !== target.protocol) return false;
  const port = get(rulePort, 'port');
  if (port === undefined || port === null) return true;
  const value = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof value === 'string') return value === target.name;
  if (typeof value !== 'number') return false;
  const end = get(rulePort, 'endPort');
  return typeof end === 'number' ? value <= target.number && target.number <= end : value === target.number;
}

/** The rules of these policies that let traffic in on this port. */
function rulesFor(policies: readonly Resource[], target: TargetPort): unknown[] {
  return policies.flatMap((p) =>
    arrayAt(p.object, 'spec', 'ingress').filter((rule) => {
      const ports = arrayAt(rule, 'ports');
      return ports.length === 0 || ports.some((port) => portMatches(port, target));
    }),
  );
}

const EVERY_ADDRESS_OF_FAMILY = (cidr: string) => (cidr.includes(':') ? '::/0' : '0.0.0.0/0');

function peerAdmits(peer: unknown, policyNamespace: string | undefined, source: Source): boolean {
  if (!isObject(peer)) return false;
  const ipBlock = get(peer, 'ipBlock');
  if (ipBlock !== undefined) {
    if (source.kind !== 'address') return false;
    const cidr = stringAt(ipBlock, 'cidr');
    const except = arrayAt(ipBlock, 'except');
    return (cidr === source.cidr || cidr === EVERY_ADDRESS_OF_FAMILY(source.cidr)) && !except.includes(source.cidr);
  }
  if (source.kind !== 'pod') return false;
  const namespaceSelector = get(peer, 'namespaceSelector');
  const podSelector = get(peer, 'podSelector');
  const podMatches = podSelector === undefined || podSelector === null || selects(podSelector, source.podLabels);
  if (namespaceSelector !== undefined && namespaceSelector !== null) return selects(namespaceSelector, source.namespaceLabels) && podMatches;
  return source.namespace === policyNamespace && podSelector !== undefined && podMatches;
}

/** Whether the NetworkPolicies let `source` reach a pod of `namespace` with `podLabels` on `target`. */
export function admits(policies: readonly Resource[], namespace: string | undefined, podLabels: Labels, target: TargetPort, source: Source): boolean {
  const selecting = isolating(policies, namespace, podLabels);
  if (selecting.length === 0) return true;
  return rulesFor(selecting, target).some((rule) => {
    const from = arrayAt(rule, 'from');
    return from.length === 0 || from.some((peer) => peerAdmits(peer, namespace, source));
  });
}

/**
 * The sources the NetworkPolicies let reach a pod of `namespace` with `podLabels`
 * on `target`, one per peer (a pod matching a namespaceSelector stands for its
 * namespaces); `anywhere` when nothing isolates the pod or a rule names no source.
 */
export function admittedSources(policies: readonly Resource[], namespace: string | undefined, podLabels: Labels, target: TargetPort): Source[] {
  const selecting = isolating(policies, namespace, podLabels);
  if (selecting.length === 0) return [{ kind: 'anywhere' }];
  const sources: Source[] = [];
  for (const rule of rulesFor(selecting, target)) {
    const from = arrayAt(rule, 'from');
    if (from.length === 0) sources.push({ kind: 'anywhere' });
    for (const peer of from) {
      const cidr = stringAt(peer, 'ipBlock', 'cidr');
      const namespaceSelector = get(peer, 'namespaceSelector');
      const podLabels = witnessLabels(get(peer, 'podSelector'));
      if (cidr !== undefined) sources.push({ kind: 'address', cidr });
      else if (isObject(namespaceSelector)) sources.push({ kind: 'pod', namespaceLabels: witnessLabels(namespaceSelector), podLabels });
      else if (isObject(get(peer, 'podSelector'))) sources.push({ kind: 'pod', namespace, namespaceLabels: {}, podLabels });
    }
  }
  return sources;
}

/** `pods of namespaces {a=b}`, `pods {x=y} of namespaces {a=b}`, `10.0.0.0/8`, `anywhere`. */
export function describeSource(source: Source): string {
  const labels = (l: Labels) => `{${Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
  switch (source.kind) {
    case 'address':
      return source.cidr;
    case 'anywhere':
      return 'anywhere';
    case 'pod': {
      const pods = Object.keys(source.podLabels).length === 0 ? 'pods' : `pods ${labels(source.podLabels)}`;
      return source.namespace !== undefined ? `${pods} of namespace "${source.namespace}"` : `${pods} of namespaces ${labels(source.namespaceLabels)}`;
    }
  }
}

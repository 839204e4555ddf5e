import { k8s } from 'cdk8s-plus-28';

/** CoreDNS / kube-dns: the `k8s-app: kube-dns` pods of kube-system, on port 53 UDP and TCP. */
export const DNS_EGRESS: k8s.NetworkPolicyEgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
  ],
};

/** TCP ports of a rule. */
export function tcp(...ports: number[]): k8s.NetworkPolicyPort[] {
  return ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
}

/** Pods of this namespace with these labels. */
export function pods(matchLabels: Record<string, string>): k8s.NetworkPolicyPeer {
  return { podSelector: { matchLabels } };
}

/** Pods of the namespaces with these labels: every pod, or only those with `podLabels`. */
export function namespaces(matchLabels: Record<string, string>, podLabels?: Record<string, string>): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels }, ...(podLabels === undefined ? {} : { podSelector: { matchLabels: podLabels } }) };
}

/** Addresses outside the cluster. */
export function cidrs(blocks: readonly string[]): k8s.NetworkPolicyPeer[] {
  return blocks.map((cidr) => ({ ipBlock: { cidr } }));
}

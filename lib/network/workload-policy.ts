import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SYNC_WAVE, syncWave } from '../argocd/sync';
import { checkProps, ObjectProps } from '../props';

export interface WorkloadPolicyProps extends ObjectProps {
  /** The pods it applies to. An empty selector means every pod of the namespace. */
  readonly podSelector: Record<string, string>;
  /** What may reach these pods. Empty: nothing. */
  readonly ingress?: k8s.NetworkPolicyIngressRule[];
  /** What these pods may reach. Empty: nothing. */
  readonly egress?: k8s.NetworkPolicyEgressRule[];
}

/**
 * A NetworkPolicy that governs both directions, so anything not listed is
 * denied. Synced with the prerequisites: in place before any hook or pod of
 * a later wave needs it.
 */
export class WorkloadPolicy extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadPolicyProps) {
    super(scope, id);
    checkProps('WorkloadPolicy', props).object(props).labels('podSelector', props.podSelector);
    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, ...syncWave(SYNC_WAVE.prerequisites) } },
      spec: {
        podSelector: { matchLabels: props.podSelector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: props.ingress ?? [],
        egress: props.egress ?? [],
      },
    });
  }
}

import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, SelectorProps } from './props';

/** `selector`: the selector of the pods it protects (the workload's own selector). */
export interface DisruptionBudgetProps extends SelectorProps {
  /**
   * How many pods a voluntary disruption (node drain, upgrade) may take at once.
   * @default 1 — always leaves a drain possible, even at the HPA minimum, unlike `minAvailable: min`.
   */
  readonly maxUnavailable?: number;
}

/** A policy/v1 PodDisruptionBudget that limits, but never blocks, node drains. */
export class DisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    // 0 would block every node drain.
    checkProps('DisruptionBudget', props).object(props).selector('selector', props.selector).integer('maxUnavailable', props.maxUnavailable, { min: 1 });
    new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(props.maxUnavailable ?? 1),
        selector: { matchLabels: props.selector },
        // Crash-looping pods must not block a drain (the PDB would count them as protected).
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}

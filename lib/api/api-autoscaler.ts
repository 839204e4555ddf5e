import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, ObjectProps } from '../props';

export interface ApiAutoscalerProps extends ObjectProps {
  /** The workload it scales: the Deployment, or the Rollout of a canary (argoproj.io/v1alpha1, through its /scale subresource). */
  readonly target: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization, percent of the CPU request. */
  readonly targetCPUUtilization: number;
}

/**
 * autoscaling/v2 HPA on CPU with explicit behavior: scale up at once (search
 * traffic is bursty), scale down slowly (avoid flapping and cold caches).
 * In its target's sync wave (the default): a change to it is applied with the
 * API, never held back behind another wave (rule argocd-hpa-order).
 */
export class ApiAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: ApiAutoscalerProps) {
    super(scope, id);
    checkProps('ApiAutoscaler', props)
      .object(props)
      .name('target.name', props.target.name)
      .integer('minReplicas', props.minReplicas, { min: 1 })
      .integer('maxReplicas', props.maxReplicas, { min: props.minReplicas })
      .integer('targetCPUUtilization', props.targetCPUUtilization, { min: 1 });
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        scaleTargetRef: { apiVersion: props.target.apiVersion, kind: props.target.kind, name: props.target.name },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.targetCPUUtilization } } },
        ],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { type: 'Percent', value: 100, periodSeconds: 60 },
              { type: 'Pods', value: 4, periodSeconds: 60 },
            ],
          },
          scaleDown: {
            stabilizationWindowSeconds: 300,
            selectPolicy: 'Min',
            policies: [
              { type: 'Percent', value: 25, periodSeconds: 60 },
              { type: 'Pods', value: 2, periodSeconds: 60 },
            ],
          },
        },
      },
    });
  }
}

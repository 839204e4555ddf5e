import { Construct } from 'constructs';
import {
  Rollout,
  RolloutSpecStrategyCanaryAnalysisArgs,
  RolloutSpecStrategyCanaryMaxSurge,
  RolloutSpecStrategyCanaryMaxUnavailable,
  RolloutSpecStrategyCanarySteps,
  RolloutSpecStrategyCanaryStepsPauseDuration,
} from '../../imports/rollouts-argoproj.io';
import { CANARY_HASH_ARG } from '../monitoring/canary-analysis';
import { checkProps, SelectorProps } from '../props';

/** One traffic step: the canary's weight, then a pause (a duration, or "manual": until a person promotes). */
export interface CanaryStep {
  readonly weight: number;
  readonly pause: string;
}

/** `selector`: the Deployment's selector (the Rollout selects the same pods). */
export interface CanaryRolloutProps extends SelectorProps {
  /** The Deployment whose pod template the Rollout runs (it keeps the template; the Rollout runs the pods). */
  readonly deploymentName: string;
  /** Services the controller points at the stable and at the canary ReplicaSet. */
  readonly stableService: string;
  readonly canaryService: string;
  /** The Ingress ingress-nginx serves, routing to `stableService`; without it the canary is replica-weighted. */
  readonly stableIngress?: string;
  readonly steps: readonly CanaryStep[];
  /** AnalysisTemplate that runs in the background for the whole update. */
  readonly backgroundAnalysis: string;
  /** AnalysisTemplate of the gate after the last step, before 100 %. */
  readonly gateAnalysis: string;
  /**
   * Pods the Rollout starts with when Argo CD creates it: the HPA's minReplicas.
   * The HPA owns the count afterwards (the Application ignores the Rollout's
   * /spec/replicas with RespectIgnoreDifferences, so a sync keeps the live value).
   */
  readonly replicas: number;
  /**
   * The Deployment's minReadySeconds. The controller takes only the pod template
   * and selector from the workloadRef (argo-rollouts rollout/templateref.go), so
   * the Rollout must say it again, or its pods count as available the moment they are ready.
   */
  readonly minReadySeconds: number;
  /** @default 5 */
  readonly revisionHistoryLimit?: number;
  /**
   * Seconds a step may go without progress (pods not ready) before the update
   * is aborted; paused time does not count.
   * @default 600
   */
  readonly progressDeadlineSeconds?: number;
}

/**
 * An Argo Rollouts canary for the API Deployment, by `workloadRef`: the
 * Deployment keeps the pod template (so its selector, the PDB, NetworkPolicies
 * and the checklist see the same pods), the Rollout runs the ReplicaSets.
 *
 * - `scaleDown: progressively`: while the first Rollout revision comes up,
 *   the controller scales the Deployment down by as many pods as the Rollout
 *   has ready, and to 0 once the Rollout is healthy; if the Rollout fails the
 *   Deployment is scaled back up (argo-rollouts rollout/replicaset.go
 *   reconcileNewReplicaSet; docs/migrating.md "Reference Deployment From Rollout").
 *   The Deployment goes to `spec.replicas - ready` of the Rollout, whatever it ran.
 * - `spec.replicas` is the HPA's floor, for the Rollout's creation only; the HPA scales the
 *   Rollout (docs/features/hpa-support.md). Left out, the controller sets 1
 *   (rollout/controller.go "Defaulting .spec.replica to 1"), and `progressively` scales
 *   the Deployment to `replicas - ready` = 0 as soon as that one pod is ready: switching
 *   to canary would leave one pod serving until the HPA's next pass (15 s) and its pods.
 *   Creating it with fewer pods than the Deployment runs still shrinks capacity to the
 *   floor during the switch (docs/delivery.md, "Switching to canary").
 * - With an Ingress, ingress-nginx splits the traffic: the controller creates a
 *   second Ingress `<rollout>-<stableIngress>-canary` with `canary-weight`
 *   annotations, copying the rules that route to `stableService`
 *   (rollout/trafficrouting/nginx/nginx.go buildCanaryIngress). Without one
 *   the weight is the share of canary pods (docs/features/canary/index.md).
 * - The background analysis runs for the whole update; an analysis step (the
 *   gate) runs after the last weight. A Failed or Error run aborts: traffic
 *   and pods go back to the stable ReplicaSet, Argo CD shows the Rollout
 *   Degraded; an Inconclusive one pauses for a person (rollout/analysis.go).
 * - `progressDeadlineAbort`: a canary whose pods never become ready is aborted
 *   too, rather than left half rolled (docs/features/specification.md).
 */
export class CanaryRollout extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: CanaryRolloutProps) {
    super(scope, id);
    const check = checkProps('CanaryRollout', props)
      .object(props)
      .selector('selector', props.selector)
      .name('deploymentName', props.deploymentName)
      .name('stableService', props.stableService)
      .name('canaryService', props.canaryService)
      .that(props.stableService !== props.canaryService, 'canaryService', 'is the stable Service: the controller needs two')
      .nonEmpty('steps', props.steps)
      .integer('replicas', props.replicas, { min: 1 })
      .integer('minReadySeconds', props.minReadySeconds, { min: 0 })
      .integer('revisionHistoryLimit', props.revisionHistoryLimit, { min: 0 })
      .integer('progressDeadlineSeconds', props.progressDeadlineSeconds, { min: 1 });
    props.steps.forEach((s, i) => {
      // 100 belongs after the gate, which the Rollout adds after the last step.
      check.integer(`steps[${i}].weight`, s.weight, { min: 1, max: 99 });
      check.that(s.pause === 'manual' || /^[1-9]\d*[smh]$/.test(s.pause), `steps[${i}].pause`, `is "${s.pause}", neither "manual" nor a duration such as "5m"`);
    });
    const args: RolloutSpecStrategyCanaryAnalysisArgs[] = [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }];
    const steps: RolloutSpecStrategyCanarySteps[] = props.steps.flatMap((s) => [
      { setWeight: s.weight },
      { pause: s.pause === 'manual' ? {} : { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromString(s.pause) } },
    ]);
    steps.push({ analysis: { templates: [{ templateName: props.gateAnalysis }], args } });

    const rollout = new Rollout(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: props.selector },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deploymentName, scaleDown: 'progressively' },
        minReadySeconds: props.minReadySeconds,
        revisionHistoryLimit: props.revisionHistoryLimit ?? 5,
        progressDeadlineSeconds: props.progressDeadlineSeconds ?? 600,
        progressDeadlineAbort: true,
        strategy: {
          canary: {
            stableService: props.stableService,
            canaryService: props.canaryService,
            // Replica-weighted canary only (ignored with traffic routing): never fewer ready pods than wanted.
            maxUnavailable: RolloutSpecStrategyCanaryMaxUnavailable.fromNumber(0),
            maxSurge: RolloutSpecStrategyCanaryMaxSurge.fromString('25%'),
            ...(props.stableIngress ? { trafficRouting: { nginx: { stableIngress: props.stableIngress } } } : {}),
            analysis: { templates: [{ templateName: props.backgroundAnalysis }], args },
            steps,
          },
        },
      },
    });
    this.name = rollout.name;
  }
}

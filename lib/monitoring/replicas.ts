import { MonitoringContext } from './context';

/**
 * The API's replicas as kube-state-metrics reports them, whichever object owns
 * the pods. One definition for the alert OdooFinderPodsNotReady, the replicas
 * panel and `npm run verify`.
 *
 * Why not the Deployment's `kube_deployment_spec_replicas` and
 * `..._status_replicas_available`: with `delivery.strategy: canary` the Argo
 * Rollout references the Deployment (`workloadRef`, `scaleDown: progressively`)
 * and, once it runs, the Deployment sits at 0 replicas while the Rollout's
 * ReplicaSets own the pods, so those series read 0 of 0. The Rollout is a
 * custom resource that kube-state-metrics exports only with a
 * custom-resource-state configuration (kube-state-metrics
 * docs/metrics/extend/customresourcestate-metrics.md), which a cluster cannot
 * be assumed to have. What it exports by default for either strategy
 * (docs/metrics/workload/horizontalpodautoscaler-metrics.md, pod-metrics.md,
 * all STABLE):
 * - `kube_horizontalpodautoscaler_status_desired_replicas`: the replicas the
 *   HPA wants; the HPA scales the Deployment (rolling) or the Rollout (canary).
 * - `kube_pod_status_ready{condition="true"}`: 1 for a ready pod, 0 for one
 *   that is not; a pod with no Ready condition yet (unschedulable) has no
 *   series (internal/store/pod.go createPodStatusReadyFamilyGenerator).
 * - `kube_pod_status_phase`: one series per phase, 1 for the pod's phase.
 * The API's pods are those whose name matches `ctx.pods`: a Deployment's and a
 * Rollout's ReplicaSets are both named `<workload>-<pod-template-hash>` with
 * the same vowel-free hash (argo-rollouts rollout/sync.go, utils/hash/hash.go
 * `rand.SafeEncodeString`), and their pods `<replicaset>-<5 characters>`.
 */
export function replicaQueries(c: Pick<MonitoringContext, 'hpa' | 'pods'>, namespace: string) {
  const hpa = `namespace="${namespace}",horizontalpodautoscaler="${c.hpa}"`;
  const pods = `namespace="${namespace}",pod=~"${c.pods}"`;
  const wanted = `max by (namespace) (kube_horizontalpodautoscaler_status_desired_replicas{${hpa}})`;
  const readyPods = `sum by (namespace) (kube_pod_status_ready{${pods},condition="true"})`;
  return {
    /** Replicas the autoscaler wants. */
    wanted,
    /** Ready API pods; 0 (not empty) while the HPA reports and no pod exists. */
    ready: `(\n  ${readyPods}\n  or\n  0 * ${wanted}\n)`,
    /**
     * API pods that are Pending, or Running without being ready: during a
     * canary the stable pods alone can match the wanted count, so a canary
     * pod that never gets ready shows only here. Finished pods (Failed,
     * e.g. evicted, or Succeeded) are left out: they are no replicas.
     */
    notReadyPods:
      `count by (namespace) (\n  kube_pod_status_phase{${pods},phase="Pending"} == 1\n  or\n` +
      `  (kube_pod_status_ready{${pods},condition="true"} == 0 and on (namespace, pod) kube_pod_status_phase{${pods},phase="Running"} == 1)\n)`,
  };
}

/**
 * Replicas of the API not ready: the wanted replicas without a ready pod, or
 * else the API pods not ready. Empty while everything is ready.
 */
export function replicasNotReadyExpr(c: Pick<MonitoringContext, 'hpa' | 'pods'>, namespace: string): string {
  const q = replicaQueries(c, namespace);
  return `(\n${q.wanted}\n-\n${q.ready}\n) > 0\nor\n${q.notReadyPods} > 0`;
}

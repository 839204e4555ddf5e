import { get, stringAt } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { PodTemplateFields, podReferences } from '../pod-fields';
import { finding, Resource } from '../resource';
import { compareSteps, describeStep, hookPhasesOf, syncStepOf } from './sync-options';

/**
 * Rule `argocd-health`: every object can become Healthy during the sync.
 *
 * Argo CD applies a sync wave by wave and starts the next wave (and, after
 * the last, the PostSync hooks) only once every object of the current one is
 * Healthy; a Progressing object keeps the sync waiting, a Degraded one fails
 * it (gitops-engine pkg/sync/sync_context.go). Health comes per kind from
 * gitops-engine pkg/health/: Deployment, StatefulSet, DaemonSet, ReplicaSet
 * (all their pods ready and updated), Job (complete), HorizontalPodAutoscaler
 * (its conditions), Service (a LoadBalancer needs an address), Ingress (needs
 * status.loadBalancer from the controller), PersistentVolumeClaim (Bound only:
 * Pending is Progressing, health_pvc.go); Argo CD adds ExternalSecret (Ready)
 * and CronJob (argo-cd resource_customizations/). Other kinds have no health
 * check and count as Healthy at once.
 *
 * What dist/ alone can prove will never become Healthy:
 * - a PersistentVolumeClaim that no pod of its own wave mounts: under a
 *   WaitForFirstConsumer StorageClass (the GKE, EKS and AKS default) it binds
 *   only when such a pod is scheduled, and a pod of an earlier wave cannot
 *   start before the claim exists;
 * - a pod template (workload or hook) that needs a ConfigMap, Secret (of an
 *   ExternalSecret here) or ServiceAccount that a later wave or phase creates.
 */
export function checkSyncHealth(folder: Folder): Finding[] {
  const findings: Finding[] = [];
  for (const claim of folder.ofKind('PersistentVolumeClaim')) findings.push(...checkClaim(folder, claim));
  for (const t of folder.templates) findings.push(...checkReferences(folder, t));
  for (const hpa of folder.ofKind('HorizontalPodAutoscaler')) findings.push(...checkAutoscalerOrder(folder, hpa));
  return findings;
}

/**
 * Rule `argocd-hpa-order`: the workload an HPA scales comes no later than the
 * HPA's own sync step. The HPA controller first looks at a new HPA one sync
 * period after it appears (kubernetes pkg/controller/podautoscaler/horizontal.go
 * enqueueHPA: AddRateLimited with a fixed-interval limiter, 15 s by default);
 * until then Argo CD calls it Progressing ("Waiting to Autoscale", gitops-engine
 * pkg/health/health_hpa.go) and holds the next wave. If the target comes in a
 * later wave, that first look finds none (AbleToScale=False, FailedGetScale),
 * the HPA is Degraded, and a Degraded object of a step fails the sync
 * (pkg/sync/sync_context.go). In the same wave the target is applied with it
 * (pkg/sync/sync_tasks.go applies a Rollout, a custom kind, after the HPA, in
 * the same pass), long before that first look.
 */
function checkAutoscalerOrder(folder: Folder, hpa: Resource): Finding[] {
  const kind = stringAt(hpa.object, 'spec', 'scaleTargetRef', 'kind');
  const name = stringAt(hpa.object, 'spec', 'scaleTargetRef', 'name');
  const target = kind && name ? folder.find(kind, hpa.namespace, name) : undefined;
  const step = syncStepOf(hpa);
  const targetStep = target && syncStepOf(target);
  if (!target || !step || !targetStep || hookPhasesOf(hpa).length > 0 || compareSteps(targetStep, step) <= 0) return [];
  return [
    finding(hpa, 'error', 'argocd-hpa-order', ['spec', 'scaleTargetRef'],
      `its target ${target.kind} "${target.name}" comes in ${describeStep(targetStep)}, after its ${describeStep(step)}: Argo CD waits for the HPA before applying it, the HPA controller's first look finds no target (AbleToScale=False, FailedGetScale), Argo CD reports the HPA Degraded (pkg/health/health_hpa.go) and fails the sync. Put the HPA in its target's wave`),
  ];
}

/** Kinds whose pods start as soon as Argo CD applies them (a CronJob's start on its schedule), an Argo Rollout with its own template included. */
const STARTS_PODS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'Pod', 'Rollout']);

function checkClaim(folder: Folder, claim: Resource): Finding[] {
  const step = syncStepOf(claim);
  if (!step || hookPhasesOf(claim).length > 0 || stringAt(claim.object, 'spec', 'volumeName')) return []; // a pre-bound claim binds without a consumer
  const mounting = folder.templatesIn(claim.namespace).filter((t) => podReferences(t).some((r) => r.kind === 'PersistentVolumeClaim' && r.name === claim.name));
  const consumers = mounting.filter((t) => STARTS_PODS.has(t.resource.kind) && hookPhasesOf(t.resource).length === 0 && startsPods(t.resource));
  if (consumers.some((t) => compareSteps(syncStepOf(t.resource)!, step) === 0)) return [];
  const add = (message: string) => [finding(claim, 'error', 'argocd-health', ['metadata', 'name'], message)];
  const waiting = `under a WaitForFirstConsumer StorageClass (the GKE, EKS and AKS default) it stays Pending, which Argo CD counts as Progressing (gitops-engine pkg/health/health_pvc.go)`;
  const earlier = consumers.find((t) => compareSteps(syncStepOf(t.resource)!, step) < 0);
  if (earlier) {
    return add(`${describeWorkload(earlier.resource)} mounts it but cannot start before it exists (${describeStep(step)}), so ${describeStep(syncStepOf(earlier.resource)!)} never becomes Healthy: put the claim in the wave of the workload that mounts it`);
  }
  if (consumers.length > 0) {
    const first = consumers[0];
    return add(`its first consumer, ${describeWorkload(first.resource)}, starts only in ${describeStep(syncStepOf(first.resource)!)}: ${waiting}, so ${describeStep(step)} never becomes Healthy. Put the claim in the wave of the workload that mounts it`);
  }
  const others = mounting.map((t) => describeWorkload(t.resource));
  const only = others.length > 0 ? ` (only ${others.join(', ')}, whose pods start later: on a schedule or as a hook)` : '';
  return add(`no pod that starts during the sync mounts it${only}: ${waiting} and the sync waits at ${describeStep(step)} for ever, so later waves and PostSync hooks never run. Mount it in a workload of the same wave, or pre-bind it (spec.volumeName)`);
}

/** Whether applying the workload starts a pod: not with `replicas: 0`, nor a suspended Job. */
function startsPods(r: Resource): boolean {
  return get(r.object, 'spec', 'replicas') !== 0 && get(r.object, 'spec', 'suspend') !== true;
}

function checkReferences(folder: Folder, t: PodTemplateFields): Finding[] {
  const step = syncStepOf(t.resource);
  if (!step) return [];
  const findings: Finding[] = [];
  const namespace = t.resource.namespace;
  for (const ref of podReferences(t)) {
    // Claims are checked from the claim's side (checkClaim); optional references do not hold a pod back.
    if (ref.optional || ref.kind === 'PersistentVolumeClaim') continue;
    const creator =
      ref.kind === 'Secret'
        ? folder.ofKind('ExternalSecret', namespace).find((e) => (stringAt(e.object, 'spec', 'target', 'name') ?? e.name) === ref.name)
        : folder.find(ref.kind, namespace, ref.name);
    const created = creator && syncStepOf(creator);
    if (!created || compareSteps(created, step) <= 0) continue;
    const what = ref.kind === 'Secret' ? `Secret "${ref.name}" (made by ExternalSecret "${creator.name}")` : `${ref.kind} "${ref.name}"`;
    findings.push(
      finding(t.resource, 'error', 'argocd-health', ref.path,
        `${what} comes in ${describeStep(created)}, after this ${describeWorkload(t.resource)} (${describeStep(step)}): its pods cannot start until it exists, so ${describeStep(step)} never becomes Healthy. Move ${ref.kind === 'Secret' ? 'the ExternalSecret' : 'it'} to an earlier wave`),
    );
  }
  return findings;
}

function describeWorkload(r: Resource): string {
  const hook = hookPhasesOf(r);
  return `${hook.length > 0 ? `${hook.join(',')} hook ` : ''}${r.kind} "${r.name}"`;
}

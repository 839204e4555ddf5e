import { POD_TEMPLATE_PATHS } from '../../manifests/rendered-pods';
import { Resource } from '../../validate/resource';
import { hookPhasesOf } from '../../validate/argocd/sync-options';
import { hookRecreatedEachSync } from '../argocd';
import { describePaths, immutableChanges } from '../immutable';
import { Risk, startsWith } from '../model';
import { Assessment, ObjectDelta } from './delta';

/** Workloads whose controller replaces every pod when the pod template changes (an Argo Rollout through its canary steps). */
const ROLLING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout']);

/** Pod template annotations that carry a hash of a ConfigMap or Secret, so that changing it rolls the pods. */
const CHECKSUM_ANNOTATION = /^checksum\//;

/** A change of the pod template of a Deployment, StatefulSet or DaemonSet replaces every pod. */
export function rollsPods(delta: ObjectDelta): Partial<Assessment> {
  const { before, after } = delta;
  if (!before || !after || !ROLLING_KINDS.has(after.kind)) return {};
  const template = POD_TEMPLATE_PATHS[after.kind];
  const changed = delta.fields.filter((f) => startsWith(f.path, template));
  if (changed.length === 0) return {};
  const checksums = changed
    .filter((f) => startsWith(f.path, [...template, 'metadata', 'annotations']) && CHECKSUM_ANNOTATION.test(String(f.path[template.length + 2])))
    .map((f) => String(f.path[template.length + 2]));
  const why = `${changed.length} field(s) of the pod template changed${checksums.length > 0 ? ` (${checksums.join(', ')}: the configuration it hashes changed)` : ''}`;
  const onDelete = after.kind === 'StatefulSet' && (after.object.spec as { updateStrategy?: { type?: string } } | undefined)?.updateStrategy?.type === 'OnDelete';
  const rollout = after.kind === 'Rollout' ? after : after.kind === 'Deployment' ? delta.folder?.rolloutOf(after.name) : undefined;
  const message = onDelete
    ? `${why}; updateStrategy OnDelete: each pod changes only when someone deletes it`
    : rollout
      ? `${why}; Rollout ${rollout.name} replaces every pod through its canary (${canarySteps(rollout)})`
      : `${why}; the sync replaces every pod of ${after.kind} ${after.name}`;
  return { risks: [{ kind: 'rolls-pods', message }] };
}

/**
 * A Rollout that ran a Deployment through `workloadRef` removed (an environment switched back to
 * rolling). Argo Rollouts scaled that Deployment to 0 (`scaleDown: progressively` or `onsuccess`;
 * argo-rollouts docs/migrating.md, "Migrating to Deployments"), nothing in dist/ scales it back
 * (it has no `spec.replicas`: the HPA owns them) and an HPA does not scale a target at 0
 * (kubernetes pkg/controller/podautoscaler/horizontal.go: "scaling is disabled since the replica
 * count of the target is zero"). Once Argo CD prunes the Rollout, no API pod runs.
 */
export function rolloutHandBack(delta: ObjectDelta): Partial<Assessment> {
  const { before, after } = delta;
  if (!before || after || before.kind !== 'Rollout' || !before.apiVersion.startsWith('argoproj.io/')) return {};
  const ref = (before.object.spec as { workloadRef?: { kind?: string; name?: string; scaleDown?: string } } | undefined)?.workloadRef;
  if (ref?.kind !== 'Deployment' || !ref.scaleDown || ref.scaleDown === 'never') return {};
  const message =
    `Rollout ${before.name} removed: it scaled Deployment ${ref.name} to 0 (workloadRef scaleDown ${ref.scaleDown}), nothing here scales it back and an HPA does not scale a target at 0, ` +
    `so once Argo CD prunes the Rollout no pod serves. Before syncing: kubectl scale deployment ${ref.name} --replicas=<the Rollout's replicas> and wait for its pods (docs/delivery.md, "Switching back to rolling")`;
  return { risks: [{ kind: 'availability', message }] };
}

/**
 * A Rollout that takes over a Deployment through `workloadRef` added (an environment switched to
 * canary). On its first revision the controller scales the Deployment to the Rollout's replicas
 * minus its ready pods, so the API runs at the Rollout's `spec.replicas` (the HPA's floor, or 1
 * when unset: argo-rollouts rollout/controller.go), whatever the HPA had scaled the Deployment to
 * (argo-rollouts rollout/replicaset.go, revision 1 only). The same sync points the existing HPA at
 * the Rollout in the pass that creates it: a rare race. docs/delivery.md, "Switching to canary".
 */
export function rolloutTakeOver(delta: ObjectDelta): Partial<Assessment> {
  const { before, after } = delta;
  if (before || !after || after.kind !== 'Rollout' || !after.apiVersion.startsWith('argoproj.io/')) return {};
  const spec = after.object.spec as { replicas?: number; workloadRef?: { kind?: string; name?: string; scaleDown?: string } } | undefined;
  const ref = spec?.workloadRef;
  if (ref?.kind !== 'Deployment' || !ref.scaleDown || ref.scaleDown === 'never') return {};
  const replicas = spec?.replicas === undefined ? "1 pod (no spec.replicas: the controller's default)" : `${spec.replicas} pod(s) (its spec.replicas)`;
  const message =
    `Rollout ${after.name} takes over Deployment ${ref.name} (workloadRef scaleDown ${ref.scaleDown}): during the switch the API runs at ${replicas}, ` +
    `however many the HPA had scaled the Deployment to. Sync at a quiet hour or raise autoscaling.minReplicas for this release; ` +
    `if this first canary revision fails, scale the Deployment to 0 by hand once a later one is Healthy; if the sync fails on the HPA (FailedGetScale: ` +
    `its periodic look fell between its retarget and the Rollout's creation), sync again (docs/delivery.md, "Switching to canary")`;
  return { risks: [{ kind: 'availability', message }] };
}

/** `setWeight 10, pause 5m, setWeight 50, analysis` */
function canarySteps(rollout: Resource): string {
  const steps = (rollout.object.spec as { strategy?: { canary?: { steps?: Record<string, unknown>[] } } } | undefined)?.strategy?.canary?.steps ?? [];
  if (steps.length === 0) return 'no steps: all at once';
  return steps
    .map((step) => {
      const [name, value] = Object.entries(step)[0] ?? ['?', undefined];
      if (name === 'setWeight') return `${value}%`;
      if (name === 'pause') return `pause ${(value as { duration?: unknown } | undefined)?.duration ?? 'until promoted'}`;
      return name;
    })
    .join(', ');
}

/** Image changes of any pod template (Deployments, StatefulSets, Jobs, CronJobs), old → new tag. */
export function imageChanges(delta: ObjectDelta): Partial<Assessment> {
  const risks: Risk[] = [];
  for (const f of delta.fields) {
    if (f.path[f.path.length - 1] !== 'image' || typeof f.before !== 'string' || typeof f.after !== 'string') continue;
    const list = f.path[f.path.length - 3];
    if (list !== 'containers' && list !== 'initContainers') continue;
    const element = f.path[f.path.length - 2];
    const container = typeof element === 'object' ? element.value : `#${element}`;
    risks.push({ kind: 'image', message: `${list === 'initContainers' ? 'init container' : 'container'} ${container}: ${describeImageChange(f.before, f.after)}` });
  }
  return { risks };
}

/** `ghcr.io/org/api 1.4.2 → 1.4.3`, or both references when the repository changed too. */
export function describeImageChange(before: string, after: string): string {
  const a = splitImage(before);
  const b = splitImage(after);
  const version = (i: ReturnType<typeof splitImage>) => [i.tag ?? '(no tag)', i.digest].filter(Boolean).join('@');
  return a.repository === b.repository ? `${a.repository} ${version(a)} → ${version(b)}` : `${before} → ${after}`;
}

function splitImage(reference: string): { repository: string; tag?: string; digest?: string } {
  const [name, digest] = reference.split('@');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  return { repository: hasTag ? name.slice(0, colon) : name, tag: hasTag ? name.slice(colon + 1) : undefined, digest };
}

/**
 * Fields the API server refuses to update. Argo CD hooks are the exception: a
 * hook Job with BeforeHookCreation (explicit or by default) is deleted and
 * created anew on every sync, so its template may change freely.
 */
export function immutableFields(delta: ObjectDelta): Partial<Assessment> {
  const { before, after } = delta;
  if (!before || !after) return {};
  const refused = immutableChanges(before, delta.fields);
  if (!refused) return {};
  const paths = describePaths(refused.paths);
  const hook = hookPhasesOf(after).length > 0 ? after : hookPhasesOf(before).length > 0 ? before : undefined;
  if (hook && after.kind === 'Job') {
    if (hookRecreatedEachSync(hook)) {
      return { notes: [`${paths} changed on a hook Job: Argo CD deletes the previous run and creates the Job again on every sync (BeforeHookCreation), so the immutable template does not block the sync`] };
    }
    return {
      risks: [{ kind: 'immutable', message: `${paths} changed on a hook Job without BeforeHookCreation: if its previous run is still there, the sync fails (field is immutable; ${refused.source}); add BeforeHookCreation or delete the old Job` }],
    };
  }
  const remedy =
    after.kind === 'StatefulSet'
      ? `delete it with \`kubectl delete statefulset ${after.name} --cascade=orphan\` (pods and PVCs stay), then sync`
      : `delete it (or sync it with Replace=true and Force=true) so that Argo CD creates it again`;
  return { risks: [{ kind: 'immutable', message: `${paths} cannot change on an existing ${after.kind} (${refused.source}): the sync fails until the object is re-created: ${remedy}` }] };
}

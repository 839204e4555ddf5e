import { get } from '../validate/access';
import { Resource } from '../validate/resource';
import { parseQuantity } from '../config/quantity';
import { DiffPath, FieldChange, formatDiffPath, startsWith } from './model';

/**
 * Fields the Kubernetes 1.28 API server refuses to update. A sync that changes
 * one fails ("field is immutable", "may not change once set", "updates to
 * statefulset spec for fields other than ... are forbidden") until the object
 * is deleted and created again.
 */
interface ImmutableRule {
  /** Paths that may not change. */
  readonly paths?: readonly (readonly string[])[];
  /** Or: everything under `spec` may not change, except these paths. */
  readonly specExcept?: readonly (readonly string[])[];
  /** Where the API server says so, for the next engineer. */
  readonly source: string;
  /** Only when the old object says so (ConfigMap/Secret `immutable: true`). */
  readonly when?: (before: Resource) => boolean;
}

const IMMUTABLE: Readonly<Record<string, ImmutableRule>> = {
  // kubernetes pkg/registry/apps/deployment/strategy.go ValidateUpdate: "disallow mutation of selector" (apps/v1);
  // the same in pkg/registry/apps/replicaset/strategy.go and pkg/registry/apps/daemonset/strategy.go.
  Deployment: { paths: [['spec', 'selector']], source: 'pkg/registry/apps/deployment/strategy.go' },
  ReplicaSet: { paths: [['spec', 'selector']], source: 'pkg/registry/apps/replicaset/strategy.go' },
  DaemonSet: { paths: [['spec', 'selector']], source: 'pkg/registry/apps/daemonset/strategy.go' },
  // pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate (1.28): "updates to statefulset spec for fields
  // other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and
  // 'minReadySeconds' are forbidden". So selector, serviceName, volumeClaimTemplates, podManagementPolicy and
  // revisionHistoryLimit are fixed at creation.
  StatefulSet: {
    specExcept: ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'].map((f) => ['spec', f]),
    source: 'pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate',
  },
  // pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate: selector, template (validatePodTemplateUpdate: only
  // the scheduling directives of a suspended Job may change), completions (except elastic indexed Jobs),
  // completionMode, podFailurePolicy and backoffLimitPerIndex are immutable.
  Job: {
    paths: [['spec', 'selector'], ['spec', 'template'], ['spec', 'completions'], ['spec', 'completionMode'], ['spec', 'podFailurePolicy'], ['spec', 'backoffLimitPerIndex']],
    source: 'pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate',
  },
  // pkg/apis/core/validation/validation.go ValidateServiceUpdate: "spec.clusterIPs[0]: may not change once set".
  Service: { paths: [['spec', 'clusterIP'], ['spec', 'clusterIPs']], source: 'pkg/apis/core/validation/validation.go ValidateServiceUpdate' },
  // pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimUpdate: "spec is immutable after creation except
  // resources.requests for bound claims" (and the request may only grow: "field can not be less than previous value").
  PersistentVolumeClaim: {
    specExcept: [['spec', 'resources', 'requests']],
    source: 'pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimUpdate',
  },
  // pkg/apis/core/validation/validation.go ValidateConfigMapUpdate / ValidateSecretUpdate:
  // "field is immutable when `immutable` is set".
  ConfigMap: { paths: [['data'], ['binaryData']], when: (before) => get(before.object, 'immutable') === true, source: 'pkg/apis/core/validation/validation.go ValidateConfigMapUpdate' },
  Secret: { paths: [['data'], ['stringData']], when: (before) => get(before.object, 'immutable') === true, source: 'pkg/apis/core/validation/validation.go ValidateSecretUpdate' },
};

/** The changed fields that the API server will refuse to update, with why. */
export function immutableChanges(before: Resource, fields: readonly FieldChange[]): { paths: DiffPath[]; source: string } | undefined {
  const rule = IMMUTABLE[before.kind];
  if (!rule || (rule.when && !rule.when(before))) return undefined;
  const refused = fields.filter((f) => isImmutable(rule, f.path)).map((f) => f.path);
  if (before.kind === 'PersistentVolumeClaim') refused.push(...shrunkStorage(fields));
  return refused.length > 0 ? { paths: refused, source: rule.source } : undefined;
}

function isImmutable(rule: ImmutableRule, path: DiffPath): boolean {
  if (rule.paths?.some((p) => startsWith(path, p))) return true;
  return rule.specExcept !== undefined && path[0] === 'spec' && !rule.specExcept.some((p) => startsWith(path, p));
}

/** A PVC's storage request may grow (volume expansion), never shrink. */
function shrunkStorage(fields: readonly FieldChange[]): DiffPath[] {
  return fields
    .filter((f) => formatDiffPath(f.path) === 'spec.resources.requests.storage' && typeof f.before === 'string' && typeof f.after === 'string')
    .filter((f) => (parseQuantity(f.after as string) ?? Infinity) < (parseQuantity(f.before as string) ?? 0))
    .map((f) => f.path);
}

/** `spec.selector, spec.template` */
export function describePaths(paths: readonly DiffPath[]): string {
  return [...new Set(paths.map((p) => formatDiffPath(p.slice(0, 2))))].join(', ');
}

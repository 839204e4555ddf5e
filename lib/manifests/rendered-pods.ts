import { Manifest } from '../synth/render';

/** Where each workload kind keeps its pod template (an object with `metadata` and `spec`). */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  // An Argo Rollout with its own template (one with workloadRef has none: its Deployment holds it).
  Rollout: ['spec', 'template'],
};

/**
 * A pod template of a manifest we rendered, as typed data, with the workload
 * that holds it (tests and the checklist read our own objects this way; the
 * validator reads any input with the path of each field: lib/validate/pod-fields.ts).
 */
export interface RenderedPodTemplate {
  readonly owner: Manifest;
  readonly labels: Record<string, string>;
  readonly spec: PodSpec;
}

export interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  securityContext?: Record<string, unknown>;
  command?: string[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; configMap?: { name: string }; secret?: { secretName: string }; persistentVolumeClaim?: { claimName: string } }[];
}

type Template = { metadata?: { labels?: Record<string, string> }; spec: PodSpec };

/** Every pod template of the workloads (Deployments, StatefulSets, Jobs, CronJobs, ...). */
export function podTemplates(manifests: readonly Manifest[]): RenderedPodTemplate[] {
  const found: RenderedPodTemplate[] = [];
  for (const m of manifests) {
    const path = POD_TEMPLATE_PATHS[m.kind];
    const template = path?.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], m) as Template | undefined;
    if (template?.spec) found.push({ owner: m, labels: template.metadata?.labels ?? {}, spec: template.spec });
  }
  return found;
}

/** Whether `labels` has every entry of `selector` (an empty selector matches everything). */
export function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The containers of a pod, init containers included. */
export function containersOf(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** `<Kind>/<name>`, for messages. */
export function describe(m: Manifest): string {
  return `${m.kind}/${m.metadata.name}`;
}

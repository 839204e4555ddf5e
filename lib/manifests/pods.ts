import { Manifest } from '../synth/render';

/** A pod template found in a workload, with the workload that holds it. */
export interface PodTemplate {
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

/** Every pod template of Deployments, StatefulSets, DaemonSets, Jobs and CronJobs. */
export function podTemplates(manifests: readonly Manifest[]): PodTemplate[] {
  const found: PodTemplate[] = [];
  for (const m of manifests) {
    const spec = m.spec as { template?: Template; jobTemplate?: { spec: { template: Template } } } | undefined;
    const template = m.kind === 'CronJob' ? spec?.jobTemplate?.spec.template : ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(m.kind) ? spec?.template : undefined;
    if (template) found.push({ owner: m, labels: template.metadata?.labels ?? {}, spec: template.spec });
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

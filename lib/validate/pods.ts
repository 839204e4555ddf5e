import { arrayAt, isObject, JsonObject, objectAt, stringAt, stringMap } from './access';
import { FieldPath } from './finding';
import { POD_TEMPLATE_PATHS } from '../manifests/pods';
import { Resource } from './resource';


/** Workloads whose pods are meant to run for ever (they get probes, a PDB, a NetworkPolicy). */
export const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Rollout']);

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  readonly list: ContainerList;
  readonly container: JsonObject;
  readonly name: string;
  readonly path: FieldPath;
}

/** The pod template of a workload. */
export interface PodTemplate {
  readonly resource: Resource;
  /** Path of the template (holds `metadata` and `spec`). */
  readonly path: FieldPath;
  readonly specPath: FieldPath;
  readonly spec: JsonObject;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly longRunning: boolean;
  /** Every container: init, regular and ephemeral. */
  readonly containers: ContainerRef[];
}

export function podTemplateOf(r: Resource): PodTemplate | undefined {
  const path = POD_TEMPLATE_PATHS[r.kind] as FieldPath | undefined;
  if (!path) return undefined;
  const template = path.length === 0 ? r.object : objectAt(r.object, ...path);
  const spec = objectAt(template, 'spec');
  if (!template || !spec) return undefined;
  const specPath = [...path, 'spec'];
  const containers: ContainerRef[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    arrayAt(spec, list).forEach((c, i) => {
      if (isObject(c)) containers.push({ list, container: c, name: stringAt(c, 'name') ?? `#${i}`, path: [...specPath, list, i] });
    });
  }
  return {
    resource: r,
    path,
    specPath,
    spec,
    labels: stringMap(template, 'metadata', 'labels'),
    annotations: stringMap(template, 'metadata', 'annotations'),
    longRunning: LONG_RUNNING_KINDS.has(r.kind),
    containers,
  };
}

/** Named and numbered ports a container listens on. */
export function containerPorts(c: ContainerRef): { name?: string; port: number; protocol: string }[] {
  return arrayAt(c.container, 'ports').flatMap((p) => {
    const port = (p as { containerPort?: unknown }).containerPort;
    if (typeof port !== 'number') return [];
    return [{ name: stringAt(p, 'name'), port, protocol: stringAt(p, 'protocol') ?? 'TCP' }];
  });
}

/** Whether a pod template has a container port with that name or number (regular containers only: init containers do not serve). */
export function podListensOn(t: PodTemplate, port: string | number, protocol = 'TCP'): boolean {
  return t.containers
    .filter((c) => c.list === 'containers')
    .some((c) => containerPorts(c).some((p) => p.protocol === protocol && (typeof port === 'number' ? p.port === port : p.name === port)));
}

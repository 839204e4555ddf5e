import { arrayAt, get, isObject, JsonObject, objectAt, stringAt, stringMap } from './access';
import { FieldPath } from './finding';
import { POD_TEMPLATE_PATHS } from '../manifests/rendered-pods';
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

/** The pod template of a workload in any input, as JSON with the path of each field (for findings). */
export interface PodTemplateFields {
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

export function podTemplateOf(r: Resource): PodTemplateFields | undefined {
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
export function podListensOn(t: PodTemplateFields, port: string | number, protocol = 'TCP'): boolean {
  return t.containers
    .filter((c) => c.list === 'containers')
    .some((c) => containerPorts(c).some((p) => p.protocol === protocol && (typeof port === 'number' ? p.port === port : p.name === port)));
}

/**
 * The ServiceAccount of a pod: `serviceAccountName`, or when that is empty the
 * deprecated `serviceAccount`, as the API server reads them (pkg/apis/core/v1
 * conversion of PodSpec); undefined means `default`.
 */
export function serviceAccountOf(t: PodTemplateFields): { name: string; path: FieldPath } | undefined {
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const name = stringAt(t.spec, field);
    if (name) return { name, path: [...t.specPath, field] };
  }
  return undefined;
}

/** An object a pod needs before it can start. */
export interface PodReference {
  readonly kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount';
  readonly name: string;
  readonly path: FieldPath;
  /** `optional: true`: the pod starts without it. */
  readonly optional: boolean;
}

/** Every ConfigMap, Secret, PVC and ServiceAccount a pod template refers to by name. */
export function podReferences(t: PodTemplateFields): PodReference[] {
  const refs: PodReference[] = [];
  const add = (kind: PodReference['kind'], name: string | undefined, path: FieldPath, optional: unknown = false) => {
    if (name) refs.push({ kind, name, path, optional: optional === true });
  };
  for (const c of t.containers) {
    arrayAt(c.container, 'envFrom').forEach((e, i) => {
      add('ConfigMap', stringAt(e, 'configMapRef', 'name'), [...c.path, 'envFrom', i, 'configMapRef', 'name'], get(e, 'configMapRef', 'optional'));
      add('Secret', stringAt(e, 'secretRef', 'name'), [...c.path, 'envFrom', i, 'secretRef', 'name'], get(e, 'secretRef', 'optional'));
    });
    arrayAt(c.container, 'env').forEach((e, i) => {
      add('ConfigMap', stringAt(e, 'valueFrom', 'configMapKeyRef', 'name'), [...c.path, 'env', i, 'valueFrom', 'configMapKeyRef', 'name'], get(e, 'valueFrom', 'configMapKeyRef', 'optional'));
      add('Secret', stringAt(e, 'valueFrom', 'secretKeyRef', 'name'), [...c.path, 'env', i, 'valueFrom', 'secretKeyRef', 'name'], get(e, 'valueFrom', 'secretKeyRef', 'optional'));
    });
  }
  arrayAt(t.spec, 'volumes').forEach((v, i) => {
    const path = [...t.specPath, 'volumes', i];
    add('ConfigMap', stringAt(v, 'configMap', 'name'), [...path, 'configMap', 'name'], get(v, 'configMap', 'optional'));
    add('Secret', stringAt(v, 'secret', 'secretName'), [...path, 'secret', 'secretName'], get(v, 'secret', 'optional'));
    add('PersistentVolumeClaim', stringAt(v, 'persistentVolumeClaim', 'claimName'), [...path, 'persistentVolumeClaim', 'claimName']);
    arrayAt(v, 'projected', 'sources').forEach((source, j) => {
      add('ConfigMap', stringAt(source, 'configMap', 'name'), [...path, 'projected', 'sources', j, 'configMap', 'name'], get(source, 'configMap', 'optional'));
      add('Secret', stringAt(source, 'secret', 'name'), [...path, 'projected', 'sources', j, 'secret', 'name'], get(source, 'secret', 'optional'));
    });
  });
  const account = serviceAccountOf(t);
  if (account) add('ServiceAccount', account.name, account.path);
  return refs;
}

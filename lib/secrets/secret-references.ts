import { Manifest } from '../synth/render';

/** The keys of one Secret that rendered objects read. */
export interface SecretUse {
  /** Namespace of the objects that read it (a Secret is read from their own namespace). */
  readonly namespace?: string;
  readonly name: string;
  readonly keys: readonly string[];
}

const SELECTOR_FIELDS = new Set(['name', 'key', 'optional']);

/** A `{ name, key }` Secret key selector, as custom resources (e.g. AlertmanagerConfig) write them. */
function isKeySelector(value: Record<string, unknown>): boolean {
  return typeof value.name === 'string' && typeof value.key === 'string' && Object.keys(value).every((k) => SELECTOR_FIELDS.has(k));
}

/** Custom resources: API groups with a dot that are not Kubernetes' own (`*.k8s.io`). */
function isCustomResource(m: Manifest): boolean {
  const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
  return group.includes('.') && !group.endsWith('.k8s.io');
}

/**
 * Every Secret key the objects read, by namespace and Secret, sorted: the
 * `secretKeyRef`s of pods, and `{ name, key }` selectors in custom resources
 * (ConfigMap selectors excluded). Whole-Secret references (TLS Secrets of an
 * Ingress, written by cert-manager) are not keys and are not listed.
 */
export function secretKeyReferences(manifests: readonly Manifest[]): SecretUse[] {
  const uses = new Map<string, { namespace?: string; name: string; keys: Set<string> }>();
  const add = (namespace: string | undefined, name: string, key: string) => {
    const id = `${namespace ?? ''}/${name}`;
    if (!uses.has(id)) uses.set(id, { namespace, name, keys: new Set() });
    uses.get(id)!.keys.add(key);
  };
  for (const m of manifests) {
    const custom = isCustomResource(m);
    const walk = (value: unknown, parentKey: string): void => {
      if (Array.isArray(value)) return value.forEach((v) => walk(v, parentKey));
      if (typeof value !== 'object' || value === null) return;
      const object = value as Record<string, unknown>;
      if (parentKey === 'secretKeyRef' || (custom && isKeySelector(object) && !/configmap/i.test(parentKey))) {
        add(m.metadata.namespace, String(object.name), String(object.key));
        return;
      }
      for (const [k, v] of Object.entries(object)) if (k !== 'metadata') walk(v, k);
    };
    walk(m, '');
  }
  return [...uses.values()]
    .map((u) => ({ namespace: u.namespace, name: u.name, keys: [...u.keys].sort() }))
    .sort((a, b) => `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`));
}

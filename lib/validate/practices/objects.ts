import { get, stringAt, stringMap } from '../access';
import { Finding } from '../finding';
import { finding, Resource } from '../resource';
import { secretLooking } from './secret-looking';

/** Largest object `kubectl apply` (client side, Argo CD's default) can record in its last-applied annotation. */
const CLIENT_SIDE_APPLY_LIMIT = 262144;
/** Largest object etcd stores. */
const OBJECT_LIMIT = 1048576;

/** Best practices about single objects, whatever their kind. */
export function checkObject(r: Resource, namespaced: boolean | undefined, sharedFolder: boolean): Finding[] {
  const findings: Finding[] = [];
  if (namespaced === true) {
    if (r.namespace === undefined) findings.push(finding(r, 'error', 'namespace', ['metadata'], 'has no metadata.namespace: it would land in whatever namespace it is applied to'));
    else if (r.namespace === 'default') findings.push(finding(r, 'error', 'namespace', ['metadata', 'namespace'], 'must not be in the "default" namespace'));
  }
  if (r.kind === 'Secret' && r.apiVersion === 'v1') {
    findings.push(finding(r, 'error', 'secret-object', ['kind'], 'Secrets must not be committed: create them with an ExternalSecret (or in the cluster)'));
  }
  if (r.kind === 'ConfigMap') {
    for (const [key, value] of Object.entries(stringMap(r.object, 'data'))) {
      const why = secretLooking(key, value);
      if (why) findings.push(finding(r, 'error', 'secret-literal', ['data', key], `${key} is in a ConfigMap and ${why}: keep it in a Secret`));
    }
  }
  if (r.kind === 'Namespace' && !sharedFolder && stringAt(r.object, 'metadata', 'labels', 'pod-security.kubernetes.io/enforce') !== 'restricted') {
    findings.push(finding(r, 'error', 'namespace-pod-security', ['metadata', 'labels'], 'must have the label pod-security.kubernetes.io/enforce: restricted'));
  }
  const size = Buffer.byteLength(JSON.stringify(r.object));
  const serverSide = /ServerSideApply=true/.test(String(get(r.object, 'metadata', 'annotations', 'argocd.argoproj.io/sync-options') ?? ''));
  if (size > OBJECT_LIMIT) findings.push(finding(r, 'error', 'object-size', [], `is ${size} bytes; the API server stores at most ${OBJECT_LIMIT}`));
  else if (size > CLIENT_SIDE_APPLY_LIMIT && !serverSide) {
    findings.push(finding(r, 'error', 'object-size', [], `is ${size} bytes, too large for client-side apply (${CLIENT_SIDE_APPLY_LIMIT}): annotate argocd.argoproj.io/sync-options: ServerSideApply=true or make it smaller`));
  }
  return findings;
}

import { stringAt } from '../access';
import { Finding } from '../finding';
import { finding, Resource } from '../resource';
import { translateErrors } from './errors';
import { removalMessage } from './removed-apis';
import { SchemaStore } from './store';

/** Rule `schema`: the object as the API server of Kubernetes 1.28 (with the vendored CRDs) would accept it. */
export function checkSchema(store: SchemaStore, r: Resource): Finding[] {
  if (!r.apiVersion) return [finding(r, 'error', 'schema', ['apiVersion'], 'missing required field "apiVersion"')];
  if (!r.kind) return [finding(r, 'error', 'schema', ['kind'], 'missing required field "kind"')];
  const removed = removalMessage(r.apiVersion, r.kind);
  if (removed) return [finding(r, 'error', 'removed-api', ['apiVersion'], removed)];
  const info = store.kind(r.apiVersion, r.kind);
  if (!info.found) return [finding(r, 'error', 'schema', ['apiVersion'], info.message)];
  const findings: Finding[] = [];
  if (info.deprecation) findings.push(finding(r, 'warning', 'deprecated-api', ['apiVersion'], info.deprecation));
  if (r.object.status !== undefined) findings.push(finding(r, 'error', 'schema', ['status'], 'status is written by the cluster: do not commit it'));
  if (!stringAt(r.object, 'metadata', 'name')) findings.push(finding(r, 'error', 'schema', ['metadata'], 'missing required field "name"'));
  for (const p of translateErrors(info.validate(r.object), r.object)) {
    if (p.path[0] !== 'status') findings.push(finding(r, 'error', 'schema', p.path, p.message)); // status: one finding above is enough
  }
  return findings;
}

// Turns the vendored schemas into what the API server enforces: unknown fields
// rejected, quantities and int-or-string values checked by meaning.

type Schema = Record<string, unknown>;

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const OBJECT_META_REF = 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * The Kubernetes definitions with `additionalProperties: false` on every object
 * that lists its fields (like `kubectl --validate=strict`), and Quantity and
 * IntOrString replaced by the `x-quantity` and `x-int-or-string` keywords.
 */
export function prepareKubernetesDefinitions(definitions: Record<string, Schema>): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(definitions)) {
    if (name === QUANTITY) out[name] = { 'x-quantity': true };
    else if (name === INT_OR_STRING) out[name] = { 'x-int-or-string': true };
    else out[name] = closeObjects(schema, false);
  }
  for (const [field, values] of Object.entries(API_SERVER_ENUMS)) {
    const [definition, property] = [field.slice(0, field.lastIndexOf('.')), field.slice(field.lastIndexOf('.') + 1)];
    const properties = out[`io.k8s.api.${definition}`]?.properties as Record<string, Schema> | undefined;
    const target = properties?.[property];
    if (!target) throw new Error(`${KUBERNETES_DEFINITIONS_NAME}: io.k8s.api.${field} does not exist (API_SERVER_ENUMS is out of date)`);
    if (target.type === 'array') target.items = { ...(target.items as Schema), enum: values };
    else target.enum = values;
  }
  return out;
}

const KUBERNETES_DEFINITIONS_NAME = 'kubernetes-1.28-definitions.json';

/**
 * Closed sets of values the API server's validation enforces but the OpenAPI
 * document leaves as plain strings (so kubeconform would miss a typo such as `protocol: HTTP`).
 */
const API_SERVER_ENUMS: Record<string, string[]> = {
  'core.v1.ContainerPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'core.v1.ServicePort.protocol': ['TCP', 'UDP', 'SCTP'],
  'networking.v1.NetworkPolicyPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'networking.v1.NetworkPolicySpec.policyTypes': ['Ingress', 'Egress'],
  'networking.v1.HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'core.v1.Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.v1.Container.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'core.v1.PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'core.v1.PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'core.v1.ServiceSpec.type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  'core.v1.HTTPGetAction.scheme': ['HTTP', 'HTTPS'],
  'core.v1.SeccompProfile.type': ['RuntimeDefault', 'Localhost', 'Unconfined'],
  'core.v1.TopologySpreadConstraint.whenUnsatisfiable': ['DoNotSchedule', 'ScheduleAnyway'],
  'apps.v1.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'apps.v1.StatefulSetSpec.podManagementPolicy': ['OrderedReady', 'Parallel'],
  'apps.v1.StatefulSetUpdateStrategy.type': ['OnDelete', 'RollingUpdate'],
  'batch.v1.CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'policy.v1.PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': ['IfHealthyBudget', 'AlwaysAllow'],
};

/**
 * A CRD version's openAPIV3Schema as the API server reads it (structural
 * schema): fields it does not list are rejected (the server would prune them)
 * unless `x-kubernetes-preserve-unknown-fields`; the root `metadata` is a real ObjectMeta.
 */
export function prepareCrdSchema(schema: Schema): Schema {
  const closed = closeObjects(schema, true);
  const properties = { ...((closed.properties as Schema | undefined) ?? {}) };
  // status is written by the controller, never committed (checkSchema says so); not compiling it saves time.
  delete properties.status;
  properties.metadata = { $ref: OBJECT_META_REF };
  properties.apiVersion ??= { type: 'string' };
  properties.kind ??= { type: 'string' };
  return { ...closed, properties, additionalProperties: false };
}

function closeObjects(node: unknown, structural: boolean): Schema {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node as Schema;
  const s: Schema = { ...(node as Schema) };
  delete s.description;
  if (s['x-kubernetes-int-or-string'] === true) {
    delete s.anyOf;
    delete s.type;
    s['x-int-or-string'] = true;
  }
  if (s.properties) {
    s.properties = Object.fromEntries(Object.entries(s.properties as Schema).map(([k, v]) => [k, closeObjects(v, structural)]));
  }
  if (s.items) s.items = closeObjects(s.items, structural);
  if (typeof s.additionalProperties === 'object') s.additionalProperties = closeObjects(s.additionalProperties, structural);
  // anyOf/oneOf/allOf branches only add value checks in structural schemas: they are left open.
  const preserves = s['x-kubernetes-preserve-unknown-fields'] === true || s['x-kubernetes-embedded-resource'] === true;
  const listsFields = s.properties !== undefined || (structural && s.type === 'object');
  if (listsFields && !preserves && s.additionalProperties === undefined) s.additionalProperties = false;
  return s;
}

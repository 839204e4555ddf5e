/**
 * API versions that Kubernetes 1.28 no longer serves, by `apiVersion kind`,
 * with the release that removed them and the version to use instead
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
 */
interface Removal {
  readonly removedIn: string;
  readonly replacement?: string;
}

const REMOVED: Record<string, Removal> = {};

function removed(removedIn: string, apiVersions: string[], kinds: string[], replacement?: string): void {
  for (const apiVersion of apiVersions) for (const kind of kinds) REMOVED[`${apiVersion} ${kind}`] = { removedIn, replacement };
}

removed('1.16', ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'], 'apps/v1');
removed('1.16', ['extensions/v1beta1'], ['NetworkPolicy'], 'networking.k8s.io/v1');
removed('1.16', ['extensions/v1beta1'], ['PodSecurityPolicy']);
removed('1.22', ['extensions/v1beta1', 'networking.k8s.io/v1beta1'], ['Ingress'], 'networking.k8s.io/v1');
removed('1.22', ['networking.k8s.io/v1beta1'], ['IngressClass'], 'networking.k8s.io/v1');
removed('1.22', ['rbac.authorization.k8s.io/v1beta1'], ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'], 'rbac.authorization.k8s.io/v1');
removed('1.22', ['apiextensions.k8s.io/v1beta1'], ['CustomResourceDefinition'], 'apiextensions.k8s.io/v1');
removed('1.22', ['admissionregistration.k8s.io/v1beta1'], ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], 'admissionregistration.k8s.io/v1');
removed('1.22', ['apiregistration.k8s.io/v1beta1'], ['APIService'], 'apiregistration.k8s.io/v1');
removed('1.22', ['certificates.k8s.io/v1beta1'], ['CertificateSigningRequest'], 'certificates.k8s.io/v1');
removed('1.22', ['coordination.k8s.io/v1beta1'], ['Lease'], 'coordination.k8s.io/v1');
removed('1.22', ['scheduling.k8s.io/v1beta1'], ['PriorityClass'], 'scheduling.k8s.io/v1');
removed('1.22', ['storage.k8s.io/v1beta1'], ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 'storage.k8s.io/v1');
removed('1.25', ['batch/v1beta1'], ['CronJob'], 'batch/v1');
removed('1.25', ['discovery.k8s.io/v1beta1'], ['EndpointSlice'], 'discovery.k8s.io/v1');
removed('1.25', ['events.k8s.io/v1beta1'], ['Event'], 'events.k8s.io/v1');
removed('1.25', ['autoscaling/v2beta1'], ['HorizontalPodAutoscaler'], 'autoscaling/v2');
removed('1.25', ['policy/v1beta1'], ['PodDisruptionBudget'], 'policy/v1');
removed('1.25', ['policy/v1beta1'], ['PodSecurityPolicy']);
removed('1.25', ['node.k8s.io/v1beta1'], ['RuntimeClass'], 'node.k8s.io/v1');
removed('1.26', ['autoscaling/v2beta2'], ['HorizontalPodAutoscaler'], 'autoscaling/v2');
removed('1.26', ['flowcontrol.apiserver.k8s.io/v1beta1'], ['FlowSchema', 'PriorityLevelConfiguration'], 'flowcontrol.apiserver.k8s.io/v1beta3');
removed('1.27', ['storage.k8s.io/v1beta1'], ['CSIStorageCapacity'], 'storage.k8s.io/v1');

/** Why `apiVersion kind` cannot be applied to a 1.28 cluster, or undefined when it was never removed. */
export function removalMessage(apiVersion: string, kind: string): string | undefined {
  const r = REMOVED[`${apiVersion} ${kind}`];
  if (!r) return undefined;
  const instead = r.replacement ? `use apiVersion ${r.replacement}` : `${kind} no longer exists (Pod Security admission replaces PodSecurityPolicy)`;
  return `${apiVersion} ${kind} was removed in Kubernetes ${r.removedIn}: ${instead}`;
}

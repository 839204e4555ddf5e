import { k8s } from 'cdk8s-plus-28';

/**
 * Security contexts that satisfy Pod Security "restricted" explicitly, with
 * nothing left to a default: runtime default seccomp, no privilege escalation,
 * every capability dropped, a fixed non-root user and a read-only root.
 * Every pod this repository renders uses them (API, hooks, datastores).
 */
function restrictedPodSecurityContext(uid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function restrictedContainerSecurityContext(uid: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * What every pod spec here starts with: its own ServiceAccount with no API
 * token mounted (no pod calls the Kubernetes API), no Service environment
 * variables, and Pod Security "restricted" as the image's user.
 */
export function restrictedPodSpec(serviceAccountName: string, uid: number): Pick<k8s.PodSpec, 'serviceAccountName' | 'automountServiceAccountToken' | 'enableServiceLinks' | 'securityContext'> {
  return { serviceAccountName, automountServiceAccountToken: false, enableServiceLinks: false, securityContext: restrictedPodSecurityContext(uid) };
}

/** What every container here has: images pulled only when missing (tags are pinned), Pod Security "restricted" as `uid`. */
export function restrictedContainer(uid: number): Pick<k8s.Container, 'imagePullPolicy' | 'securityContext'> {
  return { imagePullPolicy: 'IfNotPresent', securityContext: restrictedContainerSecurityContext(uid) };
}

import { k8s } from 'cdk8s-plus-28';

/**
 * Security contexts that satisfy Pod Security "restricted" explicitly, with
 * nothing left to a default: runtime default seccomp, no privilege escalation,
 * every capability dropped, a fixed non-root user and a read-only root.
 * Every pod this repository renders uses them (API, hooks, datastores).
 */
export function restrictedPodSecurityContext(uid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedContainerSecurityContext(uid: number): k8s.SecurityContext {
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

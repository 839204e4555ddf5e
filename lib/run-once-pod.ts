import { k8s } from 'cdk8s-plus-28';
import { restrictedContainer, restrictedPodSpec } from './pod-security';

export interface RunOncePodProps {
  readonly labels: Record<string, string>;
  readonly serviceAccountName: string;
  readonly uid: number;
  readonly container: Omit<k8s.Container, 'securityContext' | 'imagePullPolicy' | 'volumeMounts'>;
  /** Extra volumes besides the /tmp emptyDir every such pod gets. */
  readonly volumes?: { volume: k8s.Volume; mountPath: string }[];
  /** @default none */
  readonly affinity?: k8s.Affinity;
}

/**
 * The pod template of a run-to-completion Job (hooks, backups): Pod Security
 * "restricted", no ServiceAccount token, never restarted in place (a failure
 * fails the Job), a writable /tmp on an otherwise read-only root.
 */
export function runOncePodTemplate(props: RunOncePodProps): k8s.PodTemplateSpec {
  const extra = props.volumes ?? [];
  return {
    metadata: { labels: props.labels },
    spec: {
      ...restrictedPodSpec(props.serviceAccountName, props.uid),
      restartPolicy: 'Never',
      affinity: props.affinity,
      containers: [
        {
          ...props.container,
          ...restrictedContainer(props.uid),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...extra.map((v) => ({ name: v.volume.name, mountPath: v.mountPath }))],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }, ...extra.map((v) => v.volume)],
    },
  };
}

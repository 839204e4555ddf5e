import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseQuantity } from '../config/quantity';
import { ARGOCD } from '../argocd/constants';
import { KEEP_DATA, SYNC_WAVE, syncWave } from '../argocd/sync';
import { restrictedContainer, restrictedPodSpec } from '../pod-security';
import { checkProps, WorkloadProps } from '../props';

/** The Service and the StatefulSet share `metadata` and `selector`. */
export interface SingleInstanceStatefulSetProps extends WorkloadProps {
  /** Labels of the PVCs made from the volumeClaimTemplate (`volumeClaimLabels`): never Argo CD's tracking label. */
  readonly claimLabels: Record<string, string>;
  /** The image's non-root user and group. */
  readonly uid: number;
  /** The main container, without security context (restricted is applied). */
  readonly container: Omit<k8s.Container, 'securityContext'>;
  readonly port: { name: string; port: number };
  /** Name and mount path of the data volume (a volumeClaimTemplate). */
  readonly data: { name: string; mountPath: string; storage: string; storageClassName?: string };
  /** Extra writable directories on an otherwise read-only root (emptyDirs). */
  readonly scratch: { name: string; mountPath: string; sizeLimit: string; medium?: 'Memory' }[];
  readonly extraVolumes?: { volume: k8s.Volume; mountPath: string; readOnly?: boolean }[];
}

/**
 * A one-replica StatefulSet and its headless Service (same name), for the
 * in-cluster datastores: restricted security context, a PersistentVolumeClaim
 * per pod, synced in the datastores wave (before the migration hook). Argo CD
 * never prunes it nor deletes it with the Application (`KEEP_DATA`); its PVCs
 * are kept when it is deleted or scaled down, and carry no tracking label, so
 * Argo CD never sees them as its own.
 */
export class SingleInstanceStatefulSet extends Construct {
  public readonly name: string;
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: SingleInstanceStatefulSetProps) {
    super(scope, id);
    const check = checkProps('SingleInstanceStatefulSet', props)
      .workload(props)
      .labels('claimLabels', props.claimLabels)
      .that(!(ARGOCD.trackingLabel in props.claimLabels), 'claimLabels', `must not hold ${ARGOCD.trackingLabel}: Argo CD would prune the PVCs made from the volumeClaimTemplate`)
      .integer('uid', props.uid, { min: 1 })
      .that((parseQuantity(props.data.storage) ?? 0) > 0, 'data.storage', `is "${props.data.storage}", not a positive Kubernetes quantity such as "10Gi"`);
    const volumeNames = [props.data.name, ...props.scratch.map((s) => s.name), ...(props.extraVolumes ?? []).map((v) => v.volume.name)];
    for (const name of volumeNames) check.that(volumeNames.indexOf(name) === volumeNames.lastIndexOf(name), 'volumes', `name "${name}" twice: the pod would mount one volume in two places`);
    const q = (s: string) => k8s.Quantity.fromString(s);
    const extra = props.extraVolumes ?? [];
    const service = new k8s.KubeService(this, 'Service', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, ...syncWave(SYNC_WAVE.prerequisites) } },
      spec: {
        clusterIp: 'None',
        selector: props.selector,
        ports: [{ name: props.port.name, port: props.port.port, targetPort: k8s.IntOrString.fromString(props.port.name), protocol: 'TCP' }],
      },
    });
    const statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, ...syncWave(SYNC_WAVE.datastores), ...KEEP_DATA } },
      spec: {
        serviceName: service.name,
        replicas: 1,
        selector: { matchLabels: props.selector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels: props.podLabels },
          spec: {
            ...restrictedPodSpec(props.serviceAccountName, props.uid),
            terminationGracePeriodSeconds: 60,
            containers: [
              {
                ...props.container,
                ports: [{ name: props.port.name, containerPort: props.port.port, protocol: 'TCP' }],
                ...restrictedContainer(props.uid),
                volumeMounts: [
                  { name: props.data.name, mountPath: props.data.mountPath },
                  ...props.scratch.map((s) => ({ name: s.name, mountPath: s.mountPath })),
                  ...extra.map((v) => ({ name: v.volume.name, mountPath: v.mountPath, readOnly: v.readOnly })),
                ],
              },
            ],
            volumes: [
              ...props.scratch.map((s) => ({ name: s.name, emptyDir: { medium: s.medium, sizeLimit: q(s.sizeLimit) } })),
              ...extra.map((v) => v.volume),
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: props.data.name, labels: props.claimLabels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: props.data.storageClassName,
              resources: { requests: { storage: q(props.data.storage) } },
            },
          },
        ],
      },
    });
    this.name = statefulSet.name;
    this.serviceName = service.name;
  }
}

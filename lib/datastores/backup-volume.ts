import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseQuantity } from '../config/quantity';
import { KEEP_DATA, SYNC_WAVE, syncWave } from '../argocd/sync';
import { checkProps, ObjectProps } from '../props';

export interface BackupVolumeProps extends ObjectProps {
  /** Size, e.g. `20Gi`. */
  readonly storage: string;
  /** @default the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/**
 * The PersistentVolumeClaim the database dumps go to. It is synced in the
 * datastores wave, together with the PostgreSQL StatefulSet whose pod mounts
 * it: under a WaitForFirstConsumer StorageClass (the GKE, EKS and AKS
 * default) a claim binds only once a pod using it is scheduled, and Argo CD
 * counts a Pending claim as Progressing (gitops-engine pkg/health/health_pvc.go)
 * and waits for it before the next wave. Mounted only by the nightly CronJob,
 * it would hold the first sync until 03:00. Argo CD never prunes or deletes it
 * (`KEEP_DATA`): it holds the backups.
 */
export class BackupVolume extends Construct {
  public readonly claimName: string;

  constructor(scope: Construct, id: string, props: BackupVolumeProps) {
    super(scope, id);
    checkProps('BackupVolume', props)
      .object(props)
      .that((parseQuantity(props.storage) ?? 0) > 0, 'storage', `is "${props.storage}", not a positive Kubernetes quantity such as "20Gi"`);
    const claim = new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, ...syncWave(SYNC_WAVE.datastores), ...KEEP_DATA } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(props.storage) } },
      },
    });
    this.claimName = claim.name;
  }
}

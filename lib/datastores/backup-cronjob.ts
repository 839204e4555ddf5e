import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { runOncePodTemplate } from '../delivery/hook-pod';
import { resourceRequirements } from '../resources';
import { SecretKeyReference } from '../secrets/secret-key';
import { SYNC_WAVE, syncWave } from '../delivery/sync';
import { BACKUP, POSTGRESQL } from './constants';

export interface BackupCronJobProps {
  readonly metadata: ApiObjectMetadata;
  readonly podLabels: Record<string, string>;
  /** The PostgreSQL image: its pg_dump matches the server version. */
  readonly image: string;
  readonly serviceAccountName: string;
  /** Host name of the database (its Service). */
  readonly host: string;
  readonly database: string;
  readonly user: string;
  readonly password: SecretKeyReference;
  /** Cron schedule, UTC. */
  readonly schedule: string;
  /** Number of dumps kept. */
  readonly keep: number;
  readonly storage: string;
  readonly storageClassName?: string;
}

// argv: keep. A dump is written under a temporary name and renamed only when
// pg_dump succeeded, so a failed run never counts towards retention.
const BACKUP_SCRIPT = `set -eu
keep="$1"
name="${BACKUP.path}/$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-password --file="$name.partial"
mv "$name.partial" "$name"
echo "wrote $name ($(du -h "$name" | cut -f1))"
ls -1t ${BACKUP.path}/"$PGDATABASE"-*.dump | tail -n +$((keep + 1)) | while read -r old; do rm -f -- "$old"; echo "deleted $old"; done
rm -f ${BACKUP.path}/*.partial
`;

/**
 * A nightly `pg_dump` of the in-cluster PostgreSQL to its own
 * PersistentVolumeClaim, keeping the newest `keep` dumps. `Forbid`: a slow
 * dump is never overlapped by the next one.
 */
export class BackupCronJob extends Construct {
  public readonly name: string;
  public readonly claimName: string;

  constructor(scope: Construct, id: string, props: BackupCronJobProps) {
    super(scope, id);
    const claim = new k8s.KubePersistentVolumeClaim(this, 'Volume', {
      metadata: {
        name: props.metadata.name,
        labels: props.metadata.labels,
        // Never pruned by Argo CD: removing the CronJob from Git must not delete the backups.
        // Wave of the application, not of the prerequisites: with a WaitForFirstConsumer StorageClass it stays
        // Pending until the first backup, which Argo CD before 3.x counts as Progressing and would wait for.
        annotations: { ...syncWave(SYNC_WAVE.application), 'argocd.argoproj.io/sync-options': 'Prune=false' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(props.storage) } },
      },
    });
    const cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        schedule: props.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 3 * 3600,
            template: runOncePodTemplate({
              labels: props.podLabels,
              serviceAccountName: props.serviceAccountName,
              uid: POSTGRESQL.uid,
              container: {
                name: 'pg-dump',
                image: props.image,
                command: ['/bin/sh', '-c', BACKUP_SCRIPT, 'backup', String(props.keep)],
                env: [
                  { name: 'PGHOST', value: props.host },
                  { name: 'PGPORT', value: String(POSTGRESQL.port) },
                  { name: 'PGDATABASE', value: props.database },
                  { name: 'PGUSER', value: props.user },
                  { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: props.password.name, key: props.password.key } } },
                ],
                resources: resourceRequirements({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
              },
              volumes: [{ volume: { name: 'backups', persistentVolumeClaim: { claimName: claim.name } }, mountPath: BACKUP.path }],
            }),
          },
        },
      },
    });
    this.name = cronJob.name;
    this.claimName = claim.name;
  }
}

import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { runOncePodTemplate } from '../run-once-pod';
import { cronScheduleProblem } from '../cron';
import { checkProps, PodProps } from '../props';
import { resourceRequirements } from '../resources';
import { SecretKeyReference } from '../secrets/secret-key';
import { BACKUP, POSTGRESQL } from './constants';

export interface BackupCronJobProps extends PodProps {
  /** The PostgreSQL image: its pg_dump matches the server version. */
  readonly image: string;
  /** Host name of the database (its Service). */
  readonly host: string;
  readonly database: string;
  readonly user: string;
  readonly password: SecretKeyReference;
  /** Cron schedule, UTC. */
  readonly schedule: string;
  /** Number of dumps kept. */
  readonly keep: number;
  /** The backup volume's PVC (`BackupVolume`), mounted at /backups. */
  readonly claimName: string;
  /**
   * Labels of the pods that also mount the claim (PostgreSQL's): the backup
   * pod runs on their node, since a ReadWriteOnce volume is attached to one node at a time.
   */
  readonly sameNodeAs: Record<string, string>;
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
 * A nightly `pg_dump` of the in-cluster PostgreSQL to the backup volume,
 * keeping the newest `keep` dumps. `Forbid`: a slow dump is never overlapped
 * by the next one.
 */
export class BackupCronJob extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: BackupCronJobProps) {
    super(scope, id);
    const scheduleProblem = cronScheduleProblem(props.schedule);
    checkProps('BackupCronJob', props)
      .pods(props)
      .that(props.metadata.name.length <= 52, 'metadata.name', 'is longer than 52 characters: the CronJob controller appends 11 to name its Jobs')
      .text('image', props.image)
      .text('host', props.host)
      .that(scheduleProblem === undefined, 'schedule', `"${props.schedule}" ${scheduleProblem}`)
      .integer('keep', props.keep, { min: 1 })
      .name('claimName', props.claimName)
      .selector('sameNodeAs', props.sameNodeAs);
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
          // The CronJob controller gives a Job only these labels (kubernetes pkg/controller/cronjob/utils.go,
          // getJobFromTemplate2: copyLabels(&cj.Spec.JobTemplate)), not the pod template's: without them
          // `kubectl get jobs -l app.kubernetes.io/component=backup` (the runbook) finds nothing.
          metadata: { labels: props.podLabels },
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
              volumes: [{ volume: { name: BACKUP.volumeName, persistentVolumeClaim: { claimName: props.claimName } }, mountPath: BACKUP.path }],
              affinity: {
                podAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: props.sameNodeAs }, topologyKey: 'kubernetes.io/hostname' }],
                },
              },
            }),
          },
        },
      },
    });
    this.name = cronJob.name;
  }
}

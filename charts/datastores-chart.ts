import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { BackupCronJob } from '../lib/datastores/backup-cronjob';
import { ARGOCD } from '../lib/argocd/constants';
import { BackupVolume } from '../lib/datastores/backup-volume';
import { BACKUP, POSTGRESQL, REDIS } from '../lib/datastores/constants';
import { Postgresql } from '../lib/datastores/postgresql';
import { Redis } from '../lib/datastores/redis';
import { SYNC_WAVE, syncWave } from '../lib/argocd/sync';
import { DisruptionBudget } from '../lib/disruption-budget';
import { pinnedImageVersion } from '../lib/image';
import { recommendedLabels, volumeClaimLabels } from '../lib/labels';
import { TokenlessServiceAccount } from '../lib/service-account';
import { EnvironmentChart } from './environment-chart';

/** Name of the ServiceAccount of the datastore and backup pods. */
const DATASTORES_SERVICE_ACCOUNT = 'datastores';

/**
 * In-cluster PostgreSQL (pgvector), Redis and the database backup, when
 * `datastores.mode` is "in-cluster". In "external" mode it renders nothing:
 * the API reaches managed services through the URLs in its Secrets.
 */
export class DatastoresChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    if (env.datastores.mode !== 'in-cluster') return;
    const { postgresql, redis, backup } = env.datastores;

    const serviceAccount = new TokenlessServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: DATASTORES_SERVICE_ACCOUNT,
        labels: recommendedLabels(env, { name: DATASTORES_SERVICE_ACCOUNT, component: 'datastores' }, pinnedImageVersion(postgresql.image)),
        annotations: syncWave(SYNC_WAVE.prerequisites),
      },
    });

    const backupLabels = recommendedLabels(env, BACKUP.identity, pinnedImageVersion(postgresql.image));
    const backupVolume = backup.enabled
      ? new BackupVolume(this, 'BackupVolume', { metadata: { name: BACKUP.name, labels: backupLabels }, storage: backup.storage, storageClassName: backup.storageClassName })
      : undefined;

    const pg = this.workloadProps(POSTGRESQL.name, POSTGRESQL.identity, pinnedImageVersion(postgresql.image), serviceAccount.name);
    const db = new Postgresql(this, 'Postgresql', {
      ...pg,
      claimLabels: volumeClaimLabels(POSTGRESQL.identity),
      ...postgresql,
      backupClaimName: backupVolume?.claimName,
    });
    new DisruptionBudget(this, 'PostgresqlDisruptionBudget', { metadata: pg.metadata, selector: pg.selector });

    const cache = this.workloadProps(REDIS.name, REDIS.identity, pinnedImageVersion(redis.image), serviceAccount.name);
    new Redis(this, 'Redis', { ...cache, claimLabels: volumeClaimLabels(REDIS.identity), ...redis });
    new DisruptionBudget(this, 'RedisDisruptionBudget', { metadata: cache.metadata, selector: cache.selector });

    if (backupVolume) {
      new BackupCronJob(this, 'Backup', {
        // Deployed by the environment's CronJob Application (OWN_APPLICATION_KINDS): its name is the tracking label. The pods keep the environment's labels.
        metadata: { name: BACKUP.name, labels: { ...backupLabels, [ARGOCD.trackingLabel]: ARGOCD.cronApplicationName(env.name) } },
        podLabels: backupLabels,
        serviceAccountName: serviceAccount.name,
        image: postgresql.image,
        host: db.name,
        database: postgresql.database,
        user: postgresql.user,
        password: postgresql.password,
        schedule: backup.schedule,
        keep: backup.keep,
        claimName: backupVolume.claimName,
        sameNodeAs: pg.selector,
      });
    }
  }
}

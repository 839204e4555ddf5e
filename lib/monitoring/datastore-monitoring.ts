import { Environment } from '../../config/schema';
import { BACKUP, POSTGRESQL, REDIS } from '../datastores/constants';
import { POSTGRESQL_EXPORTER, REDIS_EXPORTER } from '../datastores/exporters';
import { SecretKeyReference } from '../secrets/secret-key';

/** How postgres_exporter reaches the database: in-cluster host and owner role, or a DSN Secret of a managed database. */
export type PostgresqlSource =
  | { readonly kind: 'in-cluster'; readonly uri: string; readonly user: string; readonly password: SecretKeyReference }
  | { readonly kind: 'external'; readonly dataSourceName: SecretKeyReference };

/** How redis_exporter reaches Redis: in-cluster address and password, or the URL Secret of a managed Redis. */
export type RedisSource =
  | { readonly kind: 'in-cluster'; readonly address: string; readonly password: SecretKeyReference }
  | { readonly kind: 'external'; readonly url: SecretKeyReference };

/** The datastore monitoring of one environment; a datastore missing here is not monitored from the cluster. */
export interface DatastoreMonitoring {
  readonly postgresql?: { readonly job: string; readonly image: string; readonly source: PostgresqlSource };
  readonly redis?: { readonly job: string; readonly image: string; readonly source: RedisSource };
  /** The in-cluster backup CronJob and the age above which its last success alerts. */
  readonly backup?: { readonly cronJob: string; readonly maxAgeHours: number };
}

/**
 * In-cluster datastores are always monitored (exporters against their
 * Services). External ones only when `monitoring.datastores.external` names
 * a connection Secret; otherwise the checklist asks for the provider's monitoring.
 */
export function datastoreMonitoring(env: Environment): DatastoreMonitoring {
  const settings = env.monitoring.datastores;
  if (env.datastores.mode === 'in-cluster') {
    const pg = env.datastores.postgresql;
    return {
      postgresql: {
        job: POSTGRESQL_EXPORTER.name,
        image: settings.postgresqlExporterImage,
        source: { kind: 'in-cluster', uri: `${POSTGRESQL.name}:${POSTGRESQL.port}/${pg.database}?sslmode=disable`, user: pg.user, password: pg.password },
      },
      redis: { job: REDIS_EXPORTER.name, image: settings.redisExporterImage, source: { kind: 'in-cluster', address: `redis://${REDIS.name}:${REDIS.port}`, password: env.datastores.redis.password } },
      ...(env.datastores.backup.enabled ? { backup: { cronJob: BACKUP.name, maxAgeHours: settings.backupMaxAgeHours } } : {}),
    };
  }
  const { postgresqlDataSourceName, redisUrl: redis } = settings.external;
  return {
    ...(postgresqlDataSourceName ? { postgresql: { job: POSTGRESQL_EXPORTER.name, image: settings.postgresqlExporterImage, source: { kind: 'external', dataSourceName: postgresqlDataSourceName } } } : {}),
    ...(redis ? { redis: { job: REDIS_EXPORTER.name, image: settings.redisExporterImage, source: { kind: 'external', url: redis } } } : {}),
  };
}

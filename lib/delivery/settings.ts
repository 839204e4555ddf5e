import { Environment, EnvironmentSettings } from '../../config/schema';
import { inClusterDatabaseUrl } from '../datastores/postgresql-url';
import { inClusterRedisUrl } from '../datastores/redis-url';
import { SecretKeyReference } from '../secrets/secret-key';

// `datastores.mode` and `argocd.autoSync` default by tier: the loader fills them in (lib/config/tier-policy.ts).

/** The alembic revision the migration hook brings the database to. */
export function migrationTarget(env: Pick<EnvironmentSettings, 'migrations'>): string {
  return env.migrations.targetRevision ?? 'head';
}

/** Default Secret of DATABASE_URL when the datastores are external and secrets.databaseUrl is left out. */
const EXTERNAL_DATABASE_URL_SECRET = { name: 'db-credentials', key: 'url' } as const;

/**
 * The Secret key DATABASE_URL comes from: `secrets.databaseUrl`, else, with
 * in-cluster datastores, key `url` of the PostgreSQL password's Secret (the
 * ExternalSecret builds it from the password, so the server, the backup, the
 * exporter and the API read one entry), else `db-credentials`/`url`.
 */
export function databaseUrlSecret(env: Pick<Environment, 'datastores' | 'secrets'>): SecretKeyReference {
  return env.secrets.databaseUrl ?? (env.datastores.mode === 'in-cluster' ? inClusterDatabaseUrl(env) : EXTERNAL_DATABASE_URL_SECRET);
}

/** Default Secret of REDIS_URL when the datastores are external and secrets.redisUrl is left out. */
const EXTERNAL_REDIS_URL_SECRET = { name: 'redis-credentials', key: 'url' } as const;

/**
 * The Secret key REDIS_URL comes from: `secrets.redisUrl`, else, with
 * in-cluster datastores, key `url` of the Redis password's Secret (the
 * ExternalSecret builds it from the password), else `redis-credentials`/`url`.
 * Never a plain value: every Redis requires a password.
 */
export function redisUrlSecret(env: Pick<Environment, 'datastores' | 'secrets'>): SecretKeyReference {
  return env.secrets.redisUrl ?? (env.datastores.mode === 'in-cluster' ? inClusterRedisUrl(env) : EXTERNAL_REDIS_URL_SECRET);
}

/** Whether the API ships through an Argo Rollouts canary (delivery.strategy "canary"). */
export function isCanary(env: Pick<EnvironmentSettings, 'delivery'>): boolean {
  return env.delivery.strategy === 'canary';
}

import { EnvironmentSettings } from '../../config/schema';

/** Where PostgreSQL and Redis run: the configured mode, else "external" in production and "in-cluster" elsewhere. */
export function datastoreMode(env: Pick<EnvironmentSettings, 'tier' | 'datastores'>): 'in-cluster' | 'external' {
  return env.datastores.mode ?? (env.tier === 'production' ? 'external' : 'in-cluster');
}

/** Whether Argo CD syncs by itself: the configured value, else everywhere but production. */
export function autoSync(env: Pick<EnvironmentSettings, 'tier' | 'argocd'>): boolean {
  return env.argocd.autoSync ?? env.tier !== 'production';
}

/** The alembic revision the migration hook brings the database to. */
export function migrationTarget(env: Pick<EnvironmentSettings, 'migrations'>): string {
  return env.migrations.targetRevision ?? 'head';
}

/** Default Secret of REDIS_URL when the datastores are external and secrets.redisUrl is left out. */
export const EXTERNAL_REDIS_URL_SECRET = { name: 'redis-credentials', key: 'url' } as const;

/**
 * The Secret key REDIS_URL comes from, if any: `secrets.redisUrl`, else, with
 * external datastores, `redis-credentials`/`url` (no Redis runs in the cluster,
 * so the default `app.redisUrl` would name nothing). Undefined: plain `app.redisUrl`.
 */
export function redisUrlSecret(env: Pick<EnvironmentSettings, 'tier' | 'datastores' | 'secrets'>): { name: string; key: string } | undefined {
  return env.secrets.redisUrl ?? (datastoreMode(env) === 'external' ? EXTERNAL_REDIS_URL_SECRET : undefined);
}

/** Whether the API ships through an Argo Rollouts canary (delivery.strategy "canary"). */
export function isCanary(env: Pick<EnvironmentSettings, 'delivery'>): boolean {
  return env.delivery.strategy === 'canary';
}

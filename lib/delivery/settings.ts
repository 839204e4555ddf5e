import { Environment, EnvironmentSettings } from '../../config/schema';

// `datastores.mode` and `argocd.autoSync` default by tier: the loader fills them in (lib/config/tier-policy.ts).

/** The alembic revision the migration hook brings the database to. */
export function migrationTarget(env: Pick<EnvironmentSettings, 'migrations'>): string {
  return env.migrations.targetRevision ?? 'head';
}

/** Default Secret of REDIS_URL when the datastores are external and secrets.redisUrl is left out. */
const EXTERNAL_REDIS_URL_SECRET = { name: 'redis-credentials', key: 'url' } as const;

/**
 * The Secret key REDIS_URL comes from, if any: `secrets.redisUrl`, else, with
 * external datastores, `redis-credentials`/`url` (no Redis runs in the cluster,
 * so the default `app.redisUrl` would name nothing). Undefined: plain `app.redisUrl`.
 */
export function redisUrlSecret(env: Pick<Environment, 'datastores' | 'secrets'>): { name: string; key: string } | undefined {
  return env.secrets.redisUrl ?? (env.datastores.mode === 'external' ? EXTERNAL_REDIS_URL_SECRET : undefined);
}

/** Whether the API ships through an Argo Rollouts canary (delivery.strategy "canary"). */
export function isCanary(env: Pick<EnvironmentSettings, 'delivery'>): boolean {
  return env.delivery.strategy === 'canary';
}

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

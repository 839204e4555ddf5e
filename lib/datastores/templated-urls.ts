import { Environment } from '../../config/schema';
import { POSTGRESQL, REDIS } from './constants';
import { postgresqlUrlTemplate } from './postgresql-url';
import { redisUrlTemplate } from './redis-url';

/** A Secret key computed from the other keys of its Secret by the ExternalSecret's template. */
export interface TemplatedSecretKey {
  readonly secret: string;
  readonly key: string;
  readonly template: string;
  /** Keys of the same Secret the template reads (fetched from the store). */
  readonly reads: readonly string[];
}

/** The templated keys of an environment: with in-cluster datastores, DATABASE_URL and REDIS_URL from their passwords. */
export function templatedSecretKeys(env: Pick<Environment, 'datastores'>): TemplatedSecretKey[] {
  if (env.datastores.mode !== 'in-cluster') return [];
  const { postgresql, redis } = env.datastores;
  return [
    { secret: postgresql.password.name, key: POSTGRESQL.urlKey, template: postgresqlUrlTemplate(env), reads: [postgresql.password.key] },
    { secret: redis.password.name, key: REDIS.urlKey, template: redisUrlTemplate(redis.password.key), reads: [redis.password.key] },
  ];
}

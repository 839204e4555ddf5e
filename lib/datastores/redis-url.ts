import { Environment } from '../../config/schema';
import { SecretKeyReference } from '../secrets/secret-key';
import { REDIS } from './constants';
import { encodedPassword, failIfEmpty } from './url-template';

/**
 * The API's REDIS_URL for the in-cluster Redis, as a template of the
 * ExternalSecret that fetches the password (lib/datastores/url-template.ts).
 * An empty password fails the template: `requirepass ""` would turn
 * authentication off. `__tests__/delivery/redis-auth.test.ts` runs this
 * template with Go's text/template and sprig, and the URL against a real
 * redis-server.
 */
export function redisUrlTemplate(passwordKey: string): string {
  return failIfEmpty(passwordKey, 'Redis would run without a password') + `redis://:${encodedPassword(passwordKey)}@${REDIS.name}:${REDIS.port}/${REDIS.database}`;
}

/** Where the API finds REDIS_URL for the in-cluster Redis: key `url` of the password's Secret. */
export function inClusterRedisUrl(env: Pick<Environment, 'datastores'>): SecretKeyReference {
  return { name: env.datastores.redis.password.name, key: REDIS.urlKey };
}

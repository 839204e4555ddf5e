import { Environment } from '../../config/schema';
import { SecretKeyReference } from '../secrets/secret-key';
import { REDIS } from './constants';

/**
 * The API's REDIS_URL for the in-cluster Redis, as a template of the
 * external-secrets.io v1 ExternalSecret that fetches the password (engine v2:
 * Go text/template with ESO's copy of sprig, `missingkey=error`;
 * external-secrets runtime/template/v2/template.go `execute`). `{{ .<key> }}`
 * is the fetched password.
 *
 * The password is percent-encoded for the userinfo of the URL: text/template's
 * `urlquery` (url.QueryEscape) escapes every byte but `A-Z a-z 0-9 - _ . ~`
 * and writes a space as "+", which a URL's userinfo does not decode (redis-py
 * `parse_url` calls `urllib.parse.unquote` on it); an encoded "+" is "%2B", so
 * every "+" left is a space and becomes "%20". An empty password fails the
 * template (sprig `fail`): `requirepass ""` would turn authentication off, so
 * the ExternalSecret reports the error instead of writing the Secret.
 * `__tests__/delivery/redis-auth.test.ts` runs this template with Go's
 * text/template and sprig, and the URL against a real redis-server.
 */
function redisUrlTemplate(passwordKey: string): string {
  const password = `(index . ${JSON.stringify(passwordKey)})`;
  return (
    `{{ if not ${password} }}{{ fail ${JSON.stringify(`the store entry has an empty "${passwordKey}": Redis would run without a password`)} }}{{ end }}` +
    `redis://:{{ ${password} | urlquery | replace "+" "%20" }}@${REDIS.name}:${REDIS.port}/${REDIS.database}`
  );
}

/** Where the API finds REDIS_URL for the in-cluster Redis: key `url` of the password's Secret. */
export function inClusterRedisUrl(env: Pick<Environment, 'datastores'>): SecretKeyReference {
  return { name: env.datastores.redis.password.name, key: REDIS.urlKey };
}

/** A Secret key computed from the other keys of its Secret by the ExternalSecret's template. */
export interface TemplatedSecretKey {
  readonly secret: string;
  readonly key: string;
  readonly template: string;
  /** Keys of the same Secret the template reads (fetched from the store). */
  readonly reads: readonly string[];
}

/** The templated keys of an environment: REDIS_URL of the in-cluster Redis. */
export function templatedSecretKeys(env: Pick<Environment, 'datastores'>): TemplatedSecretKey[] {
  if (env.datastores.mode !== 'in-cluster') return [];
  const { name, key } = env.datastores.redis.password;
  return [{ secret: name, key: REDIS.urlKey, template: redisUrlTemplate(key), reads: [key] }];
}

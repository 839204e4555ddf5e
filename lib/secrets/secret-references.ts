import { Environment } from '../../config/schema';
import { SecretKeyReference } from '../api/api-deployment';
import { datastoreMode, redisUrlSecret } from '../delivery/settings';

/** Every Secret key the environment's pods read, grouped by Secret name (sorted, for stable output). */
export function secretReferences(env: Environment): Map<string, string[]> {
  const refs: SecretKeyReference[] = [env.secrets.databaseUrl, env.secrets.anthropicApiKey, env.secrets.openaiApiKey];
  const redisUrl = redisUrlSecret(env);
  if (redisUrl) refs.push(redisUrl);
  if (datastoreMode(env) === 'in-cluster') refs.push(env.datastores.postgresql.password);
  const byName = new Map<string, Set<string>>();
  for (const ref of refs) byName.set(ref.name, (byName.get(ref.name) ?? new Set()).add(ref.key));
  return new Map([...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, keys]) => [name, [...keys].sort()]));
}

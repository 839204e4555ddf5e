import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { API } from '../lib/api/constants';
import { imageVersion } from '../lib/image';
import { PART_OF, recommendedLabels } from '../lib/labels';
import { TemplatedSecretKey } from '../lib/datastores/templated-urls';
import { StoreSecret } from '../lib/secrets/external-secret';
import { SecretUse } from '../lib/secrets/secret-references';
import { EnvironmentChart } from './environment-chart';

/**
 * With `externalSecrets.enabled`, one ExternalSecret per Secret that the other
 * objects of the environment read (found in what they render, so a new
 * reference is covered without touching this chart). A read key that
 * `templated` computes (REDIS_URL from the Redis password) is written by the
 * ExternalSecret's template from the keys it reads, not fetched. Otherwise
 * nothing: the Secrets are expected to exist in the namespace.
 */
export class SecretsChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment, uses: readonly SecretUse[], templated: readonly TemplatedSecretKey[] = []) {
    super(scope, id, env);
    if (!env.externalSecrets.enabled) return;
    const prefix = env.externalSecrets.remoteKeyPrefix ?? `${PART_OF}/${env.name}`;
    for (const use of uses) {
      // Templates of this Secret's keys that some object reads (only in the environment's own namespace).
      const templates = use.namespace === env.namespace ? templated.filter((t) => t.secret === use.name && use.keys.includes(t.key)) : [];
      const fetched = [...new Set([...use.keys.filter((k) => !templates.some((t) => t.key === k)), ...templates.flatMap((t) => t.reads)])].sort();
      new StoreSecret(this, `${use.namespace ?? ''}/${use.name}`.replace(/\//g, '-'), {
        metadata: { name: use.name, namespace: use.namespace, labels: recommendedLabels(env, { name: API.name, component: 'secrets' }, imageVersion(env.image)) },
        store: env.externalSecrets.store,
        remoteKey: `${prefix}/${use.name}`,
        keys: fetched,
        templates: Object.fromEntries(templates.map((t) => [t.key, t.template])),
        refreshInterval: env.externalSecrets.refreshInterval,
      });
    }
  }
}

import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { API } from '../lib/api/constants';
import { imageVersion } from '../lib/image';
import { PART_OF, recommendedLabels } from '../lib/labels';
import { StoreSecret } from '../lib/secrets/external-secret';
import { SecretUse } from '../lib/secrets/secret-references';
import { EnvironmentChart } from './environment-chart';

/**
 * With `externalSecrets.enabled`, one ExternalSecret per Secret that the other
 * objects of the environment read (found in what they render, so a new
 * reference is covered without touching this chart). Otherwise nothing: the
 * Secrets are expected to exist in the namespace.
 */
export class SecretsChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment, uses: readonly SecretUse[]) {
    super(scope, id, env);
    if (!env.externalSecrets.enabled) return;
    const prefix = env.externalSecrets.remoteKeyPrefix ?? `${PART_OF}/${env.name}`;
    for (const use of uses) {
      new StoreSecret(this, `${use.namespace ?? ''}/${use.name}`.replace(/\//g, '-'), {
        metadata: { name: use.name, namespace: use.namespace, labels: recommendedLabels(env, { name: API.name, component: 'secrets' }, imageVersion(env.image)) },
        store: env.externalSecrets.store,
        remoteKey: `${prefix}/${use.name}`,
        keys: use.keys,
        refreshInterval: env.externalSecrets.refreshInterval,
      });
    }
  }
}

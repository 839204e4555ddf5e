import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { API } from '../lib/api/constants';
import { imageVersion } from '../lib/image';
import { PART_OF, recommendedLabels } from '../lib/labels';
import { StoreSecret } from '../lib/secrets/external-secret';
import { secretReferences } from '../lib/secrets/secret-references';
import { EnvironmentChart } from './environment-chart';

/**
 * With `externalSecrets.enabled`, one ExternalSecret per Secret the pods read.
 * Otherwise nothing: the Secrets are expected to exist in the namespace.
 */
export class SecretsChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    if (!env.externalSecrets.enabled) return;
    const prefix = env.externalSecrets.remoteKeyPrefix ?? `${PART_OF}/${env.name}`;
    for (const [name, keys] of secretReferences(env)) {
      new StoreSecret(this, name, {
        metadata: { name, labels: recommendedLabels(env, { name: API.name, component: 'secrets' }, imageVersion(env.image)) },
        store: env.externalSecrets.store,
        remoteKey: `${prefix}/${name}`,
        keys,
        refreshInterval: env.externalSecrets.refreshInterval,
      });
    }
  }
}

import { Construct } from 'constructs';
import { SHUTDOWN_SECONDS } from '../lib/api/serving';
import { Environment } from '../config/schema';
import { ApiAutoscaler } from '../lib/api/api-autoscaler';
import { ApiConfig } from '../lib/api/api-config';
import { ApiDeployment } from '../lib/api/api-deployment';
import { ApiService } from '../lib/api/api-service';
import { API, API_VARIABLES } from '../lib/api/constants';
import { apiPlainSettings } from '../lib/api/settings';
import { CANARY } from '../lib/delivery/constants';
import { databaseUrlSecret, isCanary, redisUrlSecret } from '../lib/delivery/settings';
import { DisruptionBudget } from '../lib/disruption-budget';
import { imageReference, imageVersion } from '../lib/image';
import { recommendedLabels, selectorLabels } from '../lib/labels';
import { SecretKeyReference } from '../lib/secrets/secret-key';
import { TokenlessServiceAccount } from '../lib/service-account';
import { EnvironmentChart } from './environment-chart';

/** The API workload of one environment: ServiceAccount, ConfigMap, Deployment, Service, HPA and PDB (the canary's Rollout: charts/canary-chart.ts). */
export class ApiChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    const labels = recommendedLabels(env, API.identity, imageVersion(env.image));
    const redisUrl = redisUrlSecret(env);
    const selector = selectorLabels(env, API.identity);
    const metadata = (name: string) => ({ name, labels });

    const serviceAccount = new TokenlessServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(API.name),
    });

    const config = new ApiConfig(this, 'Config', {
      metadata: metadata(`${API.name}-config`),
      data: apiPlainSettings(env),
    });

    const secretEnv: Record<string, SecretKeyReference> = {
      [API_VARIABLES.databaseUrl]: databaseUrlSecret(env),
      [API_VARIABLES.anthropicApiKey]: env.secrets.anthropicApiKey,
      [API_VARIABLES.openaiApiKey]: env.secrets.openaiApiKey,
      [API_VARIABLES.redisUrl]: redisUrl,
    };

    const deployment = new ApiDeployment(this, 'Deployment', {
      ...this.workloadProps(API.name, API.identity, imageVersion(env.image), serviceAccount.name),
      image: imageReference(env.image),
      configMapName: config.name,
      configChecksum: config.checksum,
      shutdownSeconds: SHUTDOWN_SECONDS,
      secretEnv,
      resources: env.resources,
    });

    new ApiService(this, 'Service', {
      metadata: { ...metadata(API.name), annotations: env.service.annotations },
      selector,
      type: env.service.type,
    });

    // With a canary the Rollout runs the pods (the Deployment only holds their template): the HPA scales the Rollout.
    new ApiAutoscaler(this, 'Autoscaler', {
      metadata: metadata(API.name),
      target: isCanary(env)
        ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: CANARY.rollout }
        : { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      ...env.autoscaling,
    });

    new DisruptionBudget(this, 'DisruptionBudget', { metadata: metadata(API.name), selector });
  }
}

import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { API } from '../lib/api/constants';
import { CANARY } from '../lib/delivery/constants';
import { isCanary } from '../lib/delivery/settings';
import { imageVersion } from '../lib/image';
import { ApiIngress } from '../lib/ingress/api-ingress';
import { recommendedLabels } from '../lib/labels';
import { EnvironmentChart } from './environment-chart';

/** The API's Ingress, when `ingress.enabled`. */
export class IngressChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    const { ingress } = env;
    if (!ingress.enabled || ingress.host === undefined) return;
    new ApiIngress(this, 'Ingress', {
      metadata: { name: API.name, labels: recommendedLabels(env, API.identity, imageVersion(env.image)) },
      host: ingress.host,
      className: ingress.className,
      clusterIssuer: ingress.clusterIssuer,
      acmeSolver: ingress.acmeSolver,
      tlsSecretName: `${API.name}-tls`,
      // A canary's traffic split needs the Ingress on the stable Service (argo-rollouts docs/features/traffic-management/nginx.md).
      service: { name: isCanary(env) ? CANARY.stableService.name : API.name, portName: API.portName },
      rateLimit: ingress.rateLimit,
      corsAllowOrigins: ingress.cors.allowOrigins,
      corsAllowMethods: ingress.cors.allowMethods,
      corsAllowCredentials: ingress.cors.allowCredentials,
      maxBodySize: ingress.maxBodySize,
    });
  }
}

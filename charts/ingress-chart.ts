import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { API } from '../lib/api/constants';
import { CANARY } from '../lib/delivery/constants';
import { isCanary } from '../lib/delivery/settings';
import { imageVersion } from '../lib/image';
import { ApiIngress } from '../lib/ingress/api-ingress';
import { BlockedPathsIngress } from '../lib/ingress/blocked-paths-ingress';
import { recommendedLabels } from '../lib/labels';
import { EnvironmentChart } from './environment-chart';

/** The API's Ingress, and the one that keeps its internal paths (metrics) off the internet, when `ingress.enabled`. */
export class IngressChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    const { ingress } = env;
    if (!ingress.enabled || ingress.host === undefined) return;
    const labels = recommendedLabels(env, API.identity, imageVersion(env.image));
    // A canary's traffic split needs the Ingress on the stable Service (argo-rollouts docs/features/traffic-management/nginx.md).
    const service = { name: isCanary(env) ? CANARY.stableService.name : API.name, portName: API.portName };
    new ApiIngress(this, 'Ingress', {
      metadata: { name: API.name, labels },
      host: ingress.host,
      className: ingress.className,
      clusterIssuer: ingress.clusterIssuer,
      acmeSolver: ingress.acmeSolver,
      tlsSecretName: `${API.name}-tls`,
      service,
      rateLimit: ingress.rateLimit,
      corsAllowOrigins: ingress.cors.allowOrigins,
      corsAllowMethods: ingress.cors.allowMethods,
      corsAllowCredentials: ingress.cors.allowCredentials,
      maxBodySize: ingress.maxBodySize,
    });
    // The pods serve /metrics on the port the Ingress reaches; Prometheus scrapes the pods directly.
    new BlockedPathsIngress(this, 'Internal', {
      metadata: { name: `${API.name}-internal`, labels },
      host: ingress.host,
      className: ingress.className,
      paths: [API.metricsPath],
      service,
    });
  }
}

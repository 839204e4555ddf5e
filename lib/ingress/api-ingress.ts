import { k8s } from 'cdk8s-plus-28';
import { SERVING } from '../api/serving';
import { Construct } from 'constructs';
import { DNS_SUBDOMAIN } from '../kubernetes-syntax';
import { checkProps, ObjectProps } from '../props';
import { ACME_SOLVER_LABEL, ACME_SOLVERS, AcmeSolver } from './cert-manager';

export interface ApiIngressProps extends ObjectProps {
  readonly host: string;
  /** @default 'nginx' */
  readonly className?: string;
  /** cert-manager ClusterIssuer that signs the certificate stored in `tlsSecretName`. */
  readonly clusterIssuer: string;
  /** ACME challenge type the ClusterIssuer uses for this host; written as label `ai-odoofinder.dev/acme-solver`. */
  readonly acmeSolver: AcmeSolver;
  /** Secret cert-manager writes the certificate to (never in Git). */
  readonly tlsSecretName: string;
  /** The API Service and its port name. */
  readonly service: { name: string; portName: string };
  readonly rateLimit: { requestsPerSecond: number; burstMultiplier: number; connections: number };
  /** Allowed origins; empty turns CORS off. */
  readonly corsAllowOrigins: readonly string[];
  readonly corsAllowMethods: readonly string[];
  /** Access-Control-Allow-Credentials. Always written: ingress-nginx defaults it to true. */
  readonly corsAllowCredentials: boolean;
  /** e.g. `1m`. */
  readonly maxBodySize: string;
}

const NGINX = 'nginx.ingress.kubernetes.io';

/**
 * The public HTTPS entry point for ingress-nginx: a cert-manager certificate,
 * HTTP redirected to HTTPS, per-client rate and connection limits, and CORS
 * for the listed origins only.
 */
export class ApiIngress extends Construct {
  constructor(scope: Construct, id: string, props: ApiIngressProps) {
    super(scope, id);
    checkProps('ApiIngress', props)
      .object(props)
      // Ingress hosts: a DNS subdomain, no IP address, no port (networking/v1 IngressRule.host).
      .that(DNS_SUBDOMAIN.test(props.host) && !/^[\d.]+$/.test(props.host), 'host', `is "${props.host}", not a DNS name`)
      .name('clusterIssuer', props.clusterIssuer)
      .that(ACME_SOLVERS.includes(props.acmeSolver), 'acmeSolver', `is "${props.acmeSolver}", not one of ${ACME_SOLVERS.join(', ')}`)
      .name('tlsSecretName', props.tlsSecretName)
      .name('service.name', props.service.name)
      .integer('rateLimit.requestsPerSecond', props.rateLimit.requestsPerSecond, { min: 1 })
      .integer('rateLimit.burstMultiplier', props.rateLimit.burstMultiplier, { min: 1 })
      .integer('rateLimit.connections', props.rateLimit.connections, { min: 1 })
      .that(!props.corsAllowOrigins.includes('*') || !props.corsAllowCredentials, 'corsAllowCredentials', 'is true with origin "*": browsers refuse credentials for a wildcard origin');
    const cors: Record<string, string> =
      props.corsAllowOrigins.length === 0
        ? {}
        : {
            [`${NGINX}/enable-cors`]: 'true',
            [`${NGINX}/cors-allow-origin`]: props.corsAllowOrigins.join(', '),
            [`${NGINX}/cors-allow-methods`]: props.corsAllowMethods.join(', '),
            [`${NGINX}/cors-allow-headers`]: 'Authorization, Content-Type',
            // Left out, ingress-nginx allows credentials: internal/ingress/annotations/cors/main.go
            // (Parse: a missing or invalid cors-allow-credentials sets CorsAllowCredentials = true).
            [`${NGINX}/cors-allow-credentials`]: String(props.corsAllowCredentials),
            [`${NGINX}/cors-max-age`]: '600',
          };
    new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        ...props.metadata,
        // cert-manager copies the Ingress's labels to the Certificate and the ACME Order, where a solver selector can match it.
        labels: { ...props.metadata.labels, [ACME_SOLVER_LABEL]: props.acmeSolver },
        annotations: {
          ...props.metadata.annotations,
          'cert-manager.io/cluster-issuer': props.clusterIssuer,
          [`${NGINX}/ssl-redirect`]: 'true',
          [`${NGINX}/force-ssl-redirect`]: 'true',
          [`${NGINX}/limit-rps`]: String(props.rateLimit.requestsPerSecond),
          [`${NGINX}/limit-burst-multiplier`]: String(props.rateLimit.burstMultiplier),
          [`${NGINX}/limit-connections`]: String(props.rateLimit.connections),
          [`${NGINX}/proxy-body-size`]: props.maxBodySize,
          // LLM reranking can take several seconds.
          [`${NGINX}/proxy-read-timeout`]: String(SERVING.proxyReadTimeoutSeconds),
          ...cors,
        },
      },
      spec: {
        ingressClassName: props.className ?? 'nginx',
        tls: [{ hosts: [props.host], secretName: props.tlsSecretName }],
        rules: [
          {
            host: props.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: props.service.name, port: { name: props.service.portName } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}

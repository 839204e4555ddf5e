import { ApiIngress, ApiIngressProps } from '../../../lib/ingress/api-ingress';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const NGINX = 'nginx.ingress.kubernetes.io';
const props: ApiIngressProps = {
  metadata: WORKLOAD.metadata,
  host: 'search.example.com',
  clusterIssuer: 'letsencrypt',
  acmeSolver: 'http01',
  tlsSecretName: 'demo-tls',
  service: { name: 'demo', portName: 'http' },
  rateLimit: { requestsPerSecond: 10, burstMultiplier: 5, connections: 20 },
  corsAllowOrigins: [],
  corsAllowMethods: ['GET'],
  corsAllowCredentials: false,
  maxBodySize: '1m',
};
const render = (p: Partial<ApiIngressProps> = {}) => only(synthConstruct((chart) => new ApiIngress(chart, 'Ingress', { ...props, ...p })), 'Ingress');

describe('ApiIngress', () => {
  const ingress = render();
  const annotations = ingress.metadata.annotations!;

  it('renders one Ingress', () => {
    expect(ingress).toMatchSnapshot();
  });

  it('serves the host over TLS from cert-manager, redirects HTTP, limits each client', () => {
    expect(at(ingress, 'spec', 'tls')).toEqual([{ hosts: ['search.example.com'], secretName: 'demo-tls' }]);
    expect(annotations).toMatchObject({ 'cert-manager.io/cluster-issuer': 'letsencrypt', [`${NGINX}/force-ssl-redirect`]: 'true', [`${NGINX}/limit-rps`]: '10', [`${NGINX}/limit-connections`]: '20' });
    expect(ingress.metadata.labels).toMatchObject({ 'ai-odoofinder.dev/acme-solver': 'http01' });
  });

  it('turns CORS on only for listed origins, always saying whether credentials are allowed', () => {
    expect(Object.keys(annotations).filter((k) => k.includes('cors'))).toEqual([]);
    const cors = render({ corsAllowOrigins: ['https://a.example.com', 'https://b.example.com'] }).metadata.annotations!;
    expect(cors).toMatchObject({ [`${NGINX}/enable-cors`]: 'true', [`${NGINX}/cors-allow-origin`]: 'https://a.example.com, https://b.example.com', [`${NGINX}/cors-allow-credentials`]: 'false' });
  });

  it('refuses a host that is not a DNS name and a rate limit of 0', () => {
    expectPropsError(() => render({ host: '10.0.0.1' }), 'ApiIngress', 'host');
    expectPropsError(() => render({ host: 'https://search.example.com' }), 'ApiIngress', 'host');
    expectPropsError(() => render({ rateLimit: { ...props.rateLimit, requestsPerSecond: 0 } }), 'ApiIngress', 'rateLimit.requestsPerSecond');
  });
});

import { committedEnvironment, find, findAll, manifestsOf, minimalEnvironment, kubernetesEnvironmentNames } from '../support/env';

const NGINX = 'nginx.ingress.kubernetes.io';

describe('the API Ingress', () => {
  const production = find(manifestsOf(committedEnvironment('production')), 'Ingress', 'ai-odoo-finder');

  test('serves the configured host over TLS from cert-manager, redirecting HTTP', () => {
    expect(production.spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['api.ai-odoofinder.dev'], secretName: 'ai-odoo-finder-tls' }],
      // Production ships canaries: the Ingress routes to the stable Service, whose pods the Rollout chooses.
      rules: [{ host: 'api.ai-odoofinder.dev', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'ai-odoo-finder-stable', port: { name: 'http' } } } }] } }],
    });
    const rolling = find(manifestsOf(minimalEnvironment({ ingress: { enabled: true, host: 'a.example.com' } })), 'Ingress', 'ai-odoo-finder');
    expect((rolling.spec as { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] }).rules[0].http.paths[0].backend.service.name).toBe('ai-odoo-finder');
    expect(production.metadata.annotations).toMatchObject({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod', [`${NGINX}/force-ssl-redirect`]: 'true' });
  });

  test('limits requests and connections per client', () => {
    expect(production.metadata.annotations).toMatchObject({ [`${NGINX}/limit-rps`]: '10', [`${NGINX}/limit-burst-multiplier`]: '5', [`${NGINX}/limit-connections`]: '20' });
    const custom = find(manifestsOf(minimalEnvironment({ ingress: { enabled: true, host: 'a.example.com', rateLimit: { requestsPerSecond: 3, connections: 4 } } })), 'Ingress', 'ai-odoo-finder');
    expect(custom.metadata.annotations).toMatchObject({ [`${NGINX}/limit-rps`]: '3', [`${NGINX}/limit-connections`]: '4' });
  });

  test('answers CORS for the listed origins only, and not at all when none are listed', () => {
    expect(production.metadata.annotations).toMatchObject({ [`${NGINX}/enable-cors`]: 'true', [`${NGINX}/cors-allow-origin`]: 'https://ai-odoofinder.dev', [`${NGINX}/cors-allow-methods`]: 'GET, POST, OPTIONS' });
    const closed = find(manifestsOf(minimalEnvironment({ ingress: { enabled: true, host: 'a.example.com' } })), 'Ingress', 'ai-odoo-finder');
    expect(Object.keys(closed.metadata.annotations ?? {}).filter((k) => k.includes('cors'))).toEqual([]);
  });

  test('denies credentials cross-origin unless ingress.cors.allowCredentials (ingress-nginx would allow them when the annotation is missing)', () => {
    expect(production.metadata.annotations?.[`${NGINX}/cors-allow-credentials`]).toBe('false');
    const staging = find(manifestsOf(committedEnvironment('staging')), 'Ingress', 'ai-odoo-finder');
    expect(staging.metadata.annotations?.[`${NGINX}/cors-allow-credentials`]).toBe('false');
    const withCredentials = find(manifestsOf(minimalEnvironment({ ingress: { enabled: true, host: 'a.example.com', cors: { allowOrigins: ['https://a.example.com'], allowCredentials: true } } })), 'Ingress', 'ai-odoo-finder');
    expect(withCredentials.metadata.annotations?.[`${NGINX}/cors-allow-credentials`]).toBe('true');
  });

  test('tells cert-manager (and npm run validate) which ACME challenge its certificate uses: label ai-odoofinder.dev/acme-solver', () => {
    expect(production.metadata.labels?.['ai-odoofinder.dev/acme-solver']).toBe('http01');
    const dns = find(manifestsOf(minimalEnvironment({ ingress: { enabled: true, host: 'a.example.com', acmeSolver: 'dns01' } })), 'Ingress', 'ai-odoo-finder');
    expect(dns.metadata.labels?.['ai-odoofinder.dev/acme-solver']).toBe('dns01');
    // The selector labels stay as they were: the label is for cert-manager's solver selector only.
    expect(dns.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'ai-odoo-finder', 'app.kubernetes.io/component': 'api' });
  });

  test('a second Ingress takes /metrics back from the internet, on the same host, class and Service (the stable one under a canary)', () => {
    const withIngress = kubernetesEnvironmentNames().filter((name) => committedEnvironment(name).ingress.enabled);
    expect(withIngress).toEqual(expect.arrayContaining(['production', 'staging']));
    for (const env of withIngress) {
      const manifests = manifestsOf(committedEnvironment(env));
      const main = find(manifests, 'Ingress', 'ai-odoo-finder');
      const internal = find(manifests, 'Ingress', 'ai-odoo-finder-internal');
      expect(internal.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/denylist-source-range': '0.0.0.0/0,::/0' });
      const spec = internal.spec as { ingressClassName: string; rules: { host: string; http: { paths: { path: string; pathType: string; backend: unknown }[] } }[]; tls?: unknown };
      const mainSpec = main.spec as typeof spec;
      expect(spec.ingressClassName).toBe(mainSpec.ingressClassName);
      expect(spec.rules).toEqual([{ host: mainSpec.rules[0].host, http: { paths: [{ path: '/metrics', pathType: 'Prefix', backend: mainSpec.rules[0].http.paths[0].backend }] } }]);
      // No certificate of its own: cert-manager acts only on the main Ingress.
      expect(spec.tls).toBeUndefined();
      expect(internal.metadata.labels?.['ai-odoofinder.dev/acme-solver']).toBeUndefined();
    }
  });

  test('is not rendered unless enabled', () => {
    expect(findAll(manifestsOf(minimalEnvironment()), 'Ingress')).toEqual([]);
  });
});

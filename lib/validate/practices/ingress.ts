import { stringMap } from '../access';
import { Finding } from '../finding';
import { finding, Resource } from '../resource';

const NGINX = 'nginx.ingress.kubernetes.io';

/**
 * `ingress-cors-credentials` (warning): CORS turned on without saying whether
 * credentials are allowed. ingress-nginx then allows them: a missing or invalid
 * `cors-allow-credentials` sets CorsAllowCredentials = true
 * (kubernetes/ingress-nginx internal/ingress/annotations/cors/main.go, Parse).
 */
export function checkIngress(r: Resource): Finding[] {
  if (r.kind !== 'Ingress') return [];
  const annotations = stringMap(r.object, 'metadata', 'annotations');
  if (annotations[`${NGINX}/enable-cors`] !== 'true' || `${NGINX}/cors-allow-credentials` in annotations) return [];
  return [
    finding(r, 'warning', 'ingress-cors-credentials', ['metadata', 'annotations', `${NGINX}/enable-cors`],
      `CORS is on and ${NGINX}/cors-allow-credentials is not set, so ingress-nginx lets browsers send cookies and credentials cross-origin: set it to "false" unless the API needs them`),
  ];
}

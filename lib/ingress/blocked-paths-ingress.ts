import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, ObjectProps } from '../props';

/** ingress-nginx's annotation that denies these client addresses on the Ingress's locations. */
export const DENYLIST_ANNOTATION = 'nginx.ingress.kubernetes.io/denylist-source-range';
/** Every IPv4 and IPv6 client address. */
export const EVERY_ADDRESS = ['0.0.0.0/0', '::/0'] as const;

/** Whether an Ingress's annotations deny every IPv4 and IPv6 client (it serves nobody). */
export function deniesEveryAddress(annotations: Record<string, string>): boolean {
  const value = annotations[DENYLIST_ANNOTATION];
  if (value === undefined) return false;
  const ranges = value.split(',').map((r) => r.trim());
  return EVERY_ADDRESS.every((a) => ranges.includes(a));
}

export interface BlockedPathsIngressProps extends ObjectProps {
  /** The host of the public Ingress whose paths this one takes back. */
  readonly host: string;
  /** @default 'nginx' */
  readonly className?: string;
  /** Paths nobody may reach from outside, e.g. `/metrics`; each also blocks what lies below it (`/metrics/…`). */
  readonly paths: readonly string[];
  /** The public Ingress's backend: ingress-nginx needs one, but no request gets to it. */
  readonly service: { name: string; portName: string };
}

/**
 * Takes paths of the public host back from the internet: a second Ingress
 * for the same host whose locations answer every client with 403.
 *
 * How, without snippets (off by default since ingress-nginx 1.9:
 * `allow-snippet-annotations: false`, internal/ingress/controller/config/config.go):
 * - ingress-nginx merges the Ingresses of one host into one server, one
 *   location per path, each with the annotations of its own Ingress; nginx
 *   picks the longest matching prefix, so `/metrics` wins over `/`. A Prefix
 *   path `/metrics` becomes `location /metrics/` plus `location = /metrics`
 *   (internal/ingress/controller/location.go updateServerLocations).
 * - `denylist-source-range` writes `deny <cidr>;` into those locations
 *   (rootfs/etc/nginx/template/nginx.tmpl); every IPv4 and IPv6 address means
 *   403 for all. Its risk is Medium (internal/ingress/annotations/ipdenylist/main.go),
 *   under the default `annotations-risk-level: High`, so it is accepted.
 * - Under a canary, Argo Rollouts copies the rules of the stable Ingress only
 *   (the one named in the Rollout), not its annotations, into a canary Ingress
 *   (argo-rollouts rollout/trafficrouting/nginx/nginx.go buildCanaryIngress);
 *   ingress-nginx finds the location with the same path and pathType, `/`, and
 *   adds the canary Service as an alternative backend of that location's
 *   upstream, the stable Service (internal/ingress/controller/controller.go
 *   mergeAlternativeBackends, mergeAlternativeBackend). This Ingress routes to
 *   the same Service, so its locations share that upstream, but its `deny`
 *   runs in nginx's access phase, before any upstream is picked: still 403.
 * Prometheus scrapes the pods directly, not through the Ingress.
 */
export class BlockedPathsIngress extends Construct {
  constructor(scope: Construct, id: string, props: BlockedPathsIngressProps) {
    super(scope, id);
    const check = checkProps('BlockedPathsIngress', props).object(props).nonEmpty('paths', props.paths).name('service.name', props.service.name);
    for (const p of props.paths) check.that(p.startsWith('/') && p !== '/' && !p.endsWith('/'), 'paths', `has "${p}", not a path below / without a trailing slash`);
    new k8s.KubeIngress(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, [DENYLIST_ANNOTATION]: EVERY_ADDRESS.join(',') } },
      spec: {
        ingressClassName: props.className ?? 'nginx',
        rules: [
          {
            host: props.host,
            http: {
              paths: props.paths.map((path) => ({
                path,
                pathType: 'Prefix',
                backend: { service: { name: props.service.name, port: { name: props.service.portName } } },
              })),
            },
          },
        ],
      },
    });
  }
}

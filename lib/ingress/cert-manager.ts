/*
 * What cert-manager does for an Ingress, as its source defines it
 * (cert-manager/cert-manager; read at 2d0d7f7, v1.21 development, unchanged in this respect since v1.0):
 *
 * - ingress-shim makes a Certificate for each `spec.tls` entry of an Ingress that has
 *   `cert-manager.io/issuer` or `cert-manager.io/cluster-issuer`, or `kubernetes.io/tls-acme`
 *   set to a true value (pkg/controller/certificate-shim/sync.go `hasShimAnnotation`;
 *   internal/apis/config/controller/v1alpha1/defaults.go `defaultAutoCertificateAnnotations`).
 *   The Certificate lives in the Ingress's namespace and copies the Ingress's labels
 *   (sync.go `buildCertificates`); the CertificateRequest and the ACME Order copy them on
 *   (pkg/controller/certificates/requestmanager/requestmanager_controller.go,
 *   pkg/controller/certificaterequests/acme/acme.go), and an ACME issuer picks its solver by
 *   `solvers[].selector.matchLabels` against the Order's labels
 *   (pkg/util/solverpicker/solverpicker.go, pkg/controller/acmeorders/selectors/labels.go).
 * - For an HTTP-01 challenge, the solver Pod, its Service (NodePort by default) and its Ingress
 *   are created in the Challenge's namespace, which is the Order's, so the Ingress's
 *   (pkg/issuer/acme/http/pod.go `createPod`, service.go `createService`, ingress.go
 *   `createIngress`; pkg/controller/acmeorders/util.go `buildPartialChallenge`).
 * - The solver Pod is labelled `acme.cert-manager.io/http01-solver: "true"` plus hashes of the
 *   domain and the token (pod.go `podLabels`; label keys in pkg/apis/acme/v1/types.go), and
 *   its one container `acmesolver` listens on port 8089 named "http"
 *   (pkg/issuer/acme/http/http.go `acmeSolverListenPort`, pod.go `buildDefaultPod`).
 *   The ACME server (and cert-manager's self check) reach it only through the ingress
 *   controller, which proxies to the Pod's address: in a namespace whose NetworkPolicies
 *   deny that traffic, the challenge never passes and the certificate is never issued.
 */

/** Ingress annotations that make cert-manager issue a certificate for the Ingress's TLS hosts. */
export const CERT_MANAGER_ISSUER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'] as const;

/** Also makes a certificate when its value parses as true (Go strconv.ParseBool), with the controller's default issuer. */
export const TLS_ACME_ANNOTATION = 'kubernetes.io/tls-acme';

/** cert-manager's HTTP-01 solver Pod. */
export const HTTP01_SOLVER = {
  /** The label every solver Pod has; the others hold per-challenge hashes. */
  labels: { 'acme.cert-manager.io/http01-solver': 'true' } as Readonly<Record<string, string>>,
  domainLabel: 'acme.cert-manager.io/http-domain',
  tokenLabel: 'acme.cert-manager.io/http-token',
  port: 8089,
  portName: 'http',
  /** Our NetworkPolicy that lets the ingress controller reach it. */
  policyName: 'acme-http01-solver',
} as const;

/** The ACME challenge types this project supports. */
export const ACME_SOLVERS = ['http01', 'dns01'] as const;
export type AcmeSolver = (typeof ACME_SOLVERS)[number];

/**
 * Label on the Ingress naming the ACME challenge type its certificate uses. Our own
 * convention, with two readers: cert-manager copies it to the Order, so a ClusterIssuer
 * with both solvers can pick one by `selector.matchLabels` (see docs/delivery.md); and
 * `npm run validate` reads it (absent: http01, cert-manager's usual default).
 */
export const ACME_SOLVER_LABEL = 'ai-odoofinder.dev/acme-solver';

/** The value cert-manager puts in `acme.cert-manager.io/http-domain`: the Adler-32 checksum of the DNS name, in decimal (pod.go `podLabels`). */
export function http01DomainHash(dnsName: string): string {
  const MOD = 65521;
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(dnsName, 'utf8')) {
    a = (a + byte) % MOD;
    b = (b + a) % MOD;
  }
  return String(((b << 16) | a) >>> 0);
}

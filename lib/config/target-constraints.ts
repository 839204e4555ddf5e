import { EnvironmentSettings } from '../../config/schema';
import type { KeyProblem } from './constraints';

/**
 * Keys that configure Kubernetes objects only, with why they mean nothing in a
 * Docker Compose stack. A `target: compose` environment that writes one is
 * refused, so nobody believes a setting took effect; left out, their defaults
 * are simply not used. Everything else maps across (docs/compose.md).
 */
export const KUBERNETES_ONLY_KEYS: Readonly<Record<string, string>> = {
  autoscaling: 'Compose runs one API container (there is no HorizontalPodAutoscaler)',
  service: 'nginx is the only entry point of a Compose stack',
  argocd: 'a Compose environment is deployed by its deploy.sh, not by Argo CD',
  delivery: 'canary releases need Argo Rollouts; deploy.sh replaces the one API container',
  network: 'there are no NetworkPolicies: only nginx publishes ports, the other services are on the stack\'s own network',
  externalSecrets: 'secret values come from the .env file on the server (names in .env.example)',
  secrets: 'secret values come from the .env file on the server (names in .env.example)',
  monitoring: 'the Compose stack has no Prometheus Operator: scrape /metrics of the api service from your own monitoring',
  annotations: 'annotations are Kubernetes metadata',
  'migrations.activeDeadlineSeconds': 'it is a Job setting; deploy.sh runs the migration in a one-off container',
  'migrations.resources': 'it is a Job setting; the one-off container has the api service\'s limits',
  'smokeTest.activeDeadlineSeconds': 'it is a Job setting; the smoke test bounds its own retries',
  'datastores.mode': 'Compose always runs PostgreSQL and Redis in the stack',
  'datastores.external': 'Compose always runs PostgreSQL and Redis in the stack',
  'datastores.postgresql.password': 'POSTGRES_PASSWORD comes from the .env file',
  'datastores.postgresql.storage': 'named Docker volumes have no size',
  'datastores.postgresql.storageClassName': 'named Docker volumes have no StorageClass',
  'datastores.redis.password': 'REDIS_PASSWORD comes from the .env file',
  'datastores.redis.storage': 'named Docker volumes have no size',
  'datastores.redis.storageClassName': 'named Docker volumes have no StorageClass',
  'datastores.backup.schedule': 'there is no CronJob: deploy.sh dumps the database before each migration',
  'datastores.backup.storage': 'dumps are files in the site directory on the server',
  'datastores.backup.storageClassName': 'dumps are files in the site directory on the server',
  'ingress.className': 'the stack\'s own nginx is the ingress',
  'ingress.clusterIssuer': 'there is no cert-manager: the certificate files are in TLS_DIR on the server',
  'ingress.acmeSolver': 'there is no cert-manager: nginx serves HTTP-01 challenges from TLS_DIR/acme to certbot (docs/compose.md)',
};

/** Which settings apply to the environment's target. `written` is the file as written, before defaults. */
export function checkTarget(env: EnvironmentSettings, written: unknown): KeyProblem[] {
  const violations: KeyProblem[] = [];
  if (env.target !== 'compose') {
    if (has(written, ['compose'])) violations.push({ key: 'compose', message: 'applies to target "compose" only: remove it, or set target: compose' });
    return violations;
  }
  for (const [key, why] of Object.entries(KUBERNETES_ONLY_KEYS)) {
    if (has(written, key.split('.'))) violations.push({ key, message: `means nothing with target "compose" (${why}): remove it` });
  }
  if (!env.ingress.enabled) {
    violations.push({ key: 'ingress.enabled', message: 'must be true with target "compose": the stack is reached through its nginx (set ingress.enabled: true and ingress.host)' });
  }
  if (env.compose.httpPort === env.compose.httpsPort) {
    violations.push({ key: 'compose.httpsPort', message: `is ${env.compose.httpsPort}, the same as compose.httpPort` });
  }
  return violations;
}

function has(value: unknown, path: readonly string[]): boolean {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

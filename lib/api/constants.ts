import { WorkloadIdentity } from '../labels';

/** Facts about the API image (built elsewhere) that the manifests must agree with. */
export const API = {
  /** Name of the Deployment, Service, HPA, PDB and ServiceAccount. */
  name: 'ai-odoo-finder',
  identity: { name: 'ai-odoo-finder', component: 'api' } satisfies WorkloadIdentity,
  /** uvicorn listens here; the Dockerfile EXPOSEs it. */
  containerPort: 8000,
  /** Name of the container port; Service, probes and ServiceMonitor refer to it by name. */
  portName: 'http',
  /** The image's `appuser` (Dockerfile: `useradd -u 1000`). */
  uid: 1000,
  livenessPath: '/health',
  readinessPath: '/ready',
  metricsPath: '/metrics',
  /** A new pod must stay ready this long before it counts as available (Deployment and canary Rollout alike). */
  minReadySeconds: 5,
} as const;

/**
 * The environment variables the API reads (seed: app/config.py): the Kubernetes
 * ConfigMap and Secret references, the Compose api service and the checklist
 * name them from here.
 */
export const API_VARIABLES = {
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  anthropicApiKey: 'ANTHROPIC_API_KEY',
  openaiApiKey: 'OPENAI_API_KEY',
  logLevel: 'LOG_LEVEL',
  enableReranking: 'ENABLE_RERANKING_DEFAULT',
} as const;

/** The API's credentials: read from Secrets (Kubernetes) or the server's .env file (Compose), never written in dist/. */
export const API_KEYS = [API_VARIABLES.anthropicApiKey, API_VARIABLES.openaiApiKey] as const;

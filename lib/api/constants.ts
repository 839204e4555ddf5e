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
} as const;

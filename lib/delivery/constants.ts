import { WorkloadIdentity } from '../labels';

/** Appended to the environment's Application name for its CronJobs' Application. */
const CRON_APPLICATION_SUFFIX = '-cron';

/** Argo CD objects: where they live and what they are called. */
export const ARGOCD = {
  /** Namespace of the Argo CD control plane, where Applications and AppProjects must be. */
  namespace: 'argocd',
  project: 'ai-odoo-finder',
  /** The in-cluster API server: environments deploy to the cluster Argo CD runs in. */
  server: 'https://kubernetes.default.svc',
  applicationName: (env: string) => `ai-odoo-finder-${env}`,
  /** The Application of an environment's CronJobs (see OWN_APPLICATION_KINDS in lib/delivery/sync.ts). */
  cronApplicationName: (env: string) => `ai-odoo-finder-${env}${CRON_APPLICATION_SUFFIX}`,
  /**
   * The label Argo CD's label tracking (the default before Argo CD 3.0)
   * reads to decide which Application an object belongs to. Our objects carry
   * it with the Application's name as value; generated objects without an
   * owner reference (a StatefulSet's PVCs) must not.
   */
  trackingLabel: 'app.kubernetes.io/instance',
} as const;

/** The sync hook Jobs and their ServiceAccount. */
export const HOOKS = {
  serviceAccount: 'ai-odoo-finder-hooks',
  migration: { name: 'ai-odoo-finder-migrate', identity: { name: 'ai-odoo-finder', component: 'migration' } satisfies WorkloadIdentity },
  smokeTest: { name: 'ai-odoo-finder-smoke-test', identity: { name: 'ai-odoo-finder', component: 'smoke-test' } satisfies WorkloadIdentity },
} as const;

/** The canary objects (delivery.strategy "canary"). The Rollout has the API's name, so its pods are named like the Deployment's. */
export const CANARY = {
  rollout: 'ai-odoo-finder',
  /** Services the Rollout points at the stable and the canary pods (never scraped: their selectors change during an update). */
  stableService: { name: 'ai-odoo-finder-stable', identity: { name: 'ai-odoo-finder', component: 'api-stable' } satisfies WorkloadIdentity },
  canaryService: { name: 'ai-odoo-finder-canary', identity: { name: 'ai-odoo-finder', component: 'api-canary' } satisfies WorkloadIdentity },
  /** AnalysisTemplates: in the background for the whole update, and the gate before 100 %. */
  backgroundAnalysis: 'ai-odoo-finder-slo',
  gateAnalysis: 'ai-odoo-finder-slo-gate',
} as const;

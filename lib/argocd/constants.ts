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
  /** The Application of an environment's CronJobs (see OWN_APPLICATION_KINDS in ./sync.ts). */
  cronApplicationName: (env: string) => `ai-odoo-finder-${env}${CRON_APPLICATION_SUFFIX}`,
  /**
   * The label Argo CD's label tracking (the default before Argo CD 3.0)
   * reads to decide which Application an object belongs to. Our objects carry
   * it with the Application's name as value; generated objects without an
   * owner reference (a StatefulSet's PVCs) must not.
   */
  trackingLabel: 'app.kubernetes.io/instance',
} as const;

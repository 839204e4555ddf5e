import { WorkloadIdentity } from '../labels';

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

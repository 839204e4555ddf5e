import * as checks from './checks';
import { databaseMonitoring } from './database-monitoring';
import { ChecklistContext, CheckResult, manual } from './context';

/** One line of the seed's pre-deployment checklist; `check` when the rendered files can prove it. */
export interface ChecklistItem<C = ChecklistContext> {
  readonly text: string;
  readonly check?: (ctx: C) => CheckResult;
}

export interface ChecklistSection<C = ChecklistContext> {
  readonly title: string;
  readonly items: readonly ChecklistItem<C>[];
}

const item = (text: string, check?: ChecklistItem['check']): ChecklistItem => ({ text, check });

/**
 * The pre-deployment checklist of SPEC-404, section by section and in its
 * words, plus a "Kubernetes" section for what the manifests add. Items with a
 * check are proved from dist/<env>/; the others stay for a person.
 */
export const CHECKLIST: readonly ChecklistSection[] = [
  {
    title: 'Code Quality',
    items: [
      item('All unit tests passing (>90% coverage)'),
      item('All integration tests passing'),
      item('Performance tests meet SLAs'),
      item('Code review completed and approved'),
      item('No critical security vulnerabilities'),
      item('Documentation up to date'),
    ],
  },
  {
    title: 'Database',
    items: [
      item('Migration scripts tested'),
      item('Backup strategy in place', checks.backups),
      item('Rollback scripts prepared', checks.rollbackPrepared),
      item('Indexes created and optimized'),
      item('pgVector extension installed', checks.pgvector),
      item('Full-text search configured'),
    ],
  },
  {
    title: 'Configuration',
    items: [
      item('Environment variables set', checks.environmentVariables),
      item('API keys configured (Anthropic, OpenAI)', checks.apiKeys),
      item('Database connection strings verified'),
      item('Redis configured (for caching)', checks.redis),
      item('Logging level set appropriately', checks.logLevel),
      item('Feature flags configured', checks.featureFlags),
    ],
  },
  {
    title: 'Infrastructure',
    items: [
      item('Production server provisioned'),
      item('SSL certificates installed', checks.tls),
      item('Load balancer configured', checks.loadBalancer),
      item('Auto-scaling policies set', checks.autoscaling),
      item('Backup storage configured', checks.backupStorage),
      item('Monitoring tools installed'),
    ],
  },
  {
    title: 'Kubernetes',
    items: [
      item('Readiness and liveness probes on every long-running container', checks.probes),
      item('Requests and limits on every container', checks.resources),
      item('PodDisruptionBudget for every workload', checks.disruptionBudgets),
      item('NetworkPolicies: default deny, each pod allowed only what it needs', checks.networkPolicies),
      item('Images pinned (tag or digest, never "latest")', checks.pinnedImages),
      item('Pod Security "restricted" on every pod', checks.podSecurity),
      item('Releases judged by the SLO, rolled back automatically (canary)', checks.canaryAnalysis),
      item('Migration works with the running version too (expand/contract)', checks.migrationCompatibility),
    ],
  },
  {
    title: 'Data',
    items: [
      item('Module database populated'),
      item('AI descriptions generated (enrichment)'),
      item('Vector embeddings created'),
      item('Full-text indexes built'),
      item('Data validation completed'),
    ],
  },
  {
    title: 'Testing',
    items: [
      item('Staging environment tested'),
      item('Load testing completed'),
      item('User acceptance testing done'),
      item('Benchmark results validated'),
      item('Cost projections reviewed'),
    ],
  },
  {
    title: 'Documentation',
    items: [
      item('Deployment guide reviewed'),
      item('Runbook created', checks.runbook),
      item('API documentation published'),
      item('User guide available'),
      item('Incident response plan ready', checks.incidentResponse),
    ],
  },
  {
    title: 'Security',
    items: [
      item('API authentication enabled'),
      item('Rate limiting configured', checks.rateLimiting),
      item('CORS policies set', checks.cors),
      item('SQL injection protections verified'),
      item('Secrets management configured', checks.noSecretsInGit),
      item('Security audit completed'),
    ],
  },
  {
    title: 'Monitoring',
    items: [
      item('Application monitoring configured', checks.applicationMonitoring),
      item('Database monitoring set up', databaseMonitoring),
      item('Cost tracking enabled', checks.costTracking),
      item('Alert thresholds configured', checks.alerts),
      item('Dashboard created', checks.dashboard),
      item('On-call rotation established'),
    ],
  },
  {
    title: 'Communication',
    items: [
      item('Stakeholders notified'),
      item('Maintenance window scheduled'),
      item('Rollback contacts identified'),
      item('Post-deployment review scheduled'),
    ],
  },
];

export interface ItemResult extends CheckResult {
  readonly section: string;
  readonly text: string;
  /** Whether a check exists for it (a check may still answer `manual`, e.g. for a managed database). */
  readonly automatic: boolean;
}

/** Runs every check; a check that throws counts as failed, with the error as detail. */
export function runChecklist(ctx: ChecklistContext, checklist?: readonly ChecklistSection[]): ItemResult[];
export function runChecklist<C>(ctx: C, checklist: readonly ChecklistSection<C>[]): ItemResult[];
export function runChecklist<C>(ctx: C, checklist: readonly ChecklistSection<C>[] = CHECKLIST as unknown as readonly ChecklistSection<C>[]): ItemResult[] {
  return checklist.flatMap((section) =>
    section.items.map((i) => {
      let result: CheckResult;
      try {
        result = i.check ? i.check(ctx) : manual('');
      } catch (e) {
        result = { status: 'fail', detail: `check failed: ${(e as Error).message}` };
      }
      return { section: section.title, text: i.text, automatic: i.check !== undefined, ...result };
    }),
  );
}

/** The checklist as Markdown, in the seed's layout: [x] proved, [ ] FAILED or manual. */
export function formatChecklist(envName: string, results: readonly ItemResult[]): string {
  const lines = [`## AI-OdooFinder: Production Deployment Checklist — ${envName} (from dist/${envName}/)`, ''];
  let section = '';
  for (const r of results) {
    if (r.section !== section) {
      if (section) lines.push('');
      lines.push(`### ${r.section}`);
      section = r.section;
    }
    if (r.status === 'pass') lines.push(`- [x] ${r.text} — ${r.detail}`);
    else if (r.status === 'fail') lines.push(`- [ ] ${r.text} — FAILED: ${r.detail}`);
    else lines.push(`- [ ] ${r.text} — manual${r.detail ? `: ${r.detail}` : ''}`);
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  lines.push('', `${count('pass')} checked automatically, ${count('fail')} failed, ${count('manual')} left for a person.`);
  return `${lines.join('\n')}\n`;
}

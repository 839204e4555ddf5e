import { Finding, formatPath } from '../validate/finding';
import { PSA_RULES } from '../validate/pod-security';
import * as checks from './checks';
import { databaseMonitoring } from './database-monitoring';
import { ChecklistContext, CheckResult, fail, manual, pass, ValidatedFolder } from './context';

/** `rules` of the item that stands for every rule no other item names. */
export const OTHER_RULES = 'other-rules';

/**
 * One line of the seed's pre-deployment checklist. Automatic when the
 * validator's findings (`rules`) or a check of its own (`check`) can prove it.
 */
export interface ChecklistItem<C extends ValidatedFolder = ChecklistContext> {
  readonly text: string;
  /**
   * Rule ids of `npm run validate` that prove the item (docs/validate.md): it
   * fails exactly when one of them has an error finding, with the validator's
   * own messages; their warnings are shown with a pass.
   */
  readonly rules?: readonly string[] | typeof OTHER_RULES;
  /** What a passing item says (counts, names); never a verdict of its own. */
  readonly proves?: (ctx: C) => string;
  /**
   * What the validator cannot say: a fact of the environment's config (the
   * tier policy, what it turned off) or of the repository. Checked here and
   * nowhere else; runs when the rules have no error.
   */
  readonly check?: (ctx: C) => CheckResult;
}

export interface ChecklistSection<C extends ValidatedFolder = ChecklistContext> {
  readonly title: string;
  readonly items: readonly ChecklistItem<C>[];
}

type Item = ChecklistItem<ChecklistContext>;
const item = (text: string, how: Omit<Item, 'text'> = {}): Item => ({ text, ...how });

/**
 * The pre-deployment checklist of SPEC-404, section by section and in its
 * words, plus a "Kubernetes" section for what the manifests add. Items with
 * rules or a check are proved from dist/<env>/; the others stay for a person.
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
      item('Backup strategy in place', { rules: ['cron-schedule'], check: checks.backups }),
      item('Rollback scripts prepared', { check: checks.rollbackPrepared }),
      item('Indexes created and optimized'),
      item('pgVector extension installed', { check: checks.pgvector }),
      item('Full-text search configured'),
    ],
  },
  {
    title: 'Configuration',
    items: [
      item('Environment variables set', { rules: ['configmap-ref'], check: checks.environmentVariables }),
      item('API keys configured (Anthropic, OpenAI)', { rules: ['secret-literal', 'secret-key-ref'], check: checks.apiKeys }),
      item('Database connection strings verified'),
      item('Redis configured (for caching)', { rules: ['redis-auth'], check: checks.redis }),
      item('Logging level set appropriately', { check: checks.logLevel }),
      item('Feature flags configured', { check: checks.featureFlags }),
    ],
  },
  {
    title: 'Infrastructure',
    items: [
      item('Production server provisioned'),
      item('SSL certificates installed', { rules: ['acme-http01-solver'], check: checks.tls }),
      item('Load balancer configured', { rules: ['ingress-backend', 'service-selector', 'service-target-port'], check: checks.loadBalancer }),
      item('Auto-scaling policies set', { rules: ['hpa-target', 'hpa-range', 'hpa-replicas', 'rollout-hpa', 'rollout-replicas', 'argocd-hpa-order'], check: checks.autoscaling }),
      item('Backup storage configured', { rules: ['pvc-ref', 'argocd-keep-data'], check: checks.backupStorage }),
      item('Monitoring tools installed'),
    ],
  },
  {
    title: 'Kubernetes',
    items: [
      item('Readiness probes on every long-running container, liveness probes apart from them', { rules: ['readiness-probe', 'liveness-probe', 'probes-distinct', 'probe-port'], proves: checks.probes }),
      item('CPU and memory requests and a memory limit on every container', { rules: ['resource-requests', 'memory-limit'], proves: checks.resources }),
      item('PodDisruptionBudget for every workload', { rules: ['pdb', 'pdb-selector', 'pdb-disruptions', 'pdb-spec', 'pdb-scale'], proves: checks.disruptionBudgets }),
      item('NetworkPolicies: default deny, each pod allowed only what it needs', {
        rules: ['network-default-deny', 'network-pod-policy', 'network-policy', 'networkpolicy-selector', 'networkpolicy-port'],
        proves: checks.networkPolicies,
      }),
      item('Images pinned (tag or digest, never "latest")', { rules: ['image-pinned'], proves: checks.pinnedImages }),
      item('Pod Security "restricted" on every pod', { rules: [...PSA_RULES, 'namespace-pod-security', 'read-only-root-fs', 'service-account-token'], proves: checks.podSecurity }),
      item('Releases judged by the SLO, rolled back automatically (canary)', {
        rules: ['rollout-workload', 'rollout-service', 'rollout-ingress', 'rollout-analysis', 'rollout-hpa', 'rollout-replicas', 'analysis-args', 'analysis-metric-spec', 'analysis-gate-success', 'analysis-scrape-label', 'servicemonitor-rollout-service'],
        check: checks.canaryAnalysis,
      }),
      item('Migration works with the running version too (expand/contract)', { check: checks.migrationCompatibility }),
      item('Every other check of npm run validate passes (API server, Argo CD, Prometheus, Grafana)', { rules: OTHER_RULES, proves: checks.otherRules }),
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
      item('Runbook created', { check: checks.runbook }),
      item('API documentation published'),
      item('User guide available'),
      item('Incident response plan ready', { rules: ['alert-annotations'], check: checks.incidentResponse }),
    ],
  },
  {
    title: 'Security',
    items: [
      item('API authentication enabled'),
      item('Rate limiting configured', { check: checks.rateLimiting }),
      item('CORS policies set', { rules: ['ingress-cors-credentials'], check: checks.cors }),
      item('SQL injection protections verified'),
      item('Secrets management configured', { rules: ['secret-object', 'secret-literal', 'secret-ref', 'secret-key-ref'], proves: checks.noSecretsInGit }),
      item('Security audit completed'),
    ],
  },
  {
    title: 'Monitoring',
    items: [
      item('Application monitoring configured', { rules: ['servicemonitor-selector', 'servicemonitor-port'], check: checks.applicationMonitoring }),
      item('Database monitoring set up', { check: databaseMonitoring }),
      item('Cost tracking enabled', { check: checks.costTracking }),
      item('Alert thresholds configured', { rules: ['alert-labels', 'alert-annotations', 'rule-group', 'rule-name'], check: checks.alerts }),
      item('Dashboard created', { rules: ['dashboard'], check: checks.dashboard }),
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
  /** Whether rules or a check prove it (a check may still answer `manual`, e.g. for a managed database). */
  readonly automatic: boolean;
}

/** A finding as the checklist quotes it: `Kind/namespace/name path: message (rule)`. */
function quoteFinding(f: Finding): string {
  const where = formatPath(f.path);
  return `${f.object}${where ? ` ${where}` : ''}: ${f.message} (${f.rule})`;
}

/** Every rule id an item of the checklist names. */
export function namedRules<C extends ValidatedFolder>(checklist: readonly ChecklistSection<C>[]): Set<string> {
  return new Set(checklist.flatMap((s) => s.items.flatMap((i) => (Array.isArray(i.rules) ? i.rules : []))));
}

/** The validator's findings an item owns: those of its rules, or, for OTHER_RULES, of every rule no item names. */
function findingsOf<C extends ValidatedFolder>(i: ChecklistItem<C>, findings: readonly Finding[], named: ReadonlySet<string>): Finding[] {
  if (i.rules === undefined) return [];
  const rules = i.rules;
  return findings.filter((f) => (rules === OTHER_RULES ? !named.has(f.rule) : rules.includes(f.rule)));
}

function evaluate<C extends ValidatedFolder>(i: ChecklistItem<C>, ctx: C, named: ReadonlySet<string>): CheckResult {
  const own = findingsOf(i, ctx.findings, named);
  const errors = own.filter((f) => f.severity === 'error');
  if (errors.length > 0) return fail(errors.map(quoteFinding).join('; '));
  const result = i.check ? i.check(ctx) : i.rules !== undefined ? pass(i.proves?.(ctx) ?? '') : manual('');
  const warnings = own.filter((f) => f.severity === 'warning');
  return result.status === 'pass' && warnings.length > 0 ? pass(`${result.detail}; warnings: ${warnings.map(quoteFinding).join('; ')}`) : result;
}

/** Runs every item; a check that throws counts as failed, with the error as detail. */
export function runChecklist(ctx: ChecklistContext, checklist?: readonly ChecklistSection[]): ItemResult[];
export function runChecklist<C extends ValidatedFolder>(ctx: C, checklist: readonly ChecklistSection<C>[]): ItemResult[];
export function runChecklist<C extends ValidatedFolder>(ctx: C, checklist: readonly ChecklistSection<C>[] = CHECKLIST as unknown as readonly ChecklistSection<C>[]): ItemResult[] {
  const named = namedRules(checklist);
  return checklist.flatMap((section) =>
    section.items.map((i) => {
      let result: CheckResult;
      try {
        result = evaluate(i, ctx, named);
      } catch (e) {
        result = fail(`check failed: ${(e as Error).message}`);
      }
      return { section: section.title, text: i.text, automatic: i.rules !== undefined || i.check !== undefined, ...result };
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

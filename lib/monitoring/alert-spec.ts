import { MonitoringContext } from './context';

/**
 * The coarse class dashboards and inhibition use: `critical` for the levels
 * that notify a person at once (P1, P2), `warning` for the rest (P3, P4).
 * Derived from the level, never set by hand. No alert of ours is `info`:
 * kube-prometheus-stack's default Alertmanager config mutes `severity=info`
 * in a namespace while its InfoInhibitor fires (charts/kube-prometheus-stack/values.yaml,
 * `alertmanager.config.inhibit_rules`), so an info alert would go unseen.
 */
export type Severity = 'critical' | 'warning';

/**
 * Incident levels of SPEC-404's "Incident Response Playbook": the single source
 * of truth of how urgent an alert is. Alertmanager routes on the `level` label
 * (lib/monitoring/alert-routing.ts); `severity` follows from it.
 */
export const LEVELS = {
  P1: { name: 'Critical', description: 'Service completely down', responseTime: 'Immediate', escalation: 'Page on-call immediately', severity: 'critical' },
  P2: { name: 'High', description: 'Major feature broken', responseTime: '< 1 hour', escalation: 'Notify team lead', severity: 'critical' },
  P3: { name: 'Medium', description: 'Minor feature broken', responseTime: '< 4 hours', escalation: 'Create ticket', severity: 'warning' },
  P4: { name: 'Low', description: 'Cosmetic issue', responseTime: 'Next business day', escalation: 'None (notified in business hours)', severity: 'warning' },
} as const satisfies Record<string, { name: string; description: string; responseTime: string; escalation: string; severity: Severity }>;
export type Level = keyof typeof LEVELS;
export const LEVEL_NAMES = Object.keys(LEVELS) as Level[];

/**
 * What an alert is about. Alerts of one problem describe the same incident:
 * while a critical alert of a problem fires, the warnings of that problem (in
 * the same namespace) are muted, and nothing else (see lib/monitoring/inhibition.ts).
 */
export const PROBLEMS = {
  availability: 'Searches fail.',
  latency: 'Searches are slow.',
  cost: 'LLM reranking spend is above budget.',
  cache: 'The cache is unreachable, full, or answers too few searches.',
  scrape: 'Prometheus cannot scrape the API (down or unmonitored).',
  workload: 'API pods crash or are not ready.',
  capacity: 'The autoscaler has no room left.',
  database: 'PostgreSQL is down, short of connections or without a recent backup.',
  exporters: 'Prometheus cannot scrape a datastore exporter: database monitoring is blind.',
} as const;
export type Problem = keyof typeof PROBLEMS;
export const PROBLEM_NAMES = Object.keys(PROBLEMS) as Problem[];

/** Names of the labels every alert carries, for rules, routing, inhibition and dashboards. */
export const ALERT_LABELS = { level: 'level', problem: 'problem', severity: 'severity' } as const;

/** The severity a level implies. */
export function severityOf(level: Level): Severity {
  return LEVELS[level].severity;
}

/** A mitigation; when it is a change of the environment file, `config` gives the one line to change. */
export interface Solution {
  readonly text: string;
  readonly config?: { readonly key: string; readonly value: string };
}

/**
 * An alert of kube-prometheus-stack's default rules that fires on the same
 * condition of the same objects as one of ours: `alertname` and the labels
 * that pin it to our objects (`regex`: matched with `=~`, anchored).
 */
export interface SupersededAlert {
  readonly alertname: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly regex?: Readonly<Record<string, string>>;
}

/** One alert: its rule and its runbook. */
export interface AlertSpec {
  readonly name: string;
  /** How urgent (SPEC-404 P1–P4); decides the route and the severity. */
  readonly level: Level;
  /** The incident it belongs to; decides what it mutes and what mutes it. */
  readonly problem: Problem;
  readonly for?: string;
  /** The rule; thresholds come from `ctx.thresholds` or the environment's config, never as literals. */
  readonly expr: (ctx: MonitoringContext) => string;
  readonly summary: (ctx: MonitoringContext) => string;
  /** Alertmanager template; `{{ $value }}` is the value of the expression. */
  readonly description: (ctx: MonitoringContext) => string;
  /** Runbook: what the alert means and why it matters. */
  readonly meaning: (ctx: MonitoringContext) => string;
  readonly diagnosis: readonly string[];
  readonly solutions: readonly Solution[];
  /**
   * kube-prometheus-stack alerts this one replaces for our objects: they reach
   * no receiver, so an incident notifies once, at this alert's level (a P4 waits
   * for business hours) and with its runbook. Default: none.
   */
  readonly supersedes?: (ctx: MonitoringContext) => readonly SupersededAlert[];
}

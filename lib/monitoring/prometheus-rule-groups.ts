import { ALERT_LABELS, AlertSpec, severityOf } from './alert-spec';
import { ALERTS } from './alerts';
import { MonitoringContext } from './context';
import { datastoreAlerts } from './datastore-alerts';
import { sliRecordingRules } from './slo';

/** A Prometheus alerting rule (`alert`) or recording rule (`record`), as it goes into a PrometheusRule (and a promtool rule file). */
export interface AlertOrRecordingRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** A group of a PrometheusRule's spec.groups (a rule group of Prometheus's rule files). */
export interface PrometheusRuleGroup {
  readonly name: string;
  readonly rules: readonly AlertOrRecordingRule[];
}

/** The URL of an alert's runbook. */
function runbookUrl(ctx: MonitoringContext, alert: string): string {
  return `${ctx.runbookBaseUrl}/${alert}.md`;
}

/** The labels Alertmanager routes (level) and inhibits (problem, severity) on. */
export function alertLabels(a: AlertSpec): Record<string, string> {
  return { [ALERT_LABELS.severity]: severityOf(a.level), [ALERT_LABELS.level]: a.level, [ALERT_LABELS.problem]: a.problem };
}

export function alertingRule(ctx: MonitoringContext, a: AlertSpec): AlertOrRecordingRule {
  return {
    alert: a.name,
    expr: a.expr(ctx),
    ...(a.for ? { for: a.for } : {}),
    labels: alertLabels(a),
    annotations: { summary: a.summary(ctx), description: a.description(ctx), runbook_url: runbookUrl(ctx, a.name) },
  };
}

/** Every rule group of the API: SLI recording rules first, then the alerts. */
export function prometheusRuleGroups(ctx: MonitoringContext): PrometheusRuleGroup[] {
  const slo = (a: AlertSpec) => a.name.includes('BudgetBurn');
  return [
    { name: 'ai-odoo-finder.slo.rules', rules: sliRecordingRules(ctx) },
    { name: 'ai-odoo-finder.alerts', rules: ALERTS.filter((a) => !slo(a)).map((a) => alertingRule(ctx, a)) },
    { name: 'ai-odoo-finder.slo.alerts', rules: ALERTS.filter(slo).map((a) => alertingRule(ctx, a)) },
    ...(datastoreAlerts(ctx).length ? [{ name: 'ai-odoo-finder.datastores.alerts', rules: datastoreAlerts(ctx).map((a) => alertingRule(ctx, a)) }] : []),
  ];
}

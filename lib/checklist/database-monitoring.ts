import { DATASTORE_METRICS } from '../monitoring/metrics';
import { POSTGRESQL_EXPORTER, REDIS_EXPORTER } from '../datastores/exporters';
import { Manifest } from '../synth/render';
import { selects } from '../validate/selectors';
import { ChecklistContext, CheckResult, fail, manual, pass } from './context';

const datastores = [
  { what: 'PostgreSQL', exporter: POSTGRESQL_EXPORTER, up: DATASTORE_METRICS.postgresql.up, setting: 'monitoring.datastores.external.postgresqlDataSourceName' },
  { what: 'Redis', exporter: REDIS_EXPORTER, up: DATASTORE_METRICS.redis.up, setting: 'monitoring.datastores.external.redisUrl' },
] as const;

/** The problems of one datastore's monitoring in dist/, or undefined when no exporter of it is rendered. */
function exporterProblems(ctx: ChecklistContext, d: (typeof datastores)[number]): string[] | undefined {
  const of = (kind: string) => ctx.manifests.filter((m) => m.kind === kind);
  const deployment = of('Deployment').find((m) => m.metadata.name === d.exporter.name);
  if (!deployment) return undefined;
  const problems: string[] = [];
  const service = of('Service').find((m) => m.metadata.name === d.exporter.name);
  if (!service) problems.push(`no Service ${d.exporter.name}`);
  const monitored = of('ServiceMonitor').some((m) => service && selects((m.spec as { selector: { matchLabels?: Record<string, string> } }).selector, service.metadata.labels ?? {}));
  if (!monitored) problems.push(`no ServiceMonitor selects Service ${d.exporter.name}`);
  const rules = of('PrometheusRule').flatMap((r: Manifest) => (r.spec as { groups: { rules: { alert?: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules));
  if (!rules.some((r) => r.alert && r.expr.includes(d.up))) problems.push(`no alert on ${d.up}`);
  const panel = of('ConfigMap').some((c) => Object.values((c.data ?? {}) as Record<string, string>).some((v) => v.includes(d.up)));
  if (!panel) problems.push(`no dashboard panel on ${d.up}`);
  return problems;
}

/**
 * "Database monitoring set up": an exporter with a Service, a ServiceMonitor,
 * alerts and dashboard panels for each datastore; with managed datastores and
 * no exporter configured, what the operator must provide instead.
 */
export function databaseMonitoring(ctx: ChecklistContext): CheckResult {
  const problems: string[] = [];
  const monitored: string[] = [];
  const unmonitored: string[] = [];
  for (const d of datastores) {
    const p = exporterProblems(ctx, d);
    if (p === undefined) unmonitored.push(`${d.what} (set ${d.setting}, or monitor it in the provider: up, connections against the limit, memory and evictions, backups)`);
    else if (p.length) problems.push(...p.map((x) => `${d.what}: ${x}`));
    else monitored.push(`${d.what} by ${d.exporter.name}`);
  }
  if (problems.length) return fail(problems.join('; '));
  if (unmonitored.length === 0) return pass(`${monitored.join(', ')}: ServiceMonitor, alerts and dashboard panels`);
  if (ctx.env.datastores.mode === 'in-cluster') return fail(`in-cluster datastores without exporter: ${unmonitored.join('; ')}`);
  return manual(`managed datastores not monitored from the cluster: ${unmonitored.join('; ')}${monitored.length ? `. Monitored: ${monitored.join(', ')}` : ''}`);
}

import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import { ALERT_LABELS, Level, LEVEL_NAMES, LEVELS } from './alert-spec';
import { alertNamed } from './alerts';
import { MonitoringContext } from './context';
import { datastorePanels } from './datastore-dashboard';
import { alertThreshold, DATASOURCE, Panel, refIds, series, target, thresholds } from './grafana-panels';
import { replicaQueries } from './replicas';
import { METRICS } from './metrics';
import { PANEL_IDS } from './panel-ids';
import { SLO_PERIOD } from './slo';
import { ALERT_WINDOWS, percentileName, percentOf } from './thresholds';

/** What the dashboard of one environment needs besides the monitoring context. */
export interface DashboardProps {
  /** Stable uid (Grafana URLs and links keep working across syncs). */
  readonly uid: string;
  readonly title: string;
}

const WIDTH = 12;
const HEIGHT = 8;

/** The API dashboard as Grafana JSON model (deterministic: same context, same text). */
export function apiDashboard(ctx: MonitoringContext, props: DashboardProps): dashboard.Dashboard {
  const api = `job="${ctx.job}",namespace="$namespace"`;
  const pods = `namespace="$namespace",container="${ctx.container}",pod=~"${ctx.pods}"`;
  const hpa = `namespace="$namespace",horizontalpodautoscaler="${ctx.hpa}"`;
  const requests = METRICS.searchRequests.name;
  const latency = `${METRICS.searchLatency.name}_bucket`;
  const rate = (selector: string) => `rate(${selector}[$__rate_interval])`;
  // Panels that draw an alert's threshold read its window (ALERT_WINDOWS), so the line crosses it when the rule does.
  const alertRate = (selector: string) => `rate(${selector}[${ALERT_WINDOWS.rate}])`;

  const budgetLeft = (errorRatio: string, budget: number) => `1 - (${errorRatio}) / ${budget}`;
  // The API creates the status="error" series at its first error (seed metrics.py): until then
  // there is no error series at all, and a ratio of it would show "No data" on a healthy service.
  const errorsOrZero = (sumExpr: string) => `(${sumExpr} or vector(0))`;
  const availabilityErrors = `${errorsOrZero(`sum(increase(${requests}{${api},status="error"}[${SLO_PERIOD}]))`)} / sum(increase(${requests}{${api}}[${SLO_PERIOD}]))`;
  const latencyErrors = `1 - sum(increase(${latency}{${api},le="${ctx.latency.le}"}[${SLO_PERIOD}])) / sum(increase(${METRICS.searchLatency.name}_count{${api}}[${SLO_PERIOD}]))`;

  const { errorRatio, cacheHitRate } = ctx.thresholds;
  const p = percentileName(ctx.thresholds.latency.quantile);
  const panels: Panel[] = [
    [PANEL_IDS.requests, series('Requests per second', 'reqps', 'Searches served per second, by search mode and outcome.', [
      target(`sum by (search_mode, status) (${rate(`${requests}{${api}}`)})`, '{{search_mode}} {{status}}'),
    ])],
    [PANEL_IDS.errorRatio, alertThreshold(series('Error ratio', 'percentunit', `Failed searches divided by all searches, over all pods. ${fires('HighErrorRate')} above ${percentOf(errorRatio)}%.`, [
      target(`${errorsOrZero(`sum(${alertRate(`${requests}{${api},status="error"}`)})`)} / sum(${alertRate(`${requests}{${api}}`)})`, 'errors'),
    ]), 'above', errorRatio)],
    [PANEL_IDS.latency, alertThreshold(series(`${p} latency`, 's', `${p} search latency over all pods. ${fires('HighLatency')} above ${ctx.thresholds.latency.seconds}s.`, [
      target(`histogram_quantile(${ctx.thresholds.latency.quantile}, sum by (le) (${alertRate(`${latency}{${api}}`)}))`, p.toLowerCase()),
    ]), 'above', ctx.thresholds.latency.seconds)],
    [PANEL_IDS.latencyByMode, series(
      'Latency percentiles by search mode',
      's',
      'P50, P95 and P99 search latency per search mode, with LLM reranking on ("True") and off ("False").',
      [0.5, 0.95, 0.99].map((q) =>
        target(`histogram_quantile(${q}, sum by (search_mode, reranking_enabled, le) (${rate(`${latency}{${api}}`)}))`, `p${q * 100} {{search_mode}} reranking={{reranking_enabled}}`),
      ),
    )],
    [PANEL_IDS.cacheHitRate, alertThreshold(series('Cache hit rate', 'percentunit', `Share of searches answered from the cache, averaged over the pods. ${fires('LowCacheHitRate')} below ${percentOf(cacheHitRate)}%.`, [
      // Only while there is traffic, as the alert: an idle pod reports 0 (docs/monitoring.md).
      target(`avg(${METRICS.cacheHitRate.name}{${api}}) and on () sum(rate(${requests}{${api}}[${ALERT_WINDOWS.cacheTraffic}])) > 0`, 'average'),
      target(`${METRICS.cacheHitRate.name}{${api}}`, '{{pod}}'),
    ]).min(0).max(1), 'below', cacheHitRate)],
    [PANEL_IDS.dailyCost, new stat.PanelBuilder()
      .title('Daily reranking cost')
      .description(`LLM reranking spend over the last 24 hours, all pods. ${fires('DailyCostExceeded')} above $${ctx.dailyBudgetUsd}.`)
      .datasource(DATASOURCE)
      .unit('currencyUSD')
      .decimals(2)
      .thresholds(thresholds([{ value: null, color: 'green' }, { value: ctx.dailyBudgetUsd, color: 'red' }]))
      .targets(refIds([target(`sum(increase(${METRICS.rerankingCost.name}{${api}}[24h]))`, 'last 24h')]))],
    [PANEL_IDS.activeSearches, series('Active searches', 'short', 'Searches in progress, per pod.', [target(`sum by (pod) (${METRICS.activeSearches.name}{${api}})`, '{{pod}}')])],
    [PANEL_IDS.sloBudget, new stat.PanelBuilder()
      .title('SLO error budget left')
      .description(
        `Share of the ${SLO_PERIOD} error budget not yet spent: availability (${ctx.availability.objectivePercent}% succeed) and latency (${ctx.latency.objectivePercent}% within ${ctx.latency.thresholdSeconds}s).`,
      )
      .datasource(DATASOURCE)
      .unit('percentunit')
      .decimals(1)
      .thresholds(thresholds([{ value: null, color: 'red' }, { value: 0.25, color: 'orange' }, { value: 0.5, color: 'green' }]))
      .targets(refIds([target(budgetLeft(availabilityErrors, ctx.availability.budget), 'availability'), target(budgetLeft(latencyErrors, ctx.latency.budget), 'latency')]))],
    [PANEL_IDS.replicas, series('Replicas and HPA target', 'short', 'Replicas the HPA runs and wants, between its bounds, and the API pods ready (whether a Deployment or a canary Rollout runs them).', [
      target(`max(kube_horizontalpodautoscaler_status_current_replicas{${hpa}})`, 'current'),
      target(replicaQueries(ctx, '$namespace').ready, 'ready'),
      target(`max(kube_horizontalpodautoscaler_status_desired_replicas{${hpa}})`, 'desired (HPA target)'),
      target(`max(kube_horizontalpodautoscaler_spec_min_replicas{${hpa}})`, 'min'),
      target(`max(kube_horizontalpodautoscaler_spec_max_replicas{${hpa}})`, 'max'),
    ])],
    [PANEL_IDS.cpu, series('CPU per pod', 'short', 'CPU cores used by the API container of each pod (cAdvisor).', [
      target(`sum by (pod) (${rate(`container_cpu_usage_seconds_total{${pods}}`)})`, '{{pod}}'),
    ])],
    [PANEL_IDS.memory, series('Memory per pod', 'bytes', 'Working set memory of the API container of each pod (cAdvisor); the kernel OOM-kills it at the limit.', [
      target(`sum by (pod) (container_memory_working_set_bytes{${pods}})`, '{{pod}}'),
    ])],
    [PANEL_IDS.firingAlerts, series('Firing alerts by level and problem', 'short', `Alerts of this service firing now, by level (${LEVEL_NAMES.map(levelSummary).join(', ')}) and problem (docs/runbooks/README.md).`, [
      target(`count by (${ALERT_LABELS.level}, ${ALERT_LABELS.problem}) (ALERTS{namespace="$namespace",alertstate="firing",${ALERT_LABELS.level}=~"${LEVEL_NAMES.join('|')}"})`, `{{${ALERT_LABELS.level}}} {{${ALERT_LABELS.problem}}}`),
      // ALERTS has no series while nothing fires: this line reads 0 then, instead of "No data" (found by npm run e2e).
      target(`count(ALERTS{namespace="$namespace",alertstate="firing",${ALERT_LABELS.level}=~"${LEVEL_NAMES.join('|')}"}) or vector(0)`, 'all'),
    ])],
  ];

  const builder = new dashboard.DashboardBuilder(props.title)
    .uid(props.uid)
    .tags(['ai-odoo-finder', 'generated'])
    .description('Generated by odoo-finder-deploy (lib/monitoring/dashboard.ts); edit the code, not the dashboard.')
    .editable()
    .timezone('browser')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .withVariable(new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(
      new dashboard.QueryVariableBuilder('namespace')
        .label('Namespace')
        .datasource(DATASOURCE)
        .query({ query: namespaceOptionsQuery(ctx), refId: 'namespace' })
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .current({ text: ctx.namespace, value: ctx.namespace }),
    );
  // Two panels a line, in the order of the list; the position may change, the id does not.
  const place = (list: readonly Panel[], top: number) =>
    list.forEach(([id, panel], i) => builder.withPanel(panel.id(id).gridPos({ x: (i % 2) * WIDTH, y: top + Math.floor(i / 2) * HEIGHT, w: WIDTH, h: HEIGHT })));
  place(panels, 0);
  const storePanels = datastorePanels(ctx);
  if (storePanels.length) {
    // A row below the API panels: PostgreSQL, Redis and the backup (the datastores this environment monitors).
    const rowY = Math.ceil(panels.length / 2) * HEIGHT;
    builder.withRow(new dashboard.RowBuilder('Datastores').id(PANEL_IDS.datastoresRow).gridPos({ x: 0, y: rowY, w: 2 * WIDTH, h: 1 }));
    place(storePanels, rowY + 1);
  }
  return builder.build();
}

/**
 * The options of the `namespace` variable: every namespace with an API scrape
 * target in the dashboard's time range. Read from `up`, which Prometheus writes
 * for every target from its first scrape, even while the API has served no
 * search: the API's search series only appear at its first search
 * (prometheus_client creates a labelled child on first use), and Grafana keeps
 * the saved value only when it is among the options; otherwise it takes the
 * first option, or none (grafana/scenes MultiValueVariable
 * getStateUpdateGivenNewOptions / getDefaultSingleState). Read from the search
 * series, an idle environment's dashboard showed nothing, or the other
 * environment of the cluster under its own title.
 */
function namespaceOptionsQuery(ctx: MonitoringContext): string {
  return `label_values(up{job="${ctx.job}"}, namespace)`;
}

/** "HighErrorRate (P2) fires": an alert named with its level, from the catalog. */
function fires(name: string): string {
  return `${name} (${alertNamed(name).level}) fires`;
}

function levelSummary(level: Level): string {
  return `${level} ${LEVELS[level].escalation.toLowerCase()}`;
}

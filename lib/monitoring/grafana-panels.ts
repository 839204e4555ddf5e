import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Building blocks of the dashboard's panels (lib/monitoring/dashboard.ts, datastore-dashboard.ts). */

/** The Prometheus data source chosen in the `datasource` variable. */
export const DATASOURCE: dashboard.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export function target(expr: string, legend: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().expr(expr).legendFormat(legend).datasource(DATASOURCE).range();
}

export function series(title: string, unit: string, description: string, targets: prometheus.DataqueryBuilder[]): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder().title(title).description(description).datasource(DATASOURCE).unit(unit).min(0);
  return panel.targets(refIds(targets));
}

/** Grafana needs a refId per query of a panel: A, B, C, … */
export function refIds(targets: prometheus.DataqueryBuilder[]): prometheus.DataqueryBuilder[] {
  return targets.map((t, i) => t.refId(String.fromCharCode(65 + i)));
}

export function thresholds(steps: dashboard.Threshold[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

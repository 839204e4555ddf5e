import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
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

export type PanelBuilder = timeseries.PanelBuilder | stat.PanelBuilder;

/** A panel with its fixed id (lib/monitoring/panel-ids.ts). */
export type Panel = readonly [id: number, panel: PanelBuilder];

/**
 * Draws an alert's threshold on a time series as a line, red on the side
 * where it fires: the panel reads the same number as the rule.
 */
export function alertThreshold(panel: timeseries.PanelBuilder, fires: 'above' | 'below', value: number): timeseries.PanelBuilder {
  const steps: dashboard.Threshold[] = fires === 'above' ? [{ value: null, color: 'green' }, { value, color: 'red' }] : [{ value: null, color: 'red' }, { value, color: 'green' }];
  return panel.thresholds(thresholds(steps)).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line));
}

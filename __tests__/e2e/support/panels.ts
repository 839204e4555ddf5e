import { E2E_INTERVAL } from './prometheus';
import { DashboardJson } from './environment';

/** One query of a dashboard panel, with Grafana's variables replaced as Grafana would before sending it. */
export interface PanelQuery {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

/**
 * `$__rate_interval` as Grafana computes it: max($__interval + scrape interval,
 * 4 × scrape interval), with the data source's scrape interval (Grafana's
 * default 15s; Prometheus data source docs, "Scrape interval"). $__interval
 * is at least that scrape interval, so this gives 1m for a 15s data source.
 */
const GRAFANA_RATE_INTERVAL = '1m';

/** Every panel query of a dashboard (rows included), variables substituted; throws on a variable it cannot fill. */
export function panelQueries(dashboard: DashboardJson): PanelQuery[] {
  const values: Record<string, string> = { __rate_interval: GRAFANA_RATE_INTERVAL, __interval: E2E_INTERVAL, __range: '1h' };
  for (const v of dashboard.templating.list) {
    if (v.type === 'datasource') continue;
    if (v.current?.value === undefined) throw new Error(`dashboard variable $${v.name} has no current value`);
    values[v.name] = v.current.value;
  }
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  return panels.flatMap((p) =>
    (p.targets ?? []).map((t) => {
      const expr = t.expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
        const name = braced ?? bare!;
        if (!(name in values)) throw new Error(`panel "${p.title}" query ${t.refId} uses $${name}, which the harness cannot substitute`);
        return values[name];
      });
      return { panel: p.title, refId: t.refId, expr };
    }),
  );
}

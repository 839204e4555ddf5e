import { Environment } from '../../../config/schema';
import { PrometheusRuleGroup } from '../../../lib/monitoring/prometheus-rule-groups';
import { find, manifestsOf } from '../../support/env';

/** The rule groups of the synthesized PrometheusRule, as promtool reads them. */
export function synthesizedRuleGroups(env: Environment): PrometheusRuleGroup[] {
  const rule = find(manifestsOf(env), 'PrometheusRule', 'ai-odoo-finder') as unknown as { spec: { groups: PrometheusRuleGroup[] } };
  return rule.spec.groups;
}

/** The Grafana dashboard JSON of the synthesized ConfigMap. */
export function synthesizedDashboard(env: Environment): { fileName: string; json: string } {
  const map = find(manifestsOf(env), 'ConfigMap', 'ai-odoo-finder-dashboard') as unknown as { data: Record<string, string> };
  const [fileName, json] = Object.entries(map.data)[0];
  return { fileName, json };
}

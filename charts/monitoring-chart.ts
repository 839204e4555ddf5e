import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { API } from '../lib/api/constants';
import { isCanary } from '../lib/delivery/settings';
import { imageVersion } from '../lib/image';
import { recommendedLabels, selectorLabels } from '../lib/labels';
import { AlertRouting } from '../lib/monitoring/alert-routing';
import { ALERTS } from '../lib/monitoring/alerts';
import { ApiPrometheusRule } from '../lib/monitoring/api-prometheus-rule';
import { ApiServiceMonitor } from '../lib/monitoring/api-service-monitor';
import { ROLLOUT_HASH_LABEL } from '../lib/monitoring/canary-analysis';
import { monitoringContext } from '../lib/monitoring/context';
import { apiDashboard } from '../lib/monitoring/dashboard';
import { DashboardConfigMap } from '../lib/monitoring/dashboard-config-map';
import { prometheusRuleGroups } from '../lib/monitoring/prometheus-rule-groups';
import { EnvironmentChart } from './environment-chart';

/** Monitoring of the API in one environment: ServiceMonitor, PrometheusRule, Grafana dashboard, Alertmanager routing. */
export class MonitoringChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    const ctx = monitoringContext(env);
    const { monitoring } = env;
    const labels = { ...recommendedLabels(env, API.identity, imageVersion(env.image)), ...monitoring.selectorLabels };

    new ApiServiceMonitor(this, 'ServiceMonitor', {
      metadata: { name: API.name, labels },
      serviceSelector: selectorLabels(env, API.identity),
      portName: API.portName,
      path: API.metricsPath,
      interval: monitoring.scrapeInterval,
      // The canary analysis selects the canary pods' series by this label (lib/monitoring/canary-analysis.ts).
      podTargetLabels: isCanary(env) ? [ROLLOUT_HASH_LABEL] : [],
    });

    new ApiPrometheusRule(this, 'Rules', { metadata: { name: API.name, labels }, groups: prometheusRuleGroups(ctx) });

    new DashboardConfigMap(this, 'Dashboard', {
      metadata: { name: `${API.name}-dashboard`, labels },
      fileName: `${API.name}-${env.name}.json`,
      folder: monitoring.dashboardFolder,
      dashboard: apiDashboard(ctx, { uid: `${API.name}-${env.name}`, title: `AI-OdooFinder (${env.name})` }),
    });

    const { alertmanager } = monitoring;
    new AlertRouting(this, 'AlertRouting', {
      metadata: { name: API.name, labels },
      namespace: env.namespace,
      levels: env.monitoring.alertmanager.levels,
      pagerDutyRoutingKey: alertmanager.pagerDutyRoutingKey,
      teamLead: { apiUrl: alertmanager.teamLeadSlackApiUrl, channel: alertmanager.teamLeadSlackChannel },
      ticket: { apiUrl: alertmanager.slackApiUrl, channel: alertmanager.slackChannel },
      businessHours: alertmanager.businessHours,
      superseded: ALERTS.flatMap((a) => a.supersedes?.(ctx) ?? []),
    });
  }
}

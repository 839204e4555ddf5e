import { Prometheus } from '../../support/prometheus';
import { ScrapeConfig } from '../../support/prometheus-operator/scrape-config';

/** Scrape and rule evaluation interval of the e2e Prometheus (the ServiceMonitor's own interval is replaced). */
export const E2E_INTERVAL = '1s';

export interface PrometheusSetup {
  /** The scrape configs generated from the environment's ServiceMonitors. */
  readonly serviceMonitors: readonly ScrapeConfig[];
  /** host:port of the simulated kube-state-metrics and kubelet. */
  readonly cluster: string;
  /** Rule groups to load (PrometheusRule spec.groups). */
  readonly ruleGroups: readonly unknown[];
  /** host:port of the Alertmanager, if any. */
  readonly alertmanager?: string;
}

/**
 * prometheus.yml for one environment (without its rule file): the
 * ServiceMonitor jobs, plus kube-state-metrics and cAdvisor as
 * kube-prometheus-stack scrapes them (honor_labels, so the series keep the
 * namespace/pod/container they report; job "kube-state-metrics" and "kubelet").
 */
export function prometheusConfig(setup: PrometheusSetup): Record<string, unknown> {
  return {
    global: { scrape_interval: E2E_INTERVAL, scrape_timeout: E2E_INTERVAL, evaluation_interval: E2E_INTERVAL },
    ...(setup.alertmanager ? { alerting: { alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [setup.alertmanager] }] }] } } : {}),
    scrape_configs: [
      ...setup.serviceMonitors,
      { job_name: 'kube-state-metrics', honor_labels: true, metrics_path: '/kube-state-metrics/metrics', static_configs: [{ targets: [setup.cluster], labels: { job: 'kube-state-metrics' } }] },
      { job_name: 'kubelet', honor_labels: true, metrics_path: '/metrics/cadvisor', static_configs: [{ targets: [setup.cluster], labels: { job: 'kubelet' } }] },
    ],
  };
}

/** The e2e Prometheus of one environment, its files in `dir`. */
export function startE2ePrometheus(dir: string, setup: PrometheusSetup): Promise<Prometheus> {
  return Prometheus.start(prometheusConfig(setup), { dir, rules: setup.ruleGroups });
}

import * as fs from 'fs';
import * as path from 'path';
import { toYaml } from '../../../lib/synth/render';
import { ScrapeConfig } from '../../support/prometheus-operator/scrape-config';
import { findTool } from '../../support/tools';
import { freePort, http, start, Started, waitFor } from './processes';

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
 * prometheus.yml for one environment: the ServiceMonitor jobs, plus
 * kube-state-metrics and cAdvisor as kube-prometheus-stack scrapes them
 * (honor_labels, so the series keep the namespace/pod/container they report;
 * job "kube-state-metrics" and "kubelet").
 */
export function prometheusYaml(setup: PrometheusSetup, ruleFile: string): string {
  return toYaml({
    global: { scrape_interval: E2E_INTERVAL, scrape_timeout: E2E_INTERVAL, evaluation_interval: E2E_INTERVAL },
    rule_files: [ruleFile],
    ...(setup.alertmanager ? { alerting: { alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [setup.alertmanager] }] }] } } : {}),
    scrape_configs: [
      ...setup.serviceMonitors,
      { job_name: 'kube-state-metrics', honor_labels: true, metrics_path: '/kube-state-metrics/metrics', static_configs: [{ targets: [setup.cluster], labels: { job: 'kube-state-metrics' } }] },
      { job_name: 'kubelet', honor_labels: true, metrics_path: '/metrics/cadvisor', static_configs: [{ targets: [setup.cluster], labels: { job: 'kubelet' } }] },
    ],
  });
}

/** A running Prometheus (Debian's 2.42) and a small client of its HTTP API. */
export class Prometheus {
  private constructor(
    readonly url: string,
    readonly process: Started,
  ) {}

  static async start(dir: string, setup: PrometheusSetup): Promise<Prometheus> {
    const binary = findTool('prometheus');
    if (!binary) throw new Error('prometheus is missing');
    fs.mkdirSync(dir, { recursive: true });
    const rules = path.join(dir, 'rules.yml');
    fs.writeFileSync(rules, toYaml({ groups: setup.ruleGroups }));
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), prometheusYaml(setup, rules));
    const port = await freePort();
    const p = start('prometheus', binary, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ]);
    const prometheus = new Prometheus(`http://127.0.0.1:${port}`, p);
    const exited = p.exited.then((code) => {
      throw new Error(`prometheus exited (${code}) at start:\n${p.output()}`);
    });
    await Promise.race([waitFor('prometheus to be ready', async () => ((await http(`${prometheus.url}/-/ready`)) ? true : undefined), 30_000), exited]);
    return prometheus;
  }

  async api<T>(apiPath: string, params: Record<string, string> = {}): Promise<T> {
    const body = await http(`${this.url}/api/v1/${apiPath}?${new URLSearchParams(params)}`, { timeoutMs: 10_000 });
    const parsed = JSON.parse(body) as { status: string; data: T; error?: string };
    if (parsed.status !== 'success') throw new Error(`${apiPath}: ${parsed.error}`);
    return parsed.data;
  }

  query(expr: string): Promise<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }> {
    return this.api('query', { query: expr });
  }

  queryRange(expr: string, startSec: number, endSec: number, step: string): Promise<{ result: { metric: Record<string, string>; values: [number, string][] }[] }> {
    return this.api('query_range', { query: expr, start: String(startSec), end: String(endSec), step });
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.api<{ alerts: PrometheusAlert[] }>('alerts')).alerts;
  }

  async rules(): Promise<RuleGroupStatus[]> {
    return (await this.api<{ groups: RuleGroupStatus[] }>('rules')).groups;
  }

  async targets(): Promise<{ labels: Record<string, string>; health: string; scrapeUrl: string; lastError: string }[]> {
    return (await this.api<{ activeTargets: { labels: Record<string, string>; health: string; scrapeUrl: string; lastError: string }[] }>('targets')).activeTargets;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export interface RuleGroupStatus {
  name: string;
  file: string;
  rules: { name: string; query: string; type: 'alerting' | 'recording'; health: string; lastError?: string; duration?: number; labels?: Record<string, string> }[];
}

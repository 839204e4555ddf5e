import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AlertmanagerYml, operatorAlertmanagerConfig } from '../../support/prometheus-operator/alertmanager-config';
import { serviceMonitorScrapeConfigs, SimulatedPod } from '../../support/prometheus-operator/scrape-config';
import { Alertmanager, AlertmanagerAlert } from '../../support/alertmanager';
import { Prometheus, PrometheusAlert, RuleGroupStatus } from '../../support/prometheus';
import { Notification, WebhookRecorder } from './webhook-recorder';
import { DistEnvironment, RuleGroupObject } from './environment';
import { sleep, waitFor } from '../../support/processes';
import { startE2ePrometheus } from './prometheus';
import { ApiPod, ClusterSimulator, startApiPod, TrafficMode } from './simulation';
import { DatastoreSimulator } from './datastore-simulation';
import { POSTGRESQL_EXPORTER, REDIS_EXPORTER } from '../../../lib/datastores/exporters';

/** The API's Deployment name (the simulated pods are its pods, or its Rollout's). */
const API_DEPLOYMENT = 'ai-odoo-finder';
/** Kubernetes' pod-name alphabet (no vowels): a ReplicaSet hash and a suffix that match the rules' pod pattern. */
const POD_HASH = '7c9f8d5b4';
const POD_SUFFIXES = ['x2k4z', 'q7w9m', 'h5t8r', 'b6n2v', 'p4l7s', 'k9d2f', 'm5x8c', 'r2w6g', 'z7q4h', 't8b5n', 'w4c7x', 'n2z9k', 'g6r5p', 'f8m2t', 'v5h7b', 'l9s4d'];
const podName = (i: number) => {
  if (i >= POD_SUFFIXES.length) throw new Error(`the simulation names at most ${POD_SUFFIXES.length} API pods`);
  return `${API_DEPLOYMENT}-${POD_HASH}-${POD_SUFFIXES[i]}`;
};

/** The simulated side of one environment: API pods and the cluster exporters. */
export class Simulation {
  constructor(
    readonly pods: ApiPod[],
    readonly cluster: ClusterSimulator,
    /** The datastore exporters, where the environment runs them. */
    readonly datastores?: DatastoreSimulator,
  ) {}

  /** The datastore simulator; a fault that needs it fails clearly where the environment has none. */
  get exporters(): DatastoreSimulator {
    if (!this.datastores) throw new Error('this environment runs no datastore exporter');
    return this.datastores;
  }

  async setTraffic(mode: TrafficMode): Promise<void> {
    await Promise.all(this.pods.map((p) => (p.process.alive() ? p.setMode(mode) : undefined)));
  }

  /**
   * The HPA scales to `replicas`: kube-state-metrics reports that many, all
   * ready. The pods added are not scraped (Prometheus' targets were fixed
   * at the start): enough for the autoscaler and readiness series.
   */
  scaleTo(replicas: number): void {
    const s = this.cluster.state;
    for (let i = s.pods.length; i < replicas; i++) s.pods.push({ name: podName(i), ready: true });
    s.hpaCurrent = replicas;
    s.hpaDesired = replicas;
  }

  /** Stops pod `i` (its process exits: scrapes fail) and marks it not ready in kube-state-metrics. */
  async stopPod(i: number, waitingReason?: string): Promise<void> {
    await this.pods[i].process.stop();
    const state = this.cluster.state.pods[i];
    state.ready = false;
    state.waitingReason = waitingReason;
  }
}

/** A fault: what it does to the simulation, and the alerts it must make pending, then firing. */
export interface Fault {
  readonly name: string;
  readonly what: string;
  readonly apply: (sim: Simulation) => Promise<void>;
  readonly alerts: readonly string[];
}

/** When an alert was first seen pending and firing in Prometheus, in ms after the fault. */
export interface AlertTimes {
  pending?: number;
  firing?: number;
  labels: Record<string, string>;
}

export interface ScenarioRecord {
  readonly label: string;
  readonly envName: string;
  readonly fault?: string;
  rules: RuleGroupStatus[];
  /** Alerts seen pending or firing during the healthy phase, once every target was up. */
  healthyAlerts: PrometheusAlert[];
  /** Alert name → first pending/firing after the fault. */
  timeline: Record<string, AlertTimes>;
  /** Alertmanager's alerts at the end (state, inhibitedBy). */
  alertmanagerAlerts: AlertmanagerAlert[];
  notifications: Notification[];
  /** ms since the Unix epoch of the fault. */
  faultAt?: number;
  /** Wall time of the scenario, ms, and when it ended (ms since the epoch). */
  wallMs: number;
  endedAt: number;
  /** The alertmanager.yml the live Alertmanager ran. */
  alertmanagerYaml: object;
  /** Set when the harness itself failed (a process did not start…). */
  error?: string;
  /** Results of the hooks, by name. */
  extra: Record<string, unknown>;
}

export interface RunningScenario {
  readonly prometheus: Prometheus;
  readonly alertmanager: Alertmanager;
  readonly simulation: Simulation;
  readonly record: ScenarioRecord;
  /** When the simulation started, seconds since the epoch. */
  readonly startedAt: number;
}

export interface ScenarioOptions {
  readonly env: DistEnvironment;
  readonly label: string;
  /** The rule groups Prometheus loads. */
  readonly ruleGroups: readonly RuleGroupObject[];
  /** Healthy traffic before the fault (or in all), ms. */
  readonly healthyMs: number;
  readonly fault?: Fault;
  /** Longest wait after the fault for every expected alert to fire and be delivered or muted, ms. */
  readonly faultDeadlineMs?: number;
  readonly afterHealthy?: (s: RunningScenario) => Promise<void>;
  readonly afterFault?: (s: RunningScenario) => Promise<void>;
  /** Secret values the AlertmanagerConfig references, given the recorder's URL. */
  readonly secrets: (recorderUrl: string) => (ref: { name: string; key: string }) => string;
  readonly alertmanagerBase: (recorderUrl: string) => AlertmanagerYml;
}

/**
 * One run against real servers: simulated pods and cluster exporters, the
 * Alertmanager the operator would configure, a Prometheus scraping them with
 * the operator's ServiceMonitor config and the given rules. Healthy traffic
 * first, then the fault. Everything it starts is stopped before it returns,
 * also on failure.
 */
export async function runScenario(o: ScenarioOptions): Promise<ScenarioRecord> {
  const began = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${o.env.name}-`));
  const record: ScenarioRecord = {
    label: o.label,
    envName: o.env.name,
    fault: o.fault?.name,
    rules: [],
    healthyAlerts: [],
    timeline: {},
    alertmanagerAlerts: [],
    notifications: [],
    wallMs: 0,
    endedAt: 0,
    alertmanagerYaml: {},
    extra: {},
  };
  const recorder = new WebhookRecorder();
  const workload = o.env.workload(API_DEPLOYMENT);
  const podNames = Array.from({ length: workload.minReplicas }, (_, i) => podName(i));
  const cluster = new ClusterSimulator({
    namespace: o.env.env.namespace,
    deployment: API_DEPLOYMENT,
    owner: workload.owner,
    replicaSet: `${API_DEPLOYMENT}-${POD_HASH}`,
    hpa: API_DEPLOYMENT,
    container: workload.container,
    pods: podNames.map((name) => ({ name, ready: true })),
    hpaCurrent: podNames.length,
    hpaDesired: podNames.length,
    hpaMin: workload.minReplicas,
    hpaMax: workload.maxReplicas,
  });
  const pods: ApiPod[] = [];
  const { postgresql: pgMonitored, redis: redisMonitored, backup } = o.env.ctx.datastores;
  const datastores = pgMonitored || redisMonitored ? new DatastoreSimulator(o.env.env.datastores.postgresql.database) : undefined;
  if (datastores && backup) cluster.extraStateMetrics = () => datastores.cronJobMetrics(o.env.env.namespace, backup.cronJob);
  let prometheus: Prometheus | undefined;
  let alertmanager: Alertmanager | undefined;
  try {
    const recorderUrl = await recorder.listen();
    const amConfig = operatorAlertmanagerConfig(o.env.alertmanagerConfig.spec, o.env.env.namespace, o.env.alertmanagerConfig.name, {
      secrets: o.secrets(recorderUrl),
      base: o.alertmanagerBase(recorderUrl),
    });
    record.alertmanagerYaml = amConfig;
    alertmanager = await Alertmanager.start(amConfig, { dir: path.join(dir, 'alertmanager') });
    pods.push(...(await Promise.all(podNames.map((name) => startApiPod(name)))));
    const clusterAddress = await cluster.listen();
    const simulated: SimulatedPod[] = pods.map((p) => ({ name: p.name, labels: workload.labels, container: workload.container, address: p.address }));
    if (datastores) {
      await datastores.listen();
      for (const [facts, pod, monitored] of [
        [POSTGRESQL_EXPORTER, datastores.postgresql, pgMonitored],
        [REDIS_EXPORTER, datastores.redis, redisMonitored],
      ] as const) {
        if (!monitored) continue;
        const w = o.env.workload(facts.name);
        simulated.push({ name: `${facts.name}-6d8f7b9c5-w4k2p`, labels: w.labels, container: w.container, address: pod.address });
      }
    }
    const serviceMonitors = o.env.serviceMonitors.flatMap((m) => serviceMonitorScrapeConfigs(m, o.env.env.namespace, o.env.services, simulated, '1s'));
    prometheus = await startE2ePrometheus(path.join(dir, 'prometheus'), { serviceMonitors, cluster: clusterAddress, ruleGroups: o.ruleGroups, alertmanager: alertmanager.address });
    const startedAt = Date.now() / 1000;
    const simulation = new Simulation(pods, cluster, datastores);
    const running: RunningScenario = { prometheus, alertmanager, simulation, record, startedAt };

    await waitFor('every target to be scraped', async () => {
      const targets = await prometheus!.targets();
      return targets.length > 0 && targets.every((t) => t.health === 'up') ? true : undefined;
    }, 30_000);
    const settled = Date.now() + 3_000;
    const healthyEnd = Date.now() + o.healthyMs;
    for (let i = 0; Date.now() < healthyEnd && i < 10_000; i++) {
      if (Date.now() > settled) {
        for (const a of await prometheus.alerts()) if (!record.healthyAlerts.some((h) => h.labels.alertname === a.labels.alertname)) record.healthyAlerts.push(a);
      }
      await sleep(1_000);
    }
    record.rules = await prometheus.rules();
    await o.afterHealthy?.(running);

    if (o.fault) {
      const fault = o.fault;
      await fault.apply(simulation);
      record.faultAt = Date.now();
      const deadline = record.faultAt + (o.faultDeadlineMs ?? 120_000);
      for (let i = 0; Date.now() < deadline && i < 10_000; i++) {
        const now = Date.now() - record.faultAt;
        for (const a of await prometheus.alerts()) {
          const t = (record.timeline[a.labels.alertname] ??= { labels: a.labels });
          if (t.pending === undefined) t.pending = now;
          if (a.state === 'firing' && t.firing === undefined) t.firing = now;
        }
        record.alertmanagerAlerts = await alertmanager.alerts();
        record.notifications = [...recorder.notifications];
        if (settledFault(record, fault)) break;
        await sleep(1_000);
      }
      await o.afterFault?.(running);
    }
  } catch (e) {
    record.error = `${(e as Error).message}${prometheus ? '' : ''}`;
  } finally {
    record.notifications = [...recorder.notifications];
    await Promise.all([prometheus?.stop(), alertmanager?.stop(), ...pods.map((p) => p.process.stop())]);
    await Promise.all([recorder.close(), cluster.close(), datastores?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
    record.endedAt = Date.now();
    record.wallMs = record.endedAt - began;
  }
  return record;
}

/**
 * Done when every expected alert fires and each firing alert of the
 * namespace is either muted in Alertmanager or has reached a receiver.
 */
function settledFault(record: ScenarioRecord, fault: Fault): boolean {
  if (!fault.alerts.every((a) => record.timeline[a]?.firing !== undefined)) return false;
  const firing = Object.keys(record.timeline).filter((a) => record.timeline[a].firing !== undefined);
  return firing.every((name) => {
    const am = record.alertmanagerAlerts.find((a) => a.labels.alertname === name);
    if (!am) return false;
    if (am.status.state === 'suppressed') return true;
    return record.notifications.some((n) => JSON.stringify(n.body).includes(name));
  });
}

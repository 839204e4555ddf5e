import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import { findTool } from '../../support/tools';
import { firstJsonLine, http as request, start, Started } from '../../support/processes';

/** Traffic modes of a simulated API pod (see sim/api_pod.py). */
export type TrafficMode = 'idle' | 'healthy' | 'errors' | 'slow' | 'cost-spike' | 'cache-misses';

const API_POD = path.join(__dirname, '..', 'sim', 'api_pod.py');

/** One simulated API pod: a python3 process serving /metrics with prometheus_client. */
export interface ApiPod {
  readonly name: string;
  readonly address: string;
  readonly process: Started;
  setMode(mode: TrafficMode): Promise<void>;
}

/**
 * Pods starting at once: python3 importing prometheus_client costs CPU, and
 * every scenario of every environment starts its pods at the same moment.
 */
const STARTING_AT_ONCE = 4;
let starting = 0;
const waiting: (() => void)[] = [];
async function startSlot<T>(run: () => Promise<T>): Promise<T> {
  if (starting >= STARTING_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  starting++;
  try {
    return await run();
  } finally {
    starting--;
    waiting.shift()?.();
  }
}

export async function startApiPod(name: string, mode: TrafficMode = 'healthy'): Promise<ApiPod> {
  const python = findTool('prometheusClient');
  if (!python) throw new Error('python3 with prometheus_client is missing');
  const { process, listening } = await startSlot(async () => {
    const p = start(`api pod ${name}`, python, [API_POD, mode]);
    return { process: p, listening: (await firstJsonLine<{ listening: number }>(p, 60_000)).listening };
  });
  const address = `127.0.0.1:${listening}`;
  return {
    name,
    address,
    process,
    setMode: async (m) => {
      await request(`http://${address}/-/mode`, { method: 'POST', body: m });
    },
  };
}

/** One API pod as kube-state-metrics sees it. */
export interface PodState {
  name: string;
  ready: boolean;
  waitingReason?: string;
}

/**
 * What kube-state-metrics would report about the API's workload. `owner` is
 * what runs the pods: the Deployment (delivery.strategy rolling), or the Argo
 * Rollout that references it (canary: `workloadRef` with `scaleDown:
 * progressively`, so after the first rollout the Deployment is at 0 replicas
 * and the Rollout's ReplicaSets own the pods; argo-rollouts
 * docs/migrating.md, rollout/replicaset.go).
 */
export interface WorkloadState {
  namespace: string;
  deployment: string;
  owner: 'Deployment' | 'Rollout';
  /** The ReplicaSet that owns the pods, `<deployment or rollout>-<pod-template-hash>`. */
  replicaSet: string;
  hpa: string;
  container: string;
  pods: PodState[];
  hpaCurrent: number;
  hpaDesired: number;
  hpaMin: number;
  hpaMax: number;
}

/**
 * kube-state-metrics and the kubelet's cAdvisor, simulated in this process:
 * the series our rules and panels read, with the names and labels those
 * exporters use (kube-state-metrics v2 docs/metrics/workload/*.md; cAdvisor
 * container metrics as the kubelet serves them on /metrics/cadvisor).
 */
export class ClusterSimulator {
  private server?: http.Server;
  private readonly started = Date.now();
  /** Extra exposition text appended to the kube-state-metrics page (e.g. CronJob series). */
  extraStateMetrics: () => string = () => '';

  constructor(public state: WorkloadState) {}

  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const body = req.url === '/kube-state-metrics/metrics' ? this.stateMetrics() : req.url === '/metrics/cadvisor' ? this.cadvisor() : undefined;
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * The series kube-state-metrics v2 exports by default for these objects
   * (docs/metrics/workload/deployment-metrics.md, replicaset-metrics.md,
   * pod-metrics.md, horizontalpodautoscaler-metrics.md). The Rollout itself is
   * a custom resource it does not export. Every pod is Running (a crash-looping
   * container leaves its pod Running); kube_pod_status_ready has a series per
   * condition, 1 for the pod's own (internal/store/utils.go addConditionMetrics).
   */
  private stateMetrics(): string {
    const s = this.state;
    const dep = `namespace="${s.namespace}",deployment="${s.deployment}"`;
    const hpa = `namespace="${s.namespace}",horizontalpodautoscaler="${s.hpa}"`;
    const ready = s.pods.filter((p) => p.ready).length;
    // The Deployment runs the pods only with the rolling strategy; under a Rollout it is scaled to 0.
    const deploymentReplicas = s.owner === 'Deployment' ? s.hpaDesired : 0;
    const deploymentAvailable = s.owner === 'Deployment' ? ready : 0;
    const pod = (p: PodState) => `namespace="${s.namespace}",pod="${p.name}",uid="uid-${p.name}"`;
    const lines = [
      '# TYPE kube_deployment_spec_replicas gauge',
      `kube_deployment_spec_replicas{${dep}} ${deploymentReplicas}`,
      '# TYPE kube_deployment_status_replicas_available gauge',
      `kube_deployment_status_replicas_available{${dep}} ${deploymentAvailable}`,
      '# TYPE kube_replicaset_owner gauge',
      `kube_replicaset_owner{namespace="${s.namespace}",replicaset="${s.replicaSet}",owner_kind="${s.owner}",owner_name="${s.deployment}",owner_is_controller="true"} 1`,
      '# TYPE kube_horizontalpodautoscaler_status_current_replicas gauge',
      `kube_horizontalpodautoscaler_status_current_replicas{${hpa}} ${s.hpaCurrent}`,
      '# TYPE kube_horizontalpodautoscaler_status_desired_replicas gauge',
      `kube_horizontalpodautoscaler_status_desired_replicas{${hpa}} ${s.hpaDesired}`,
      '# TYPE kube_horizontalpodautoscaler_spec_min_replicas gauge',
      `kube_horizontalpodautoscaler_spec_min_replicas{${hpa}} ${s.hpaMin}`,
      '# TYPE kube_horizontalpodautoscaler_spec_max_replicas gauge',
      `kube_horizontalpodautoscaler_spec_max_replicas{${hpa}} ${s.hpaMax}`,
      '# TYPE kube_pod_owner gauge',
      ...s.pods.map((p) => `kube_pod_owner{${pod(p)},owner_kind="ReplicaSet",owner_name="${s.replicaSet}",owner_is_controller="true"} 1`),
      '# TYPE kube_pod_status_phase gauge',
      ...s.pods.flatMap((p) => ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running'].map((phase) => `kube_pod_status_phase{${pod(p)},phase="${phase}"} ${phase === 'Running' ? 1 : 0}`)),
      '# TYPE kube_pod_status_ready gauge',
      ...s.pods.flatMap((p) => ['true', 'false', 'unknown'].map((c) => `kube_pod_status_ready{${pod(p)},condition="${c}"} ${(c === 'true') === p.ready && c !== 'unknown' ? 1 : 0}`)),
      '# TYPE kube_pod_container_status_waiting_reason gauge',
      ...s.pods
        .filter((p) => p.waitingReason)
        .map((p) => `kube_pod_container_status_waiting_reason{namespace="${s.namespace}",pod="${p.name}",uid="uid-${p.name}",container="${s.container}",reason="${p.waitingReason}"} 1`),
    ];
    return `${lines.join('\n')}\n${this.extraStateMetrics()}`;
  }

  private cadvisor(): string {
    const s = this.state;
    const seconds = (Date.now() - this.started) / 1000;
    const lines = ['# TYPE container_cpu_usage_seconds_total counter', '# TYPE container_memory_working_set_bytes gauge'];
    s.pods.forEach((p, i) => {
      if (!p.ready) return;
      const labels = `namespace="${s.namespace}",pod="${p.name}",container="${s.container}",id="/kubepods/pod${i}/api",image="api",name="api-${i}"`;
      lines.push(`container_cpu_usage_seconds_total{${labels}} ${(0.12 * seconds).toFixed(3)}`);
      lines.push(`container_memory_working_set_bytes{${labels}} ${300_000_000 + i * 1_000_000}`);
    });
    return `${lines.join('\n')}\n`;
  }
}

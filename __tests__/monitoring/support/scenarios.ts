import { counter, FAST, gauge, HALF_SLOW, InputSeries, Labels, latency, requests, SLOW, TENTH_SLOW, Traffic } from './series';
import { METRICS } from '../../../lib/monitoring/metrics';

/**
 * Alert unit-test scenarios, run by promtool against the synthesized
 * PrometheusRule of the production environment (namespace odoo-finder,
 * daily budget $10, SLOs 99.5% available and 95% within 2.5s).
 * Input series are sampled every minute.
 */
export interface Scenario {
  readonly name: string;
  /** Minutes of input. */
  readonly series: readonly InputSeries[];
  readonly checks: readonly Check[];
}

/** At `at`, alert `alert` fires exactly as `firing` says (an empty list: it does not fire). */
export interface Check {
  readonly at: string;
  readonly alert: string;
  readonly firing: readonly Firing[];
}

/** One firing alert: its labels besides the rule's own (severity, level, problem; default: namespace and job of the API) and how `{{ $value }}` renders. */
export interface Firing {
  readonly labels?: Labels;
  readonly value?: string;
}

const NS = 'odoo-finder';
const JOB = 'ai-odoo-finder';
const API = { namespace: NS, job: JOB };

const pod = (i: number): Labels => ({ job: JOB, namespace: NS, pod: `ai-odoo-finder-7c9f8d-${'bcdfghjklmnpqrstvwxz'[i]}wxz2`, instance: `10.0.0.${i + 1}:8000` });
const up = (i: number, phases: [number, number][]) => gauge('up', pod(i), phases);
const traffic = (rps: number, errorRatio = 0): Traffic => ({ rps, errorRatio });
const quiet = (at: string, ...alerts: string[]): Check[] => alerts.map((alert) => ({ at, alert, firing: [] }));
const fires = (at: string, alert: string, value?: string, labels: Labels = API): Check => ({ at, alert, firing: [{ labels, value }] });
const healthy = (pods: number, minutes: number) => Array.from({ length: pods }, (_, i) => up(i, [[minutes, 1]]));

const SEED = ['HighErrorRate', 'HighLatency', 'DailyCostExceeded', 'LowCacheHitRate'];
const SLO = ['OdooFinderAvailabilityBudgetBurnFast', 'OdooFinderAvailabilityBudgetBurnSlow', 'OdooFinderLatencyBudgetBurnFast', 'OdooFinderLatencyBudgetBurnSlow'];

const ksm = (name: string, labels: Labels, phases: [number, number][]) => gauge(name, { job: 'kube-state-metrics', ...labels }, phases);
const hpa = (current: number, min: number, max: number, minutes = 45) => {
  const labels = { namespace: NS, horizontalpodautoscaler: 'ai-odoo-finder' };
  return [
    ksm('kube_horizontalpodautoscaler_status_current_replicas', labels, [[minutes, current]]),
    ksm('kube_horizontalpodautoscaler_spec_min_replicas', labels, [[minutes, min]]),
    ksm('kube_horizontalpodautoscaler_spec_max_replicas', labels, [[minutes, max]]),
  ];
};
/**
 * kube-state-metrics' view of the API workload (lib/monitoring/replicas.ts): the HPA's desired replicas, the
 * Deployment (0 of 0 once an Argo Rollout with workloadRef runs the pods) and each pod's phase and readiness.
 */
const ROLLING_POD = (i: number) => `ai-odoo-finder-7c9f8d-${'bcdfghjklm'[i]}wxz2`;
/** A pod of a Rollout's ReplicaSet: named `<rollout>-<hash>-<suffix>` too (argo-rollouts rollout/sync.go). */
const ROLLOUT_POD = (i: number) => `ai-odoo-finder-5d6b8c4f9-${'bcdfghjklm'[i]}q7w9`;
type PodPhase = 'Running' | 'Pending' | 'Failed';
interface PodInput {
  readonly name: string;
  readonly phase: PodPhase;
  /** Ready (1) or not (0) per stretch of minutes; a Pending pod has no Ready condition, so no series. */
  readonly ready?: [number, number][];
}
const workload = (o: { minutes: number; wanted: number; deployment: { spec: number; available: number }; pods: PodInput[] }) => {
  const hpaLabels = { namespace: NS, horizontalpodautoscaler: 'ai-odoo-finder' };
  const dep = { namespace: NS, deployment: 'ai-odoo-finder' };
  return [
    ksm('kube_horizontalpodautoscaler_status_desired_replicas', hpaLabels, [[o.minutes, o.wanted]]),
    ksm('kube_deployment_spec_replicas', dep, [[o.minutes, o.deployment.spec]]),
    ksm('kube_deployment_status_replicas_available', dep, [[o.minutes, o.deployment.available]]),
    ...o.pods.flatMap((p) => {
      const pod = { namespace: NS, pod: p.name, uid: `uid-${p.name}` };
      return [
        ...(['Pending', 'Running', 'Failed'] as const).map((phase) => ksm('kube_pod_status_phase', { ...pod, phase }, [[o.minutes, phase === p.phase ? 1 : 0]])),
        ...(p.ready
          ? (['true', 'false'] as const).map((condition) =>
              ksm('kube_pod_status_ready', { ...pod, condition }, p.ready!.map(([m, v]): [number, number] => [m, condition === 'true' ? v : 1 - v])),
            )
          : []),
      ];
    }),
  ];
};
const running = (name: string, ready: [number, number][] = [[30, 1]]): PodInput => ({ name, phase: 'Running', ready });
const NOT_READY_AT = { namespace: NS };
const waiting = (namespace: string, podName: string, container: string, phases: [number, number][]) =>
  ksm('kube_pod_container_status_waiting_reason', { namespace, pod: podName, container, reason: 'CrashLoopBackOff', uid: 'u1' }, phases);

export const SCENARIOS: readonly Scenario[] = [
  // --- HighErrorRate and the availability SLO
  {
    name: '10% errors at 1 req/s fires HighErrorRate (P2) after 2 minutes',
    series: [...requests(pod(0), [[30, traffic(1, 0.1)]]), ...healthy(1, 30)],
    checks: [
      ...quiet('2m', 'HighErrorRate'),
      fires('4m', 'HighErrorRate', '10%'),
      fires('20m', 'HighErrorRate', '10%'),
      fires('4m', 'OdooFinderAvailabilityBudgetBurnFast', '10%'),
    ],
  },
  {
    // 3% is exactly the 6x burn rate of a 99.5% SLO; the fast burn needs more (see the 4% scenario). Two pods keep
    // the float sums order-independent, so the result cannot flip between runs.
    name: '3% errors at 100 req/s is no fast burn (P2), only a slow one (P3 ticket: above 3x)',
    series: [...requests(pod(0), [[200, traffic(50, 0.03)]]), ...requests(pod(1), [[200, traffic(50, 0.03)]]), ...healthy(2, 200)],
    checks: [
      ...['10m', '1h', '3h'].flatMap((at) => quiet(at, 'HighErrorRate', 'OdooFinderAvailabilityBudgetBurnFast')),
      fires('3h', 'OdooFinderAvailabilityBudgetBurnSlow', '3%'),
    ],
  },
  {
    name: '4% errors at 100 req/s: under HighErrorRate, but a 6x budget burn over 6h and 30m is a fast burn (P2)',
    series: [...requests(pod(0), [[60, traffic(100, 0.04)]]), ...healthy(1, 60)],
    checks: [...quiet('40m', 'HighErrorRate'), fires('40m', 'OdooFinderAvailabilityBudgetBurnFast', '4%')],
  },
  {
    name: 'high traffic with few errors (0.4%, inside the 99.5% SLO) is quiet',
    series: [...requests(pod(0), [[200, traffic(100, 0.004)]]), ...healthy(1, 200)],
    checks: ['10m', '1h', '3h'].flatMap((at) => quiet(at, 'HighErrorRate', 'OdooFinderAvailabilityBudgetBurnFast', 'OdooFinderAvailabilityBudgetBurnSlow')),
  },
  {
    name: 'a one-minute blip of 15% errors at 100 req/s is quiet',
    series: [...requests(pod(0), [[10, traffic(100)], [1, traffic(100, 0.15)], [20, traffic(100)]]), ...healthy(1, 31)],
    checks: ['11m', '12m', '13m', '15m', '20m'].flatMap((at) => quiet(at, 'HighErrorRate', 'OdooFinderAvailabilityBudgetBurnFast')),
  },
  {
    // 20% errors in one pod (the seed's per-pod expression would fire), 2% for the service.
    name: 'errors of one pod among ten fire nothing while the service is fine',
    series: [...requests(pod(0), [[30, traffic(10, 0.2)]]), ...Array.from({ length: 9 }, (_, i) => requests(pod(i + 1), [[30, traffic(10)]])).flat(), ...healthy(10, 30)],
    checks: ['5m', '10m', '20m'].flatMap((at) => quiet(at, 'HighErrorRate', 'OdooFinderAvailabilityBudgetBurnFast')),
  },
  {
    name: 'zero traffic: no alert fires and none is NaN',
    series: [
      ...requests(pod(0), [[60, traffic(0)]]),
      ...latency(pod(0), [[60, { rps: 0, shape: FAST }]]),
      gauge(METRICS.cacheHitRate.name, pod(0), [[60, 0]]),
      counter(METRICS.rerankingCost.name, pod(0), [[60, 0]]),
      ...healthy(1, 60),
    ],
    checks: ['5m', '30m', '59m'].flatMap((at) => quiet(at, ...SEED, ...SLO, 'OdooFinderMetricsAbsent', 'OdooFinderTargetDown')),
  },
  // --- HighLatency and the latency SLO
  {
    name: 'all pods slow (P95 4.375s) fires HighLatency after 5 minutes and a slow latency burn',
    series: [...latency(pod(0), [[20, { rps: 10, shape: SLOW }]]), ...latency(pod(1), [[20, { rps: 10, shape: SLOW }]]), ...healthy(2, 20)],
    checks: [
      ...quiet('5m', 'HighLatency'),
      fires('7m', 'HighLatency', '4.375s'),
      ...quiet('10m', 'OdooFinderLatencyBudgetBurnFast'),
      fires('10m', 'OdooFinderLatencyBudgetBurnSlow', '20%'),
    ],
  },
  {
    name: 'one slow pod while the service is fine is quiet',
    series: [
      ...latency(pod(0), [[30, { rps: 1, shape: SLOW }]]),
      ...latency(pod(1), [[30, { rps: 10, shape: FAST }]]),
      ...latency(pod(2), [[30, { rps: 10, shape: FAST }]]),
      ...healthy(3, 30),
    ],
    checks: ['10m', '20m', '29m'].flatMap((at) => quiet(at, 'HighLatency', 'OdooFinderLatencyBudgetBurnFast', 'OdooFinderLatencyBudgetBurnSlow')),
  },
  {
    name: 'a one-minute latency blip is quiet',
    series: [...latency(pod(0), [[10, { rps: 10, shape: FAST }], [1, { rps: 10, shape: SLOW }], [20, { rps: 10, shape: FAST }]]), ...healthy(1, 31)],
    checks: ['11m', '13m', '15m', '16m', '20m'].flatMap((at) => quiet(at, 'HighLatency', 'OdooFinderLatencyBudgetBurnFast')),
  },
  {
    name: 'half of the searches slower than 2.5s is a fast latency burn (6x over 6h and 30m)',
    series: [...latency(pod(0), [[40, { rps: 10, shape: HALF_SLOW }]]), ...healthy(1, 40)],
    checks: [fires('5m', 'OdooFinderLatencyBudgetBurnFast', '50%'), fires('35m', 'OdooFinderLatencyBudgetBurnFast', '50%')],
  },
  {
    name: '10% of the searches slower than 2.5s is a slow burn, not a fast one (1x over 3d and 6h)',
    series: [...latency(pod(0), [[40, { rps: 10, shape: TENTH_SLOW }]]), ...healthy(1, 40)],
    checks: [...quiet('30m', 'OdooFinderLatencyBudgetBurnFast'), fires('30m', 'OdooFinderLatencyBudgetBurnSlow', '10%')],
  },
  // --- DailyCostExceeded
  {
    name: 'reranking spend crosses the $10 budget',
    series: [counter(METRICS.rerankingCost.name, pod(0), [[60, 0.25]]), ...healthy(1, 60)],
    checks: [...quiet('30m', 'DailyCostExceeded'), ...quiet('40m', 'DailyCostExceeded'), fires('45m', 'DailyCostExceeded', '11.25')],
  },
  {
    name: 'spend is summed over pods and survives a pod restart',
    series: [
      counter(METRICS.rerankingCost.name, pod(0), [[60, 0.1]]),
      counter(METRICS.rerankingCost.name, pod(1), [[30, 0.1], [1, 'reset'], [29, 0.1]]),
      ...healthy(2, 60),
    ],
    checks: [fires('60m', 'DailyCostExceeded', '11.90')],
  },
  // --- LowCacheHitRate
  {
    name: 'cache hit rate 35% across the service fires after 10 minutes',
    series: [
      ...requests(pod(0), [[20, traffic(1)]]),
      gauge(METRICS.cacheHitRate.name, pod(0), [[20, 0.3]]),
      gauge(METRICS.cacheHitRate.name, pod(1), [[20, 0.4]]),
      ...healthy(2, 20),
    ],
    checks: [...quiet('10m', 'LowCacheHitRate'), fires('12m', 'LowCacheHitRate', '35%')],
  },
  {
    name: 'one cold pod while the service-wide hit rate is fine is quiet',
    series: [
      ...requests(pod(0), [[30, traffic(1)]]),
      gauge(METRICS.cacheHitRate.name, pod(0), [[30, 0.1]]),
      gauge(METRICS.cacheHitRate.name, pod(1), [[30, 0.9]]),
      gauge(METRICS.cacheHitRate.name, pod(2), [[30, 0.9]]),
      ...healthy(3, 30),
    ],
    checks: quiet('20m', 'LowCacheHitRate'),
  },
  {
    name: 'a five-minute dip of the hit rate is quiet',
    series: [...requests(pod(0), [[35, traffic(1)]]), gauge(METRICS.cacheHitRate.name, pod(0), [[10, 0.9], [5, 0.2], [20, 0.9]]), ...healthy(1, 35)],
    checks: ['14m', '16m', '20m', '30m'].flatMap((at) => quiet(at, 'LowCacheHitRate')),
  },
  // --- Scrape targets
  {
    name: 'no target at all: metrics absent (P1) fires after 5 minutes',
    series: [gauge('up', { job: 'other', namespace: NS, instance: 'x' }, [[20, 1]])],
    checks: [...quiet('4m', 'OdooFinderMetricsAbsent'), fires('6m', 'OdooFinderMetricsAbsent')],
  },
  {
    name: 'every target down: metrics absent (P1) and target down (P4) fire',
    series: [up(0, [[20, 0]]), up(1, [[20, 0]])],
    checks: [fires('6m', 'OdooFinderMetricsAbsent'), ...quiet('9m', 'OdooFinderTargetDown'), fires('11m', 'OdooFinderTargetDown', '100')],
  },
  {
    name: 'one target of two down for long: target down (P4), not metrics absent',
    series: [up(0, [[20, 0]]), up(1, [[20, 1]])],
    checks: [...quiet('9m', 'OdooFinderTargetDown'), fires('11m', 'OdooFinderTargetDown', '50'), ...quiet('11m', 'OdooFinderMetricsAbsent')],
  },
  {
    name: 'one target of twenty down is quiet; a three-minute outage of one is quiet',
    series: [up(0, [[3, 0], [20, 1]]), ...Array.from({ length: 19 }, (_, i) => up(i + 1, [[23, i === 0 ? 0 : 1]]))],
    checks: ['2m', '10m', '15m', '22m'].flatMap((at) => quiet(at, 'OdooFinderTargetDown', 'OdooFinderMetricsAbsent')),
  },
  // --- Pods and autoscaling (kube-state-metrics)
  {
    name: 'a crash-looping API pod fires after 15 minutes; other namespaces, containers and Job pods are ignored',
    series: [
      waiting(NS, 'ai-odoo-finder-7c9f8d-bwxz2', 'api', [[30, 1]]),
      waiting('odoo-finder-staging', 'ai-odoo-finder-7c9f8d-bwxz2', 'api', [[30, 1]]),
      waiting(NS, 'postgresql-0', 'postgresql', [[30, 1]]),
      waiting(NS, 'ai-odoo-finder-migrate-x7k2b', 'api', [[30, 1]]),
    ],
    checks: [
      ...quiet('14m', 'OdooFinderPodCrashLooping'),
      fires('16m', 'OdooFinderPodCrashLooping', undefined, {
        namespace: NS,
        pod: 'ai-odoo-finder-7c9f8d-bwxz2',
        container: 'api',
        reason: 'CrashLoopBackOff',
        uid: 'u1',
        job: 'kube-state-metrics',
      }),
    ],
  },
  {
    name: 'a pod that crash-loops for 5 minutes and recovers is quiet',
    series: [waiting(NS, 'ai-odoo-finder-7c9f8d-bwxz2', 'api', [[5, 1], [25, 0]])],
    checks: ['10m', '16m', '25m'].flatMap((at) => quiet(at, 'OdooFinderPodCrashLooping')),
  },
  {
    name: 'rolling: a pod not ready for 15 minutes fires',
    series: workload({ minutes: 30, wanted: 3, deployment: { spec: 3, available: 2 }, pods: [running(ROLLING_POD(0)), running(ROLLING_POD(1)), running(ROLLING_POD(2), [[30, 0]])] }),
    checks: [...quiet('14m', 'OdooFinderPodsNotReady'), fires('16m', 'OdooFinderPodsNotReady', '1', NOT_READY_AT)],
  },
  {
    // The Deployment reads 0 of 0 under the canary: an alert on its replica series never fires here.
    name: 'canary: a Rollout pod not ready for 15 minutes fires (the Deployment is at 0)',
    series: workload({ minutes: 30, wanted: 3, deployment: { spec: 0, available: 0 }, pods: [running(ROLLOUT_POD(0)), running(ROLLOUT_POD(1)), running(ROLLOUT_POD(2), [[30, 0]])] }),
    checks: [...quiet('14m', 'OdooFinderPodsNotReady'), fires('16m', 'OdooFinderPodsNotReady', '1', NOT_READY_AT)],
  },
  {
    name: 'canary: a canary pod Pending for 15 minutes beside a full stable fires',
    series: workload({
      minutes: 30,
      wanted: 3,
      deployment: { spec: 0, available: 0 },
      pods: [running(ROLLOUT_POD(0)), running(ROLLOUT_POD(1)), running(ROLLOUT_POD(2)), { name: 'ai-odoo-finder-8f7c6d5b4-x2k4z', phase: 'Pending' }],
    }),
    checks: [...quiet('14m', 'OdooFinderPodsNotReady'), fires('16m', 'OdooFinderPodsNotReady', '1', NOT_READY_AT)],
  },
  {
    name: 'the HPA wants 3 and only 2 pods exist: fires',
    series: workload({ minutes: 30, wanted: 3, deployment: { spec: 0, available: 0 }, pods: [running(ROLLOUT_POD(0)), running(ROLLOUT_POD(1))] }),
    checks: [fires('16m', 'OdooFinderPodsNotReady', '1', NOT_READY_AT)],
  },
  {
    name: 'a pod not ready for 5 minutes (a rollout) is quiet',
    series: workload({ minutes: 30, wanted: 3, deployment: { spec: 3, available: 3 }, pods: [running(ROLLING_POD(0)), running(ROLLING_POD(1)), running(ROLLING_POD(2), [[5, 0], [25, 1]])] }),
    checks: ['10m', '20m', '29m'].flatMap((at) => quiet(at, 'OdooFinderPodsNotReady')),
  },
  {
    name: 'an evicted pod (Failed, not ready) beside all wanted replicas ready is quiet',
    series: workload({
      minutes: 30,
      wanted: 2,
      deployment: { spec: 0, available: 0 },
      pods: [running(ROLLOUT_POD(0)), running(ROLLOUT_POD(1)), { name: ROLLOUT_POD(2), phase: 'Failed', ready: [[30, 0]] }],
    }),
    checks: ['16m', '29m'].flatMap((at) => quiet(at, 'OdooFinderPodsNotReady')),
  },
  {
    name: 'HPA at its maximum for 30 minutes fires',
    series: hpa(10, 3, 10),
    checks: [...quiet('29m', 'OdooFinderHpaMaxedOut'), fires('31m', 'OdooFinderHpaMaxedOut', '10', { namespace: NS, horizontalpodautoscaler: 'ai-odoo-finder' })],
  },
  {
    name: 'HPA below its maximum is quiet',
    series: [...hpa(9, 3, 10)],
    checks: quiet('40m', 'OdooFinderHpaMaxedOut'),
  },
  {
    name: 'HPA with min = max is quiet',
    series: [...hpa(2, 2, 2)],
    checks: quiet('40m', 'OdooFinderHpaMaxedOut'),
  },
];

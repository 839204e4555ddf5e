import { AlertSpec, Solution } from './alert-spec';
import { METRICS } from './metrics';
import { replicasNotReadyExpr } from './replicas';
import { sloAlert } from './slo-alerts';
import { ALERT_WINDOWS, percentileName, percentOf } from './thresholds';

const sum = 'sum by (namespace, job)';
const SCALE_UP: Solution = {
  text:
    'Scale up: let the HPA start more pods if it is at its maximum. While a canary runs, Argo CD starts no sync until the canary ends, so raise it in the cluster now as well: ' +
    "`kubectl -n <namespace> patch hpa ai-odoo-finder --type merge -p '{\"spec\":{\"maxReplicas\":15}}'` (Argo CD shows the HPA OutOfSync until the merged change is synced). " +
    'Without a running canary the merged change syncs at once and no patch is needed (with self-heal, as in staging, Argo CD would undo the patch within seconds).',
  config: { key: 'autoscaling.maxReplicas', value: '15' },
};
const RERANKING_OFF: Solution = {
  text: 'Temporarily disable LLM reranking (searches stay available, ranking is plainer).',
  config: { key: 'app.enableRerankingDefault', value: 'false' },
};
const ROLLBACK: Solution = {
  text: 'Roll back if a deployment started it: set the previous release tag and merge; Argo CD syncs it.',
  config: { key: 'image.tag', value: '"<previous release>"' },
};

/** A canary (delivery.strategy "canary") that burns the budget is rolled back in seconds, without Git. */
const ABORT_CANARY: Solution = {
  text:
    'If a canary is running (`kubectl argo rollouts get rollout ai-odoo-finder -n <namespace>` shows a step below 100 %), abort it: ' +
    '`kubectl argo rollouts abort ai-odoo-finder -n <namespace>`. Traffic and pods go back to the stable version at once, no Git revert needed; ' +
    'then fix or revert the release (docs/rollback.md). The SLO analysis aborts it by itself when the canary burns at the paging rate.',
};

/**
 * Under a canary the Deployment only holds the pod template (the Rollout's workloadRef, at 0 replicas):
 * `rollout restart deploy/…` changes that template, which the Rollout takes as a new release and sends
 * through every canary step and the analysis (argo-rollouts rollout/templateref.go). `kubectl argo
 * rollouts restart` sets the Rollout's spec.restartAt instead: the controller replaces the pods it runs,
 * the same version, respecting the PDB (argo-rollouts rollout/restart.go).
 */
const RESTART_PODS: Solution = {
  text:
    'Restart the pods: `kubectl -n <namespace> rollout restart deploy/ai-odoo-finder`; with a canary (production) ' +
    '`kubectl argo rollouts restart ai-odoo-finder -n <namespace>` instead (restarting the Deployment there starts a new canary release, through every step).',
};

const SLO_MITIGATIONS = { availability: [ABORT_CANARY, ROLLBACK, RERANKING_OFF], latency: [ABORT_CANARY, SCALE_UP, RERANKING_OFF] };

/** Every alert of the API, in the order of the PrometheusRule. The runbooks in docs/runbooks/ are generated from this list. */
export const ALERTS: readonly AlertSpec[] = [
  {
    name: 'HighLatency',
    level: 'P3',
    problem: 'latency',
    for: '5m',
    expr: (c) =>
      `histogram_quantile(${c.thresholds.latency.quantile},\n  sum by (namespace, job, le) (rate(${METRICS.searchLatency.name}_bucket{${c.api}}[${ALERT_WINDOWS.rate}]))\n) > ${c.thresholds.latency.seconds}`,
    summary: (c) => `Search ${percentileName(c.thresholds.latency.quantile)} latency is above ${c.thresholds.latency.seconds}s.`,
    description: (c) =>
      `${percentileName(c.thresholds.latency.quantile)} search latency over the last 5 minutes, across all pods of ${c.namespace}, is {{ $value | humanizeDuration }} (threshold ${c.thresholds.latency.seconds}s).`,
    meaning: (c) =>
      `More than ${percentOf(1 - c.thresholds.latency.quantile)}% of searches take more than ${c.thresholds.latency.seconds} seconds, measured over all pods together (one slow pod alone does not fire it). Users notice; the latency SLO burns.`,
    diagnosis: [
      'Check `active_searches` on the dashboard: a queue of searches in flight means the pods are saturated.',
      'Check the database connection pool: `kubectl -n <namespace> logs deploy/ai-odoo-finder | grep -i pool`.',
      'Check LLM API latency: compare the "Latency percentiles by search mode" panel with reranking on (`reranking_enabled="True"`) and off.',
      'Check the cache hit rate panel: a cold or broken cache sends every search to the database and the LLM.',
    ],
    solutions: [
      SCALE_UP,
      RERANKING_OFF,
      { text: 'Increase the database connection pool size (API setting, shipped with a new image).' },
      { text: 'Clear and rebuild the cache (see [LowCacheHitRate](LowCacheHitRate.md)).' },
    ],
  },
  {
    name: 'HighErrorRate',
    level: 'P2',
    problem: 'availability',
    for: '2m',
    expr: (c) =>
      `${sum} (rate(${METRICS.searchRequests.name}{${c.api},status="error"}[${ALERT_WINDOWS.rate}]))\n/\n${sum} (rate(${METRICS.searchRequests.name}{${c.api}}[${ALERT_WINDOWS.rate}]))\n> ${c.thresholds.errorRatio}`,
    summary: (c) => `More than ${percentOf(c.thresholds.errorRatio)}% of searches fail.`,
    description: (c) => `{{ $value | humanizePercentage }} of searches in ${c.namespace} failed over the last 5 minutes (threshold ${percentOf(c.thresholds.errorRatio)}%).`,
    meaning: (c) =>
      `More than ${percentOf(c.thresholds.errorRatio)}% of all searches (summed over pods, errors divided by all searches) end in an error, for 2 minutes. With no traffic the ratio is undefined and the alert stays quiet.`,
    diagnosis: [
      'Check application logs: `kubectl -n <namespace> logs deploy/ai-odoo-finder --since=15m | grep -i error`.',
      'Check database connectivity: `kubectl -n <namespace> get pods` (is the database up?) and the logs for connection errors.',
      'Check API key validity: 401/403 from Anthropic or OpenAI in the logs means a revoked or wrong key in the Secret.',
      'Check rate limits: 429 from the LLM provider in the logs.',
      'Was there a recent deployment? `kubectl -n <namespace> rollout history deploy/ai-odoo-finder` and Argo CD history.',
    ],
    solutions: [
      ABORT_CANARY,
      ROLLBACK,
      RESTART_PODS,
      { text: 'Verify the API keys in their Secrets (see `secrets.anthropicApiKey`, `secrets.openaiApiKey`); rotate them in the secret store.' },
      { text: 'Contact the LLM provider if their API fails.' },
      RERANKING_OFF,
    ],
  },
  {
    name: 'DailyCostExceeded',
    level: 'P3',
    problem: 'cost',
    expr: (c) => `${sum} (increase(${METRICS.rerankingCost.name}{${c.api}}[24h])) > ${c.dailyBudgetUsd}`,
    summary: () => 'Reranking spend over the last 24h is above the daily budget.',
    description: (c) => `Reranking cost over the last 24 hours in ${c.namespace} is \${{ $value | printf "%.2f" }} (budget \$${c.dailyBudgetUsd}).`,
    meaning: (c) =>
      `The LLM reranking spend of all pods over the last 24 hours (pod restarts included) is above the environment's daily budget ($${c.dailyBudgetUsd}, \`monitoring.dailyRerankingBudgetUsd\`).`,
    diagnosis: [
      'Check the reranking request count: "Requests per second" panel, and `sum by (reranking_enabled) (rate(search_latency_seconds_count[1h]))`.',
      'Check the cache hit rate: every cache miss may be reranked again.',
      'Check for abuse or bot traffic: request rate by client in the Ingress logs.',
    ],
    solutions: [
      { text: 'Enable stricter rate limiting at the Ingress.' },
      RERANKING_OFF,
      { text: 'Improve the cache hit rate (see [LowCacheHitRate](LowCacheHitRate.md)).' },
      { text: 'Block abusive IPs at the Ingress or WAF.' },
      { text: 'If the spend is expected (more users), raise the budget.', config: { key: 'monitoring.dailyRerankingBudgetUsd', value: '20' } },
    ],
  },
  {
    name: 'LowCacheHitRate',
    level: 'P3',
    problem: 'cache',
    for: '10m',
    expr: (c) =>
      `avg by (namespace, job) (${METRICS.cacheHitRate.name}{${c.api}}) < ${c.thresholds.cacheHitRate}\nand on (namespace, job)\n${sum} (rate(${METRICS.searchRequests.name}{${c.api}}[${ALERT_WINDOWS.cacheTraffic}])) > 0`,
    summary: (c) => `Less than ${percentOf(c.thresholds.cacheHitRate)}% of the searches are answered from the cache.`,
    description: (c) => `Average cache hit rate of the pods in ${c.namespace} is {{ $value | humanizePercentage }} (threshold ${percentOf(c.thresholds.cacheHitRate)}%).`,
    meaning: (c) =>
      `The cache hit rate averaged over the pods stays below ${percentOf(c.thresholds.cacheHitRate)}% for 10 minutes while searches are served (an idle service does not fire it). More searches hit the database and the LLM: latency and cost rise.`,
    diagnosis: [
      'Is Redis reachable? `kubectl -n <namespace> logs deploy/ai-odoo-finder | grep -i redis`.',
      'Did a deployment or a Redis restart empty the cache? It refills with traffic.',
      'Has the traffic changed (new kinds of queries, bots)? Compare the "Requests per second" panel by search mode.',
      'Has the gauge read exactly 0 since the pods started, with Redis healthy? Then the API declares `cache_hit_rate` but never sets it (prometheus_client exports an unset gauge as 0; SPEC-404\'s `metrics.py` sketch never sets it): an API bug, not a cache problem.',
    ],
    solutions: [
      { text: 'Fix the Redis connection: REDIS_URL comes from Secret `redis-credentials` key `url` (in-cluster, built from its `password`, which Redis requires) or `secrets.redisUrl`; a NOAUTH or WRONGPASS in the API logs means the URL and the password differ.' },
      { text: 'Clear and rebuild the cache if it holds stale or broken entries.' },
      { text: 'Block bot traffic that defeats the cache (see [DailyCostExceeded](DailyCostExceeded.md)).' },
    ],
  },
  {
    name: 'OdooFinderMetricsAbsent',
    level: 'P1',
    problem: 'scrape',
    for: '5m',
    expr: (c) => `(sum by (namespace, job) (up{${c.api}}) == 0)\nor\nabsent(up{${c.api}})`,
    summary: () => 'Prometheus scrapes no API pod: the API is down or unmonitored.',
    description: () => 'No {{ $labels.job }} target in {{ $labels.namespace }} has been up for 5 minutes: the API is down or unmonitored, and every other alert of this service is blind.',
    meaning: () =>
      'Prometheus has no successful scrape of any API pod: either there is no pod behind the Service (complete outage), or Prometheus cannot reach /metrics (ServiceMonitor not selected, NetworkPolicy, wrong port). Either way no other alert of this service can fire.',
    diagnosis: [
      'Are pods running and ready? `kubectl -n <namespace> get pods -l app.kubernetes.io/name=ai-odoo-finder`.',
      'Does the Service have endpoints? `kubectl -n <namespace> get endpointslices -l kubernetes.io/service-name=ai-odoo-finder`.',
      'Is the target known to Prometheus? Prometheus UI → Status → Targets, look for `serviceMonitor/<namespace>/ai-odoo-finder`.',
      'If it is missing: do the ServiceMonitor labels match the Prometheus `serviceMonitorSelector` (`monitoring.selectorLabels`)?',
      'If it is down: does a NetworkPolicy let the monitoring namespace reach port `http`?',
    ],
    solutions: [
      ROLLBACK,
      { text: 'Fix the selector labels so that kube-prometheus-stack selects the ServiceMonitor.', config: { key: 'monitoring.selectorLabels', value: '{ release: <helm release of kube-prometheus-stack> }' } },
    ],
  },
  {
    name: 'OdooFinderTargetDown',
    level: 'P4',
    problem: 'scrape',
    for: '10m',
    expr: (c) => `100 * (\n  count by (namespace, job) (up{${c.api}} == 0)\n  /\n  count by (namespace, job) (up{${c.api}})\n) > ${percentOf(c.thresholds.targetsDown)}`,
    summary: () => 'Some API pods cannot be scraped.',
    description: (c) => `{{ $value | printf "%.0f" }}% of the ${c.job} targets in ${c.namespace} are down.`,
    meaning: (c) => `More than ${percentOf(c.thresholds.targetsDown)}% of the API pods have failed their /metrics scrape for 10 minutes. The others still serve; the service has less headroom.`,
    diagnosis: [
      'Which pods? Prometheus UI → Status → Targets, or `up{job="ai-odoo-finder"} == 0`.',
      'Are they restarting or overloaded? `kubectl -n <namespace> describe pod <pod>` (events, OOMKilled, probes).',
    ],
    solutions: [{ text: 'Delete a stuck pod so that the Deployment replaces it: `kubectl -n <namespace> delete pod <pod>`.' }, SCALE_UP],
    // kube-prometheus-stack templates/prometheus/rules-1.14/general.rules.yaml: TargetDown, > 10% of a job's targets for 10m.
    supersedes: (c) => [{ alertname: 'TargetDown', labels: { job: c.job } }],
  },
  {
    name: 'OdooFinderPodCrashLooping',
    level: 'P3',
    problem: 'workload',
    for: '15m',
    expr: (c) =>
      `max_over_time(kube_pod_container_status_waiting_reason{namespace="${c.namespace}",container="${c.container}",pod=~"${c.pods}",reason="CrashLoopBackOff"}[5m]) >= 1`,
    summary: () => 'An API pod is crash-looping.',
    description: (c) => `Pod {{ $labels.pod }} in ${c.namespace} has been in CrashLoopBackOff for 15 minutes.`,
    meaning: () => 'A container of an API pod keeps exiting and Kubernetes waits longer and longer before restarting it (from kube-state-metrics).',
    diagnosis: [
      'Why does it exit? `kubectl -n <namespace> logs <pod> --previous`.',
      'Out of memory? `kubectl -n <namespace> describe pod <pod>` shows `OOMKilled` as last state.',
      'A missing Secret or key? The events of the pod say `CreateContainerConfigError`.',
    ],
    solutions: [
      ROLLBACK,
      { text: 'Give the container more memory if it is OOMKilled.', config: { key: 'resources.limits.memory', value: '2Gi' } },
    ],
    // kube-prometheus-stack templates/prometheus/rules-1.14/kubernetes-apps.yaml: KubePodCrashLooping (labels pod, container).
    supersedes: (c) => [{ alertname: 'KubePodCrashLooping', labels: { container: c.container }, regex: { pod: c.pods } }],
  },
  {
    name: 'OdooFinderPodsNotReady',
    level: 'P3',
    problem: 'workload',
    for: '15m',
    expr: (c) => replicasNotReadyExpr(c, c.namespace),
    summary: () => 'Some API replicas are not ready.',
    description: (c) => `{{ $value }} replica(s) of ${c.deployment} in ${c.namespace} have not been ready for 15 minutes.`,
    meaning: () =>
      'For 15 minutes, fewer API pods are ready than the autoscaler wants, or some API pods are Pending or fail their readiness probe (`GET /ready`): ' +
      'pods cannot be scheduled, a dependency is down, or a release (rolling update or canary) is stuck. ' +
      'It reads the HPA and the pods (kube-state-metrics), so it works whether the Deployment or, with a canary, the Argo Rollout runs the pods.',
    diagnosis: [
      '`kubectl -n <namespace> get pods -l app.kubernetes.io/name=ai-odoo-finder -o wide`: Pending (no room in the cluster), not ready, or restarting?',
      'Pending: `kubectl -n <namespace> describe pod <pod>` shows the scheduling problem (resources, quota).',
      'Not ready: `/ready` fails when a dependency (database, Redis) is unreachable; check the logs.',
      'Stuck release: `kubectl -n <namespace> rollout status deploy/ai-odoo-finder`, or with a canary `kubectl argo rollouts get rollout ai-odoo-finder -n <namespace>` (a canary whose pods never get ready).',
    ],
    solutions: [ABORT_CANARY, ROLLBACK, { text: 'Free or add cluster capacity if the pods are Pending.' }],
    // kubernetes-apps.yaml: KubePodNotReady, a pod Pending/Unknown/Failed for 15m (label pod).
    supersedes: (c) => [{ alertname: 'KubePodNotReady', regex: { pod: c.pods } }],
  },
  {
    name: 'OdooFinderHpaMaxedOut',
    level: 'P4',
    problem: 'capacity',
    for: '30m',
    expr: (c) => {
      const hpa = `namespace="${c.namespace}",horizontalpodautoscaler="${c.hpa}"`;
      const by = 'max by (namespace, horizontalpodautoscaler)';
      return (
        `${by} (kube_horizontalpodautoscaler_status_current_replicas{${hpa}})\n>=\n${by} (kube_horizontalpodautoscaler_spec_max_replicas{${hpa}})\n` +
        `and on (namespace, horizontalpodautoscaler)\n${by} (kube_horizontalpodautoscaler_spec_max_replicas{${hpa}})\n>\n${by} (kube_horizontalpodautoscaler_spec_min_replicas{${hpa}})`
      );
    },
    summary: () => 'The API autoscaler has been at its maximum for 30 minutes.',
    description: (c) => `HPA ${c.hpa} in ${c.namespace} has run {{ $value }} replicas, its maximum, for 30 minutes: it cannot absorb more load.`,
    meaning: () => 'The HorizontalPodAutoscaler runs as many pods as `autoscaling.maxReplicas` allows and still wants more, for 30 minutes. Latency rises next.',
    diagnosis: [
      'Is the traffic legitimate? "Requests per second" panel; bots show up as a sudden jump.',
      'Are the pods slow for another reason (database, LLM) so that CPU stays high? "P95 latency" and "CPU per pod" panels.',
    ],
    solutions: [SCALE_UP, RERANKING_OFF, { text: 'Block abusive traffic at the Ingress.' }],
    // kubernetes-apps.yaml: KubeHpaMaxedOut, at max replicas for 15m (label horizontalpodautoscaler).
    supersedes: (c) => [{ alertname: 'KubeHpaMaxedOut', labels: { horizontalpodautoscaler: c.hpa } }],
  },
  ...(['availability', 'latency'] as const).flatMap((sli) => [sloAlert(sli, 'fast', SLO_MITIGATIONS), sloAlert(sli, 'slow', SLO_MITIGATIONS)]),
];

/** The catalog alert of that name; throws when there is none (a renamed alert then fails the build, not silently a text). */
export function alertNamed(name: string): AlertSpec {
  const alert = ALERTS.find((a) => a.name === name);
  if (!alert) throw new Error(`no alert named ${name} in lib/monitoring/alerts.ts`);
  return alert;
}

import { Environment } from '../../config/schema';
import { CheckResult, fail, manual, pass } from '../checklist/context';
import { MonitoringContext } from '../monitoring/context';
import { METRICS, seriesNames } from '../monitoring/metrics';
import { prometheusRuleGroups } from '../monitoring/prometheus-rule-groups';
import { PrometheusApi, RuleGroupStatus } from './prometheus-api';
import { percentileName } from '../monitoring/thresholds';
import { NOTIFYING_SEVERITIES, reviewQueries } from './queries';

/** The stages of SPEC-404's Post-Deployment Review. */
export const STAGES = {
  '1h': { title: 'Immediate (T+1 hour)', seconds: 3600 },
  '24h': { title: 'Short-term (T+24 hours)', seconds: 86400 },
  '7d': { title: 'Long-term (T+7 days)', seconds: 7 * 86400 },
} as const;
export type Stage = keyof typeof STAGES;
export const STAGE_NAMES = Object.keys(STAGES) as Stage[];

/**
 * When a metric counts as degraded against its baseline: the error ratio by
 * more than a quarter of the error budget, the latency (at the HighLatency
 * alert's quantile, P95) by more than 20%.
 */
const DEGRADATION = { errorBudgetShare: 0.25, latencyIncrease: 0.2 } as const;

/** Reranked searches after which a cost counter that did not move is broken, not a run of cache hits. */
const MIN_RERANKED_SEARCHES = 100;

/** What the checks read: the environment, its monitoring model and a Prometheus. */
export interface ReviewContext {
  readonly env: Environment;
  readonly ctx: MonitoringContext;
  readonly prometheus: PrometheusApi;
  /** Seconds since the epoch: now, and the release. */
  readonly now: number;
  readonly since: number;
  /** Our rule groups as Prometheus has loaded them for this namespace. */
  readonly groups: readonly RuleGroupStatus[];
  /** Scrape jobs of the environment in its namespace (the API and any datastore exporter). */
  readonly jobs: readonly string[];
}

export interface ReviewItem {
  readonly text: string;
  readonly check?: (r: ReviewContext) => Promise<CheckResult>;
}

const item = (text: string, check?: ReviewItem['check']): ReviewItem => ({ text, check });

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
const secs = (x: number) => `${x.toFixed(2)}s`;
const usd = (x: number) => `$${x.toFixed(2)}`;
const change = (now: number, before: number) => (before === 0 ? 'n/a' : `${now >= before ? '+' : ''}${(((now - before) / before) * 100).toFixed(0)}%`);
/** A PromQL range of `seconds`, at least one minute. */
const range = (seconds: number) => `${Math.max(60, Math.round(seconds))}s`;
const releaseWindow = (r: ReviewContext) => range(r.now - r.since);

interface Performance {
  readonly searches: number;
  readonly errorRatio: number;
  /** Latency at the quantile asked for (undefined: no histogram data). */
  readonly latency?: number;
}

/**
 * Error ratio and latency of a window ending at `at` (default now); undefined when there was no search.
 * The latency is the quantile the HighLatency alert watches, unless another is asked for.
 */
async function performance(r: ReviewContext, window: string, at?: number, quantile = r.ctx.thresholds.latency.quantile): Promise<Performance | undefined> {
  const q = reviewQueries(r.ctx);
  const searches = await r.prometheus.value(q.searches(window), at);
  if (!searches) return undefined;
  return { searches, errorRatio: (await r.prometheus.value(q.errorRatio(window), at)) ?? 0, latency: await r.prometheus.value(q.latency(quantile, window), at) };
}

/** `P95` for the alert's latency quantile. */
const latencyName = (r: ReviewContext) => percentileName(r.ctx.thresholds.latency.quantile);
const latencyText = (p: Performance) => (p.latency === undefined ? 'n/a' : secs(p.latency));

/** Problems of `now` against `before` (degradation thresholds above). */
function degradation(r: ReviewContext, now: Performance, before: Performance, label: string): string[] {
  const problems: string[] = [];
  if (now.errorRatio - before.errorRatio > DEGRADATION.errorBudgetShare * r.ctx.availability.budget) {
    problems.push(`error ratio ${pct(now.errorRatio)} against ${pct(before.errorRatio)} ${label}`);
  }
  if (now.latency !== undefined && before.latency !== undefined && now.latency > before.latency * (1 + DEGRADATION.latencyIncrease)) {
    problems.push(`${latencyName(r)} latency ${secs(now.latency)} against ${secs(before.latency)} ${label} (${change(now.latency, before.latency)})`);
  }
  return problems;
}

const servicesHealthy = async (r: ReviewContext): Promise<CheckResult> => {
  const q = reviewQueries(r.ctx);
  const problems: string[] = [];
  const parts: string[] = [];
  for (const job of r.jobs) {
    const total = (await r.prometheus.value(q.targets(job))) ?? 0;
    const up = (await r.prometheus.value(q.targetsUp(job))) ?? 0;
    if (total === 0) problems.push(`no ${job} target in Prometheus`);
    else if (up < total) problems.push(`${total - up} of ${total} ${job} targets down`);
    parts.push(`${up}/${total} ${job} targets up`);
  }
  const wanted = await r.prometheus.value(q.replicasWanted());
  const ready = await r.prometheus.value(q.replicasReady());
  const notReady = (await r.prometheus.value(q.podsNotReady())) ?? 0;
  if (wanted === undefined || ready === undefined) problems.push(`kube-state-metrics reports nothing for HorizontalPodAutoscaler ${r.ctx.hpa}`);
  else if (ready < wanted) problems.push(`${ready} of ${wanted} replicas ready`);
  else parts.push(`${ready}/${wanted} replicas ready`);
  if (notReady > 0) problems.push(`${notReady} API pod(s) Pending or not ready`);
  return problems.length ? fail(problems.join('; ')) : pass(parts.join(', '));
};

const metricsReporting = async (r: ReviewContext): Promise<CheckResult> => {
  const q = reviewQueries(r.ctx);
  const names = Object.values(METRICS).flatMap((m) => seriesNames(m));
  const missing: string[] = [];
  for (const name of names) if (!(await r.prometheus.value(q.seriesOf(name)))) missing.push(name);
  return missing.length ? fail(`not reporting: ${missing.join(', ')}`) : pass(`all ${names.length} series of the metric catalog report`);
};

const alertsConfigured = async (r: ReviewContext): Promise<CheckResult> => {
  const expected = prometheusRuleGroups(r.ctx);
  const problems: string[] = [];
  for (const g of expected) if (!r.groups.some((l) => l.name === g.name)) problems.push(`rule group ${g.name} not loaded`);
  const loaded = new Set(r.groups.flatMap((g) => g.rules.filter((x) => x.type === 'alerting').map((x) => x.name)));
  const missing = expected.flatMap((g) => g.rules.filter((x) => x.alert && !loaded.has(x.alert)).map((x) => x.alert!));
  if (missing.length) problems.push(`alerts not loaded: ${missing.join(', ')}`);
  const unhealthy = r.groups.flatMap((g) => g.rules.filter((x) => x.health !== 'ok' && x.health !== 'unknown').map((x) => `${x.name} (${x.health}${x.lastError ? `: ${x.lastError}` : ''})`));
  if (unhealthy.length) problems.push(`rules not healthy: ${unhealthy.join(', ')}`);
  const rules = r.groups.reduce((n, g) => n + g.rules.length, 0);
  return problems.length ? fail(problems.join('; ')) : pass(`${r.groups.length} rule groups, ${rules} rules loaded and healthy (${loaded.size} alerts)`);
};

const noAlertFiring = async (r: ReviewContext): Promise<CheckResult> => {
  const notifies = (labels: Record<string, string>) => NOTIFYING_SEVERITIES.includes(labels.severity);
  const firing = (await r.prometheus.alerts()).filter((a) => a.state === 'firing' && a.labels.namespace === r.env.namespace && notifies(a.labels)).map((a) => a.labels.alertname);
  return firing.length ? fail(`firing in ${r.env.namespace}: ${[...new Set(firing)].sort().join(', ')}`) : pass(`no alert of ${r.env.namespace} firing`);
};

/** The SLOs are the limits: the error budget, and "objective % of searches within the threshold", i.e. that quantile of latency under it. */
const withinSla = async (r: ReviewContext): Promise<CheckResult> => {
  const { availability, latency } = r.ctx;
  const quantile = latency.objectivePercent / 100;
  const p = await performance(r, releaseWindow(r), undefined, quantile);
  if (!p) return manual('no search since the release: nothing to measure');
  const name = percentileName(quantile);
  const problems: string[] = [];
  if (p.errorRatio > availability.budget) problems.push(`error ratio ${pct(p.errorRatio)} is above the ${pct(availability.budget)} the ${availability.objectivePercent}% availability SLO allows`);
  if (p.latency !== undefined && p.latency > latency.thresholdSeconds) problems.push(`${name} latency ${secs(p.latency)} is above the latency SLO's ${latency.thresholdSeconds}s`);
  const measured = `error ratio ${pct(p.errorRatio)} (SLO ≤ ${pct(availability.budget)}), ${name} ${latencyText(p)} (SLO ≤ ${latency.thresholdSeconds}s) over ${Math.round(p.searches)} searches since the release`;
  return problems.length ? fail(problems.join('; ')) : pass(measured);
};

const noDegradation = async (r: ReviewContext): Promise<CheckResult> => {
  const now = await performance(r, releaseWindow(r));
  const before = await performance(r, range(STAGES['24h'].seconds), r.since);
  if (!now) return manual('no search since the release: nothing to compare');
  if (!before) return manual('no search in the 24 hours before the release: no baseline to compare with');
  const problems = degradation(r, now, before, 'in the 24h before the release');
  return problems.length
    ? fail(problems.join('; '))
    : pass(`error ratio ${pct(now.errorRatio)} (before ${pct(before.errorRatio)}), ${latencyName(r)} ${latencyText(now)} (before ${latencyText(before)})`);
};

/**
 * Accurate: the counter reports, and it grew if searches were reranked (each one calls the LLM, unless
 * answered from the cache: hence a minimum before a still counter counts as broken). The budget is
 * DailyCostExceeded's and "Cost projections accurate"'s.
 */
const costTracking = async (r: ReviewContext): Promise<CheckResult> => {
  const q = reviewQueries(r.ctx);
  if (!(await r.prometheus.value(q.costSeries()))) return fail(`${METRICS.rerankingCost.name} does not report`);
  const seconds = Math.max(60, r.now - r.since);
  const spent = (await r.prometheus.value(q.cost(range(seconds)))) ?? 0;
  const reranked = (await r.prometheus.value(q.rerankedSearches(range(seconds)))) ?? 0;
  const detail = `${usd(spent)} for ${Math.round(reranked)} reranked searches since the release, projected ${usd((spent / seconds) * 86400)} a day (budget ${usd(r.ctx.dailyBudgetUsd)})`;
  if (spent === 0 && reranked >= MIN_RERANKED_SEARCHES) {
    return fail(`${Math.round(reranked)} searches were reranked since the release, but ${METRICS.rerankingCost.name} did not grow: the API does not count its LLM spend`);
  }
  return pass(detail);
};

const noAlertFired = async (r: ReviewContext): Promise<CheckResult> => {
  const fired = (await r.prometheus.query(reviewQueries(r.ctx).firedAlerts(releaseWindow(r)))).map((s) => s.metric.alertname).sort();
  return fired.length ? fail(`fired since the release: ${fired.join(', ')}`) : pass(`no alert of ${r.env.namespace} fired since the release`);
};

const weekly = async (r: ReviewContext): Promise<CheckResult> => {
  const q = reviewQueries(r.ctx);
  const week = range(STAGES['7d'].seconds);
  const lastWeek = r.now - STAGES['7d'].seconds;
  const now = await performance(r, week);
  if (!now) return manual('no search in the last 7 days');
  const before = await performance(r, week, lastWeek);
  const traffic = (await r.prometheus.value(q.traffic(week))) ?? 0;
  const cost = ((await r.prometheus.value(q.cost(week))) ?? 0) / 7;
  const thisWeek = `this week: error ratio ${pct(now.errorRatio)}, ${latencyName(r)} ${latencyText(now)}, ${traffic.toFixed(2)} searches/s, ${usd(cost)} a day`;
  if (!before) return manual(`no data for the week before; ${thisWeek}`);
  // rate() and increase() over a week that is only partly kept divide by the whole week (promql/functions.go
  // extrapolatedRate): the week before would read low and everything would seem to have grown.
  if (!(await r.prometheus.value(q.seriesOf(METRICS.searchRequests.name), r.now - 2 * STAGES['7d'].seconds))) {
    return manual(`no sample 14 days ago, so the week before is only partly kept (Prometheus retention below 14 days: kube-prometheus-stack keeps 10d by default; or a younger service); ${thisWeek}`);
  }
  const trafficBefore = (await r.prometheus.value(q.traffic(week), lastWeek)) ?? 0;
  const costBefore = ((await r.prometheus.value(q.cost(week), lastWeek)) ?? 0) / 7;
  const trends =
    `week over week: ${latencyName(r)} ${latencyText(now)} (${now.latency !== undefined && before.latency !== undefined ? change(now.latency, before.latency) : 'n/a'}), ` +
    `error ratio ${pct(now.errorRatio)} (was ${pct(before.errorRatio)}), traffic ${traffic.toFixed(2)} searches/s (${change(traffic, trafficBefore)}), cost ${usd(cost)} a day (${change(cost, costBefore)})`;
  const problems = degradation(r, now, before, 'the week before');
  return problems.length ? fail(`${problems.join('; ')}; ${trends}`) : pass(trends);
};

const monthlyCost = async (r: ReviewContext): Promise<CheckResult> => {
  const seconds = Math.min(STAGES['7d'].seconds, Math.max(60, r.now - r.since));
  const spent = (await r.prometheus.value(reviewQueries(r.ctx).cost(range(seconds)))) ?? 0;
  const month = (spent / seconds) * 30 * 86400;
  const budget = r.ctx.dailyBudgetUsd * 30;
  const detail = `projected ${usd(month)} for 30 days from the last ${Math.round(seconds / 86400) || '<1'} day(s), budget ${usd(budget)}`;
  return month > budget ? fail(`monthly reranking cost ${detail}`) : pass(detail);
};

/** The Post-Deployment Review of SPEC-404, stage by stage and in its words; items with a check are proved from Prometheus. */
const REVIEW: Readonly<Record<Stage, readonly ReviewItem[]>> = {
  '1h': [
    item('All services healthy', servicesHealthy),
    item('No errors in logs'),
    item('Metrics reporting correctly', metricsReporting),
    item('Alerts configured', alertsConfigured),
    item('No alert firing', noAlertFiring),
    item('Performance within SLAs', withinSla),
  ],
  '24h': [
    item('No degradation in metrics', noDegradation),
    item('Cost tracking accurate', costTracking),
    item('User feedback collected'),
    item('No rollbacks triggered'),
    item('No alert fired since the release', noAlertFired),
  ],
  '7d': [
    item('Benchmark comparison validated'),
    item('Performance trends reviewed', weekly),
    item('Cost projections accurate', monthlyCost),
    item('Team retrospective completed'),
    item('Documentation updated'),
  ],
};

/** What a person must do for the items no metric can prove. */
const MANUAL_HINTS: Record<string, (env: Environment) => string> = {
  'No errors in logs': (env) => `kubectl -n ${env.namespace} logs deploy/ai-odoo-finder --since=1h | grep -i error`,
  'User feedback collected': () => 'ask support and the users',
  'No rollbacks triggered': (env) => `check the Argo CD history of ai-odoo-finder-${env.name} and git log of dist/${env.name}/`,
  'Benchmark comparison validated': () => 'compare with the benchmark run before the release',
  'Team retrospective completed': () => 'hold it',
  'Documentation updated': () => 'review README, docs/ and the runbooks',
};

export interface ReviewResult extends CheckResult {
  readonly stage: Stage;
  readonly text: string;
  readonly automatic: boolean;
}

/** Runs the items of `stage` and of the stages before it; a check that throws counts as failed. */
export async function runReview(r: ReviewContext, stage: Stage): Promise<ReviewResult[]> {
  const stages = STAGE_NAMES.slice(0, STAGE_NAMES.indexOf(stage) + 1);
  const results: ReviewResult[] = [];
  for (const s of stages) {
    for (const i of REVIEW[s]) {
      let result: CheckResult;
      try {
        result = i.check ? await i.check(r) : manual(MANUAL_HINTS[i.text]?.(r.env) ?? '');
      } catch (e) {
        result = fail(`check failed: ${(e as Error).message}`);
      }
      results.push({ stage: s, text: i.text, automatic: i.check !== undefined, ...result });
    }
  }
  return results;
}

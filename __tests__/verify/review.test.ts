import { monitoringContext } from '../../lib/monitoring/context';
import { ActiveAlert, PrometheusApi } from '../../lib/verify/prometheus-api';
import { ReviewContext, ReviewResult, runReview } from '../../lib/verify/review';
import { committedEnvironment } from '../support/env';

/**
 * The review's judgements on answers a Prometheus could give (its queries run
 * against a real Prometheus in `npm run e2e`): which alerts count, when a cost
 * counter is broken, when a week-over-week comparison has two weeks to read.
 */
const env = committedEnvironment('production');
const ctx = monitoringContext(env);
const NOW = 2_000_000_000;
const DAY = 86400;

/** A stand-in Prometheus: `value(expr, at)` answers queries, `alerts` the active alerts. */
function review(value: (expr: string, at?: number) => number | undefined, alerts: ActiveAlert[] = []): ReviewContext {
  const prometheus = {
    value: async (expr: string, at?: number) => value(expr, at),
    query: async () => [],
    alerts: async () => alerts,
  } as unknown as PrometheusApi;
  return { env, ctx, prometheus, now: NOW, since: NOW - 2 * DAY, groups: [], jobs: [] };
}

const item = (results: ReviewResult[], text: string) => results.find((r) => r.text === text)!;
const firing = (labels: Record<string, string>): ActiveAlert => ({ labels: { namespace: env.namespace, ...labels }, annotations: {}, state: 'firing' }) as unknown as ActiveAlert;

describe('npm run verify: what the review counts', () => {
  it('"No alert firing" counts the alerts that notify someone (ours, the cluster\'s warnings and criticals), not info alerts', async () => {
    const info = [firing({ alertname: 'CPUThrottlingHigh', severity: 'info' }), firing({ alertname: 'InfoInhibitor', severity: 'none' })];
    const quiet = item(await runReview(review(() => 1, info), '1h'), 'No alert firing');
    expect(quiet).toMatchObject({ status: 'pass' });
    const loud = item(await runReview(review(() => 1, [...info, firing({ alertname: 'KubeJobFailed', severity: 'warning' }), firing({ alertname: 'HighErrorRate', severity: 'critical', level: 'P2' })]), '1h'), 'No alert firing');
    expect(loud).toMatchObject({ status: 'fail', detail: `firing in ${env.namespace}: HighErrorRate, KubeJobFailed` });
  });

  it('"No alert fired since the release" asks Prometheus for the notifying severities only', async () => {
    const queries: string[] = [];
    const r = review(() => 1);
    (r.prometheus as unknown as { query: (e: string) => Promise<unknown[]> }).query = async (expr: string) => (queries.push(expr), []);
    await runReview(r, '24h');
    expect(queries.filter((q) => q.includes('ALERTS{'))).toEqual([expect.stringContaining(`severity=~"critical|warning"`)]);
  });

  it('"Cost tracking accurate" fails when searches were reranked and the cost counter did not move, whatever the budget', async () => {
    const answers = (spent: number, reranked: number) => (expr: string) => (expr.includes('reranking_enabled="True"') ? reranked : expr.includes('increase(reranking_cost_dollars_total') ? spent : 1);
    const still = item(await runReview(review(answers(0, 500)), '24h'), 'Cost tracking accurate');
    expect(still).toMatchObject({ status: 'fail', detail: expect.stringContaining('500 searches were reranked since the release, but reranking_cost_dollars_total did not grow') });
    expect(item(await runReview(review(answers(0, 20)), '24h'), 'Cost tracking accurate')).toMatchObject({ status: 'pass' });
    // Over the budget is DailyCostExceeded's and "Cost projections accurate"'s to say, not an inaccuracy.
    expect(item(await runReview(review(answers(1000, 500)), '24h'), 'Cost tracking accurate')).toMatchObject({ status: 'pass' });
    expect(item(await runReview(review(answers(1000, 500)), '7d'), 'Cost projections accurate')).toMatchObject({ status: 'fail' });
  });

  it('"Performance trends reviewed" compares week over week only when Prometheus still has data from 14 days ago', async () => {
    const fourteenDaysAgo = NOW - 14 * DAY;
    // Steady traffic the whole time, but nothing kept from before 10 days ago.
    const kept = (tenDays: boolean) => (expr: string, at?: number) => {
      if (at !== undefined && at <= fourteenDaysAgo && tenDays) return undefined;
      if (expr.includes('status="error"')) return 0;
      return 1;
    };
    const partial = item(await runReview(review(kept(true)), '7d'), 'Performance trends reviewed');
    expect(partial).toMatchObject({ status: 'manual', detail: expect.stringContaining('no sample 14 days ago, so the week before is only partly kept') });
    expect(item(await runReview(review(kept(false)), '7d'), 'Performance trends reviewed')).toMatchObject({ status: 'pass', detail: expect.stringContaining('week over week') });
  });
});

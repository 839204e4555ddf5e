import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CANARY_BURN, canaryThresholds } from '../../lib/monitoring/canary-analysis';
import { monitoringContext } from '../../lib/monitoring/context';
import { PAGE_BURN, TICKET_BURN } from '../../lib/monitoring/slo';
import { toYaml } from '../../lib/yaml/writer';
import { FAST, HALF_SLOW, LatencyShape, Labels, latency, requests, samplesOf, counter, InputSeries } from '../monitoring/support/series';
import { committedEnvironment, find, manifestsOf } from '../support/env';
import { startPrometheus, RunningPrometheus, Samples } from '../support/prometheus';
import { findTool, missingToolMessage } from '../support/tools';
import { evalCondition, measurementPhase, metricPhase, MetricRules, Phase, resolveArgs, runPhase } from './support/argo-rollouts';
import { METRICS } from '../../lib/monitoring/metrics';
import { promtool } from '../monitoring/support/promtool';

/*
 * Proof of the canary analysis: the AnalysisTemplates rendered for production
 * run their real queries in a real Prometheus, over simulated stable and canary
 * pods, and the results are judged as Argo Rollouts judges them
 * (support/argo-rollouts.ts). A healthy canary passes; one with 10 % errors or
 * slow searches fails while the stable pods stay healthy; an idle one is inconclusive.
 */

const env = committedEnvironment('production');
const ctx = monitoringContext(env);
const manifests = manifestsOf(env);

interface TemplateMetric extends MetricRules {
  readonly interval: string;
  readonly initialDelay?: string;
  readonly provider: { prometheus: { address: string; query: string } };
}
const templateMetrics = (name: string) => (find(manifests, 'AnalysisTemplate', name).spec as { metrics: TemplateMetric[] }).metrics;
const BACKGROUND = templateMetrics('ai-odoo-finder-slo');
const GATE = templateMetrics('ai-odoo-finder-slo-gate');
const minutes = (d: string | undefined) => (d === undefined ? 0 : Number(/^(\d+)m$/.exec(d)?.[1] ?? NaN));

describe('canary thresholds come from the burn-rate conditions of the alerts', () => {
  it('pass at the slowest ticket burn, fail above the lowest page burn', () => {
    expect(CANARY_BURN).toEqual({ pass: Math.min(...TICKET_BURN.map((b) => b.factor)), fail: Math.min(...PAGE_BURN.map((b) => b.factor)) });
    // production: 99.5 % available (budget 0.5 %), 95 % within 2.5 s (budget 5 %)
    expect(canaryThresholds(ctx, 'availability')).toEqual({ passAtMost: 0.005, failAbove: 0.03 });
    expect(canaryThresholds(ctx, 'latency')).toEqual({ passAtMost: 0.05, failAbove: 0.3 });
    expect(BACKGROUND.map((m) => [m.name, m.successCondition, m.failureCondition])).toEqual([
      ['error-ratio', 'len(result) > 0 && result[0] <= 0.005', 'len(result) > 0 && result[0] > 0.03'],
      ['slow-ratio', 'len(result) > 0 && result[0] <= 0.05', 'len(result) > 0 && result[0] > 0.3'],
    ]);
  });

  it('the gate and the background run use the same queries and conditions, the gate with a count', () => {
    expect(GATE.map((m) => [m.provider, m.successCondition, m.failureCondition])).toEqual(BACKGROUND.map((m) => [m.provider, m.successCondition, m.failureCondition]));
    const { gateMeasurements, gateConsecutiveSuccesses } = env.delivery.canary.analysis;
    expect(GATE.every((m) => m.count === gateMeasurements && m.consecutiveSuccessLimit === gateConsecutiveSuccesses && m.initialDelay === undefined)).toBe(true);
    expect(BACKGROUND.every((m) => m.count === undefined && m.consecutiveSuccessLimit === undefined && m.initialDelay === env.delivery.canary.analysis.window)).toBe(true);
  });

  it('the rendered gate passes on successes in a row, not on the absence of failures (before: 1 good measurement of 5 was enough)', () => {
    const S = 'Successful', F = 'Failed', I = 'Inconclusive';
    for (const metric of GATE) {
      // Within failureLimit 1 and inconclusiveLimit 3, but never 3 good in a row: a person decides.
      expect(metricPhase(metric, [S, F, I, I, I])).toEqual({ phase: I, after: 5 });
      expect(metricPhase(metric, [I, S, S, I, S])).toEqual({ phase: I, after: 5 });
      // 3 good in a row pass at once; a failure still counts against failureLimit.
      expect(metricPhase(metric, [S, S, S])).toEqual({ phase: S, after: 3 });
      expect(metricPhase(metric, [F, I, S, S, S])).toEqual({ phase: S, after: 5 });
      expect(metricPhase(metric, [F, S, F])).toEqual({ phase: F, after: 3 });
    }
  });
});

describe('conditions are judged as Argo Rollouts judges them', () => {
  const [errorRatio] = BACKGROUND;
  it.each([
    [[0], 'Successful'],
    [[0.005], 'Successful'],
    [[0.01], 'Inconclusive'],
    [[0.0300001], 'Failed'],
    [[0.1], 'Failed'],
    [[], 'Inconclusive'], // no result: too few searches
    [[NaN], 'Inconclusive'], // every comparison with NaN is false
  ] as const)('error ratio %j is %s', (result, phase) => {
    expect(measurementPhase(errorRatio, result)).toBe(phase);
  });

  it('the expr-lang subset: short-circuit, index errors, NaN, refusal of what it does not know', () => {
    // documented in argo-rollouts docs/features/analysis.md "Empty array": the guard short-circuits
    expect(evalCondition('len(result) > 0 && result[0] >= 0.95', [])).toBe(false);
    expect(() => evalCondition('result[0] >= 0.95', [])).toThrow('index out of range');
    expect(measurementPhase({ name: 'x', successCondition: 'result[0] >= 0.95' }, [])).toBe('Error');
    // "successCondition: isNaN(result) || result >= 0.95" style guards
    expect(evalCondition('isNaN(result[0]) || result[0] >= 0.95', [NaN])).toBe(true);
    expect(evalCondition('(result[0] < 1) && (len(result) == 1)', [0.5])).toBe(true);
    expect(() => evalCondition('all(result, # < 1000)', [1])).toThrow('unsupported condition');
  });

  it('metric and run phases follow the limits', () => {
    const gate = { name: 'g', count: 5, failureLimit: 1, inconclusiveLimit: 3, consecutiveErrorLimit: 4 };
    expect(metricPhase(gate, ['Successful', 'Successful', 'Successful', 'Successful', 'Successful'])).toEqual({ phase: 'Successful', after: 5 });
    expect(metricPhase(gate, ['Failed', 'Successful', 'Failed'])).toEqual({ phase: 'Failed', after: 3 });
    expect(metricPhase(gate, ['Inconclusive', 'Inconclusive', 'Successful', 'Inconclusive', 'Inconclusive'])).toEqual({ phase: 'Inconclusive', after: 5 });
    expect(metricPhase(gate, ['Failed', 'Inconclusive', 'Successful', 'Successful', 'Successful'])).toEqual({ phase: 'Successful', after: 5 });
    expect(metricPhase({ ...gate, count: undefined }, Array<Phase>(30).fill('Successful'))).toEqual({ phase: 'Running', after: 30 });
    expect(metricPhase(gate, ['Error', 'Error', 'Error', 'Error', 'Error'])).toEqual({ phase: 'Error', after: 5 });
    // An Error is not a measurement of the count (MetricResult.Count), and breaks a run of successes.
    expect(metricPhase(gate, ['Successful', 'Error', 'Successful', 'Successful', 'Successful', 'Successful'])).toEqual({ phase: 'Successful', after: 6 });
    const strict = { ...gate, consecutiveSuccessLimit: 2 };
    expect(metricPhase(strict, ['Successful', 'Error', 'Successful', 'Inconclusive', 'Successful'])).toEqual({ phase: 'Running', after: 5 });
    expect(metricPhase(strict, ['Successful', 'Error', 'Successful', 'Inconclusive', 'Successful', 'Inconclusive'])).toEqual({ phase: 'Inconclusive', after: 6 });
    expect(metricPhase(strict, ['Inconclusive', 'Successful', 'Successful'])).toEqual({ phase: 'Successful', after: 3 });
    expect(metricPhase({ ...strict, failureLimit: -1 }, ['Successful', 'Failed', 'Successful', 'Failed', 'Successful'])).toEqual({ phase: 'Failed', after: 5 });
    expect(runPhase(['Successful', 'Failed'])).toBe('Failed');
    expect(runPhase(['Running', 'Inconclusive'])).toBe('Inconclusive');
    expect(runPhase(['Running', 'Successful'])).toBe('Running');
  });

  it('samplesOf reads back what expand writes', () => {
    const input = counter('x', {}, [[3, 6], [2, 'reset'], [2, 1.5]]);
    expect(samplesOf(input.values)).toEqual([0, 6, 12, 18, 0, 0, 1.5, 3]);
  });
});

// --- In a real Prometheus

const bin = findTool('prometheus') && findTool('promtool');
if (!bin) console.warn(missingToolMessage('prometheus', 'the canary analysis tests against a real Prometheus are SKIPPED'));
const withPrometheus = bin ? describe : describe.skip;

/** Minutes of simulated traffic; every canary starts at minute 0, a fresh pod. */
const DURATION = 30;
const STABLE = '5c7d9f8b6';
const pods = (hash: string, n: number): Labels[] =>
  Array.from({ length: n }, (_, i) => ({
    job: ctx.job,
    namespace: ctx.namespace,
    pod: `ai-odoo-finder-${hash}-${'bcdfg'[i]}x2wz`,
    instance: `10.0.${hash.length}.${i + 1}:8000`,
    rollouts_pod_template_hash: hash,
  }));

interface Canary {
  readonly name: string;
  readonly hash: string;
  /** Searches per second per canary pod. */
  readonly rps: number;
  readonly errorRatio: number;
  readonly shape: LatencyShape;
  /** What the gate's metrics (error ratio, slow ratio) and run end as, and the background run. */
  readonly gate: readonly [errorRatio: Phase, slowRatio: Phase, run: Phase];
  readonly background: Phase;
}

/** The series of some pods: searches (an error series only once a search failed, as prometheus_client creates it) and latency. */
function podSeries(labels: Labels[], rps: number, errorRatio: number, shape: LatencyShape): InputSeries[] {
  return labels.flatMap((l) => [
    ...requests(l, [[DURATION, { rps, errorRatio }]]).filter((s) => errorRatio > 0 || !s.series.includes('status="error"')),
    ...latency(l, [[DURATION, { rps, shape }]]),
  ]);
}

const CANARIES: readonly Canary[] = [
  // A healthy background run goes on until the rollout ends it (then it counts as Successful).
  { name: 'healthy canary', hash: '7d4c8b9f6', rps: 2, errorRatio: 0, shape: FAST, gate: ['Successful', 'Successful', 'Successful'], background: 'Running' },
  { name: '10 % errors', hash: '6b9f7c5d8', rps: 2, errorRatio: 0.1, shape: FAST, gate: ['Failed', 'Successful', 'Failed'], background: 'Failed' },
  { name: 'half the searches slower than the SLO threshold', hash: '8f6d5b7c9', rps: 2, errorRatio: 0, shape: HALF_SLOW, gate: ['Successful', 'Failed', 'Failed'], background: 'Failed' },
  { name: 'idle (no searches)', hash: '9c8b7d6f5', rps: 0, errorRatio: 0, shape: FAST, gate: ['Inconclusive', 'Inconclusive', 'Inconclusive'], background: 'Inconclusive' },
  // 0.05/s is 15 searches in the 5-minute window, under the minimum of 50.
  { name: 'trickle (fewer searches than the minimum)', hash: '5f7b9d8c6', rps: 0.05, errorRatio: 0, shape: FAST, gate: ['Inconclusive', 'Inconclusive', 'Inconclusive'], background: 'Inconclusive' },
  { name: '1 % errors: a ticket-level burn, for a person to judge', hash: '4d6f8b9c7', rps: 2, errorRatio: 0.01, shape: FAST, gate: ['Inconclusive', 'Successful', 'Inconclusive'], background: 'Inconclusive' },
];

withPrometheus('canary analysis in a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  // Stable pods: 3 pods, 10 searches/s each, 0.2 % errors, fast. They share the namespace and job with every canary.
  const stable = podSeries(pods(STABLE, 3), 10, 0.002, FAST);
  const canarySeries = CANARIES.flatMap((c) => podSeries(pods(c.hash, 1), c.rps, c.errorRatio, c.shape));

  beforeAll(async () => {
    const samples: Samples[] = [...stable, ...canarySeries].map((s) => ({ series: s.series, values: samplesOf(s.values) }));
    prometheus = await startPrometheus(samples);
  }, 60_000);
  afterAll(() => prometheus?.stop());

  /** The values a metric's query returns for a pod template hash at a minute. */
  const measure = async (metric: TemplateMetric, hash: string, minute: number) =>
    (await prometheus.query(resolveArgs(metric.provider.prometheus.query, { 'canary-hash': hash }), minute)).values;

  /** Every measurement of a run started at `from`: initialDelay, then one per interval until the data ends or the count is reached. */
  async function run(metrics: readonly TemplateMetric[], hash: string, from: number): Promise<{ phase: Phase; phases: Phase[]; byMetric: Record<string, Phase[]> }> {
    const byMetric: Record<string, Phase[]> = {};
    const phases: Phase[] = [];
    for (const m of metrics) {
      const measured: Phase[] = [];
      for (let t = from + minutes(m.initialDelay); t < DURATION && (m.count === undefined || measured.length < m.count); t += minutes(m.interval)) {
        measured.push(measurementPhase(m, await measure(m, hash, t)));
      }
      byMetric[m.name] = measured;
      phases.push(metricPhase(m, measured).phase);
    }
    return { phase: runPhase(phases), phases, byMetric };
  }

  it('every resolved query passes promtool check rules', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-promtool-'));
    try {
      const rules = [...BACKGROUND, ...GATE].map((m, i) => ({ record: `canary:${m.name.replace(/-/g, '_')}:${i}`, expr: resolveArgs(m.provider.prometheus.query, { 'canary-hash': 'abc' }) }));
      fs.writeFileSync(path.join(dir, 'rules.yaml'), toYaml({ groups: [{ name: 'canary', rules }] }));
      const result = promtool(['check', 'rules', 'rules.yaml'], dir);
      expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the stable pods are healthy: their own error and slow ratios pass', async () => {
    expect.hasAssertions();
    for (const m of BACKGROUND) {
      const values = await measure(m, STABLE, 10);
      expect(values).toHaveLength(1);
      expect(measurementPhase(m, values)).toBe('Successful');
    }
  });

  it('the queries see only the canary pods: 10 % errors stay 10 %, however healthy and busy the stable pods are', async () => {
    const [errorRatio, slowRatio] = BACKGROUND;
    expect(await measure(errorRatio, '6b9f7c5d8', 10)).toEqual([0.1]);
    expect(await measure(slowRatio, '8f6d5b7c9', 10)).toEqual([0.5]);
    // A healthy canary that has never failed has no error series at all: the ratio is 0, not "no data".
    expect(await measure(errorRatio, '7d4c8b9f6', 10)).toEqual([0]);
    expect(await measure(errorRatio, '9c8b7d6f5', 10)).toEqual([]);
  });

  it.each(CANARIES.map((c) => [c.name, c] as const))('%s: gate and background analysis', async (_name, c) => {
    const gate = await run(GATE, c.hash, 10);
    const background = await run(BACKGROUND, c.hash, 0);
    expect(GATE.map((m) => m.name)).toEqual(['error-ratio', 'slow-ratio']);
    expect({ gate: [...gate.phases, gate.phase], background: background.phase }).toEqual({ gate: c.gate, background: c.background });
    expect(gate.byMetric['error-ratio'].length).toBeGreaterThan(0);
  });

  it('the query metrics are the ones the API exports', () => {
    const names = [METRICS.searchRequests.name, `${METRICS.searchLatency.name}_bucket`, `${METRICS.searchLatency.name}_count`];
    for (const m of BACKGROUND) expect(names.some((n) => m.provider.prometheus.query.includes(`${n}{`))).toBe(true);
  });
});

/**
 * How Argo Rollouts judges an AnalysisRun, for the few constructs our
 * AnalysisTemplates use. The controller cannot run here (it needs a cluster),
 * so its rules are encoded from its source (argoproj/argo-rollouts, v1.9):
 *
 * - the Prometheus provider turns an instant-query vector into `[]float64`
 *   (metricproviders/prometheus/prometheus.go processResponse);
 * - each condition is an expr-lang expression over `result`
 *   (utils/evaluate/evaluate.go EvalCondition), and a measurement is
 *   Successful, Failed, Inconclusive or Error (EvaluateResult);
 * - a metric and a run are assessed from their measurements
 *   (analysis/analysis.go assessMetricStatus, assessMetricFailureInconclusiveOrError,
 *   assessRunStatus; utils/analysis/helpers.go IsTerminating, IsWorse).
 *
 * Conditions are parsed by a small expr-lang subset: `||`, `&&` (both
 * short-circuit, as expr-lang compiles them to conditional jumps), comparisons,
 * float literals, `len(result)`, `result[i]`, `isNaN(x)` and parentheses.
 * Anything else is refused, so a template that used more would fail its test
 * rather than be judged by rules this file does not have.
 */

export type Phase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error' | 'Running';

/** The fields of an AnalysisTemplate metric that judging uses. */
export interface MetricRules {
  readonly name: string;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly count?: number;
  readonly failureLimit?: number;
  readonly inconclusiveLimit?: number;
  readonly consecutiveErrorLimit?: number;
  readonly consecutiveSuccessLimit?: number;
}

type Value = number | boolean | readonly number[];

/** Evaluates a condition on a query result; throws as expr-lang would (index out of range, type mismatch). */
export function evalCondition(condition: string, result: readonly number[]): boolean {
  const tokens = tokenize(condition);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (t === undefined || (expected !== undefined && t !== expected)) throw new Error(`unsupported condition "${condition}": expected ${expected ?? 'more'} at token ${i}`);
    return t;
  };
  // Each parse function returns a thunk, so && and || can skip evaluating their right side.
  const or = (): (() => Value) => {
    let left = and();
    while (peek() === '||') {
      take();
      const [l, r] = [left, and()];
      left = () => asBool(l()) || asBool(r());
    }
    return left;
  };
  const and = (): (() => Value) => {
    let left = comparison();
    while (peek() === '&&') {
      take();
      const [l, r] = [left, comparison()];
      left = () => asBool(l()) && asBool(r());
    }
    return left;
  };
  const comparison = (): (() => Value) => {
    const left = operand();
    const op = peek();
    if (!['<', '<=', '>', '>=', '==', '!='].includes(op ?? '')) return left;
    take();
    const right = operand();
    return () => compare(asNumber(left()), op!, asNumber(right()));
  };
  const operand = (): (() => Value) => {
    const t = take();
    if (t === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (/^\d/.test(t)) return () => Number(t);
    if (t === 'result') {
      if (peek() !== '[') return () => result;
      take('[');
      const index = Number(take());
      take(']');
      return () => {
        if (!Number.isInteger(index) || index >= result.length) throw new Error(`index out of range: ${index} (array length is ${result.length})`);
        return result[index];
      };
    }
    if (t === 'len' || t === 'isNaN') {
      take('(');
      const arg = or();
      take(')');
      return t === 'len' ? () => (arg() as readonly number[]).length : () => Number.isNaN(asNumber(arg()));
    }
    throw new Error(`unsupported condition "${condition}": unexpected "${t}"`);
  };
  const program = or();
  if (i !== tokens.length) throw new Error(`unsupported condition "${condition}": unexpected "${peek()}"`);
  return asBool(program());
}

function tokenize(text: string): string[] {
  const tokens = text.match(/\d+(\.\d+)?([eE][-+]?\d+)?|&&|\|\||[<>=!]=|[<>()[\]]|[A-Za-z_]\w*|\S/g) ?? [];
  return tokens;
}

function asBool(v: Value): boolean {
  if (typeof v !== 'boolean') throw new Error(`expected bool, got ${JSON.stringify(v)}`);
  return v;
}

function asNumber(v: Value): number {
  if (typeof v !== 'number') throw new Error(`invalid operation: mismatched types (${JSON.stringify(v)} is not a number)`);
  return v;
}

/** Go float comparison: every comparison with NaN is false, except != . */
function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    default: return a !== b;
  }
}

/** The phase of one measurement (evaluate.go EvaluateResult); a condition that throws is an Error. */
export function measurementPhase(metric: MetricRules, result: readonly number[]): Phase {
  let success = false;
  let failure = false;
  try {
    if (metric.successCondition) success = evalCondition(metric.successCondition, result);
    if (metric.failureCondition) failure = evalCondition(metric.failureCondition, result);
  } catch {
    return 'Error';
  }
  if (!metric.successCondition && !metric.failureCondition) return 'Successful';
  if (metric.successCondition && !metric.failureCondition) failure = !success;
  if (!metric.successCondition && metric.failureCondition) success = !failure;
  if (failure) return 'Failed';
  if (!success) return 'Inconclusive';
  return 'Successful';
}

/**
 * The phase of a metric after these measurements, in order
 * (assessMetricStatus): limits are checked after each one; then
 * consecutiveSuccessLimit successes in a row succeed at once; with a count
 * (Errors are not counted) the metric ends once it is reached: Successful
 * without a consecutiveSuccessLimit, else Inconclusive (failureLimit 0 or
 * more) or Failed (failureLimit -1); without a count (background) it runs
 * on. Returns the phase and how many measurements it took to get there.
 */
export function metricPhase(metric: MetricRules, measurements: readonly Phase[]): { phase: Phase; after: number } {
  let failed = 0;
  let inconclusive = 0;
  let consecutiveErrors = 0;
  let consecutiveSuccesses = 0;
  let count = 0;
  const failureLimit = metric.failureLimit ?? 0;
  const successLimit = metric.consecutiveSuccessLimit ?? 0;
  for (let n = 1; n <= measurements.length; n++) {
    const m = measurements[n - 1];
    if (m === 'Failed') failed++;
    if (m === 'Inconclusive') inconclusive++;
    // An Error is not counted (MetricResult.Count) and breaks a run of successes.
    if (m !== 'Error') count++;
    consecutiveErrors = m === 'Error' ? consecutiveErrors + 1 : 0;
    consecutiveSuccesses = m === 'Successful' ? consecutiveSuccesses + 1 : 0;
    // Later checks win, as in assessMetricFailureInconclusiveOrError.
    let phase: Phase | undefined;
    if (failureLimit >= 0 && failed > failureLimit) phase = 'Failed';
    if (inconclusive > (metric.inconclusiveLimit ?? 0)) phase = 'Inconclusive';
    if (consecutiveErrors > (metric.consecutiveErrorLimit ?? 4)) phase = 'Error';
    if (phase) return { phase, after: n };
    if (successLimit > 0 && consecutiveSuccesses >= successLimit) return { phase: 'Successful', after: n };
    if (metric.count !== undefined && count >= metric.count) {
      if (successLimit > 0) return { phase: failureLimit >= 0 ? 'Inconclusive' : 'Failed', after: n };
      return { phase: 'Successful', after: n };
    }
  }
  return { phase: 'Running', after: measurements.length };
}

const WORST_LAST: Phase[] = ['Successful', 'Running', 'Inconclusive', 'Error', 'Failed'];

/**
 * The phase of a run from its metrics' phases: once one metric is Failed,
 * Error or Inconclusive the run terminates with the worst phase (IsTerminating,
 * assessRunStatus); otherwise it runs until every metric succeeded.
 */
export function runPhase(metrics: readonly Phase[]): Phase {
  const bad = metrics.filter((p) => p === 'Failed' || p === 'Error' || p === 'Inconclusive');
  if (bad.length > 0) return bad.reduce((a, b) => (WORST_LAST.indexOf(b) > WORST_LAST.indexOf(a) ? b : a));
  return metrics.every((p) => p === 'Successful') ? 'Successful' : 'Running';
}

/** Replaces `{{args.name}}` placeholders as the controller resolves them when it creates the AnalysisRun. */
export function resolveArgs(text: string, args: Record<string, string>): string {
  return text.replace(/\{\{\s*args\.([^}\s]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in args)) throw new Error(`args.${name} was not resolved`);
    return args[name];
  });
}

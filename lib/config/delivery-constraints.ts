import { EnvironmentSettings } from '../../config/schema';
import { LimitField, metricLimitsProblem } from '../delivery/analysis-metric-limits';
import type { KeyProblem } from './constraints';

/** Cross-key constraints of the delivery sections (Ingress, datastores, migrations). */
export function checkDelivery(env: EnvironmentSettings): KeyProblem[] {
  const violations: KeyProblem[] = [];
  if (env.ingress.enabled && env.ingress.host === undefined) {
    violations.push({ key: 'ingress.host', message: 'is required when ingress.enabled is true (e.g. "api.ai-odoofinder.dev")' });
  }
  // The Service's port is the pods' port 8000, /metrics included: published on its own it would
  // bypass the Ingress's TLS, rate limit, CORS and the internal Ingress that takes /metrics back.
  if (env.target === 'kubernetes' && env.ingress.enabled && env.service.type !== 'ClusterIP') {
    violations.push({
      key: 'service.type',
      message:
        `${env.service.type} is refused while ingress.enabled is true: it publishes the API port, /metrics included, past the Ingress (TLS, rate limit, CORS, the /metrics block). ` +
        'Leave it ClusterIP (the default), or turn the Ingress off to expose the API directly',
    });
  }
  const target = env.migrations.targetRevision;
  if (target !== undefined && target.toLowerCase() === 'base') {
    violations.push({ key: 'migrations.targetRevision', message: `"${target}" is refused: it would drop every table on every sync; give the revision to go back to` });
  }
  if (target !== undefined && /^heads?$/i.test(target)) {
    violations.push({ key: 'migrations.targetRevision', message: `"${target}" means the default ("head"): leave migrations.targetRevision out instead` });
  }
  // Argo CD retries a failed sync as a whole operation: the migration hook would run again after a failure
  // nobody has looked at (argo-cd controller/appcontroller.go; the Job itself has backoffLimit 0 for that reason).
  if (env.migrations.enabled && env.argocd.retry.limit > 0) {
    violations.push({
      key: 'argocd.retry.limit',
      message: `${env.argocd.retry.limit} is refused while migrations.enabled is true: a retry re-runs the whole sync, migration hook included, after a failure nobody has looked at. Leave it 0 (re-sync by hand after a failure), or turn the migration hook off`,
    });
  }
  violations.push(...checkCanary(env));
  return violations;
}

/** The config keys of the gate metric's fields named otherwise (the rest share their name). */
const GATE_KEYS: Partial<Record<LimitField, string>> = { count: 'gateMeasurements', consecutiveSuccessLimit: 'gateConsecutiveSuccesses' };

/** Steps that only go up, a gate Argo Rollouts accepts, and a rate window that holds at least two scrapes (rate() needs two samples). */
function checkCanary(env: EnvironmentSettings): KeyProblem[] {
  const violations: KeyProblem[] = [];
  const { steps, analysis } = env.delivery.canary;
  steps.forEach((step, i) => {
    if (i > 0 && step.weight <= steps[i - 1].weight) {
      violations.push({ key: `delivery.canary.steps.${i}.weight`, message: `is ${step.weight}, not more than the step before (${steps[i - 1].weight}): weights must increase` });
    }
  });
  // The gate's metrics as the chart renders them, judged as Argo Rollouts will (factory.go ValidateMetric).
  const gate = { count: analysis.gateMeasurements, failureLimit: analysis.failureLimit, inconclusiveLimit: analysis.inconclusiveLimit, consecutiveSuccessLimit: analysis.gateConsecutiveSuccesses, consecutiveErrorLimit: analysis.consecutiveErrorLimit, hasInterval: true };
  const refused = metricLimitsProblem(gate, GATE_KEYS);
  if (refused) {
    violations.push({
      key: `delivery.canary.analysis.${GATE_KEYS[refused.field] ?? refused.field}`,
      message: `${refused.text}: Argo Rollouts refuses such a gate (utils/analysis/factory.go ValidateMetric), its AnalysisRun is an Error and every canary aborts${refused.atLeast === undefined ? '' : `. Give at least ${refused.atLeast}`}`,
    });
  }
  const window = seconds(analysis.window);
  const scrape = seconds(env.monitoring.scrapeInterval);
  if (window !== undefined && scrape !== undefined && window < 2 * scrape) {
    violations.push({
      key: 'delivery.canary.analysis.window',
      message: `is ${analysis.window}, less than two scrapes (monitoring.scrapeInterval ${env.monitoring.scrapeInterval}): rate() needs two samples in the window`,
    });
  }
  return violations;
}

/** Seconds of a duration such as "30s", "5m" or "1h". */
function seconds(duration: string): number | undefined {
  const m = /^(\d+)(s|m|h)$/.exec(duration);
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'] : undefined;
}

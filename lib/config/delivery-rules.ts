import { EnvironmentSettings } from '../../config/schema';
import type { RuleViolation } from './rules';

/** Cross-key rules of the delivery sections (Ingress, datastores, migrations). */
export function checkDeliveryRules(env: EnvironmentSettings): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (env.ingress.enabled && env.ingress.host === undefined) {
    violations.push({ key: 'ingress.host', message: 'is required when ingress.enabled is true (e.g. "api.ai-odoofinder.dev")' });
  }
  const target = env.migrations.targetRevision;
  if (target === 'base') {
    violations.push({ key: 'migrations.targetRevision', message: '"base" is refused: it would drop every table on every sync; give the revision to go back to' });
  }
  if (target !== undefined && /^heads?$/.test(target)) {
    violations.push({ key: 'migrations.targetRevision', message: `"${target}" is the default: leave migrations.targetRevision out instead` });
  }
  // Argo CD retries a failed sync as a whole operation: the migration hook would run again after a failure
  // nobody has looked at (argo-cd controller/appcontroller.go; the Job itself has backoffLimit 0 for that reason).
  if (env.migrations.enabled && env.argocd.retry.limit > 0) {
    violations.push({
      key: 'argocd.retry.limit',
      message: `${env.argocd.retry.limit} is refused while migrations.enabled is true: a retry re-runs the whole sync, migration hook included, after a failure nobody has looked at. Leave it 0 (re-sync by hand after a failure), or turn the migration hook off`,
    });
  }
  return violations;
}

import { EnvironmentSettings } from '../../config/schema';
import type { RuleViolation } from './rules';

/** Cross-key rules of the delivery sections (Ingress, datastores, migrations). */
export function checkDeliveryRules(env: EnvironmentSettings): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (env.ingress.enabled && env.ingress.host === undefined) {
    violations.push({ key: 'ingress.host', message: 'is required when ingress.enabled is true (e.g. "api.ai-odoofinder.dev")' });
  }
  const target = env.migrations.targetRevision;
  if (target !== undefined && target.toLowerCase() === 'base') {
    violations.push({ key: 'migrations.targetRevision', message: `"${target}" is refused: it would drop every table on every sync; give the revision to go back to` });
  }
  if (target !== undefined && /^heads?$/i.test(target)) {
    violations.push({ key: 'migrations.targetRevision', message: `"${target}" means the default ("head"): leave migrations.targetRevision out instead` });
  }
  return violations;
}

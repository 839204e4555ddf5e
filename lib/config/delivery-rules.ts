import { EnvironmentSettings } from '../../config/schema';
import { REDIS } from '../datastores/constants';
import { datastoreMode } from '../delivery/settings';
import type { RuleViolation } from './rules';

/** Cross-key rules of the delivery sections (Ingress, datastores, migrations). */
export function checkDeliveryRules(env: EnvironmentSettings): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (env.ingress.enabled && env.ingress.host === undefined) {
    violations.push({ key: 'ingress.host', message: 'is required when ingress.enabled is true (e.g. "api.ai-odoofinder.dev")' });
  }
  if (datastoreMode(env) === 'external' && env.secrets.redisUrl === undefined && new URL(env.app.redisUrl).hostname === REDIS.name) {
    violations.push({
      key: 'secrets.redisUrl',
      message: `is required when datastores.mode is "external": REDIS_URL would be ${env.app.redisUrl}, the in-cluster Redis, which that mode does not render; give the Secret (name and key) holding the managed Redis URL`,
    });
  }
  const target = env.migrations.targetRevision;
  if (target === 'base') {
    violations.push({ key: 'migrations.targetRevision', message: '"base" is refused: it would drop every table on every sync; give the revision to go back to' });
  }
  if (target !== undefined && /^heads?$/.test(target)) {
    violations.push({ key: 'migrations.targetRevision', message: `"${target}" is the default: leave migrations.targetRevision out instead` });
  }
  return violations;
}

import { EnvironmentSettings } from '../../config/schema';
import { checkDeliveryRules } from './delivery-rules';
import { checkMonitoringRules } from './monitoring-rules';
import { parseQuantity } from './quantity';
import { checkTargetRules } from './target-rules';

/** A rule that spans several keys, which JSON Schema cannot say. */
export interface RuleViolation {
  readonly key: string;
  readonly message: string;
}

/**
 * Checks that need more than one key, or the tier. The schema has already checked types and formats.
 * `written` is the file as written, before defaults (some keys are refused only when written).
 */
export function checkEnvironmentRules(env: EnvironmentSettings, written: unknown = {}): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const { autoscaling, resources, image } = env;

  if (autoscaling.minReplicas > autoscaling.maxReplicas) {
    violations.push({
      key: 'autoscaling.minReplicas',
      message: `is ${autoscaling.minReplicas}, more than autoscaling.maxReplicas (${autoscaling.maxReplicas})`,
    });
  }
  for (const resource of ['cpu', 'memory'] as const) {
    const request = parseQuantity(resources.requests[resource]);
    const limit = parseQuantity(resources.limits[resource]);
    if (request !== undefined && limit !== undefined && request > limit) {
      violations.push({
        key: `resources.requests.${resource}`,
        message: `is ${resources.requests[resource]}, more than resources.limits.${resource} (${resources.limits[resource]})`,
      });
    }
  }
  if (env.tier !== 'production' && image.tag === undefined && image.digest === undefined) {
    violations.push({ key: 'image.tag', message: 'is missing: give image.tag (e.g. "1.4.2") or image.digest, so every sync deploys the same image' });
  }
  if (env.tier === 'production') {
    if (image.tag === undefined) {
      violations.push({ key: 'image.tag', message: 'is required in production: the tag is the version reviewers and the version label see' });
    } else if (image.tag === 'latest') {
      violations.push({ key: 'image.tag', message: '"latest" is refused in production: pin a release tag such as "1.4.2"' });
    }
  }
  if (env.namespace === 'default') {
    violations.push({ key: 'namespace', message: '"default" is refused: give the environment a namespace of its own' });
  }
  violations.push(...checkDeliveryRules(env), ...checkMonitoringRules(env), ...checkTargetRules(env, written));
  return violations;
}

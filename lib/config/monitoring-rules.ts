import { EnvironmentSettings } from '../../config/schema';
import { businessHoursProblems } from '../monitoring/business-hours';
import type { RuleViolation } from './rules';

/** Cross-key rules of the monitoring section. */
export function checkMonitoringRules(env: EnvironmentSettings): RuleViolation[] {
  const prefix = 'monitoring.alertmanager.businessHours';
  return businessHoursProblems(env.monitoring.alertmanager.businessHours).map((p) => ({ key: `${prefix}.${p.key}`, message: p.message }));
}

import { EnvironmentSettings } from '../../config/schema';
import { businessHoursProblems } from '../monitoring/business-hours';
import type { KeyProblem } from './constraints';

/** Cross-key constraints of the monitoring section. */
export function checkMonitoring(env: EnvironmentSettings): KeyProblem[] {
  const prefix = 'monitoring.alertmanager.businessHours';
  return businessHoursProblems(env.monitoring.alertmanager.businessHours).map((p) => ({ key: `${prefix}.${p.key}`, message: p.message }));
}

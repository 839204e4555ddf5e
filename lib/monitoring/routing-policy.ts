import type { Environment } from '../../config/schema';
import { AlertSpec, Level, severityOf } from './alert-spec';

/**
 * The receivers a level can go to, named as in the AlertmanagerConfig (the
 * operator prefixes them with `<namespace>/<config name>/`):
 * `paging` PagerDuty, `team-lead` the team lead's Slack channel, `ticket` the
 * ticket Slack channel, `none` nobody.
 */
export const RECEIVER_CHOICES = ['paging', 'team-lead', 'ticket', 'none'] as const;
export type ReceiverChoice = (typeof RECEIVER_CHOICES)[number];

/**
 * The level given to alerts that carry none (rules other than ours in the
 * namespace, such as kube-prometheus-stack's Kube* alerts), by severity: a
 * critical one is treated as P2 (it notifies someone at once but pages nobody
 * on an unknown rule), a warning as P3. Other severities notify nobody.
 */
export const UNLEVELLED_SEVERITY_LEVEL = { critical: 'P2', warning: 'P3' } as const satisfies Record<string, Level>;

/** Levels whose notifications wait for business hours (`monitoring.alertmanager.businessHours`). */
export const BUSINESS_HOURS_LEVELS: readonly Level[] = ['P4'];

/**
 * The receiver an alert reaches in an environment: `monitoring.alertmanager.levels`,
 * which the loader completes with the tier's defaults (lib/config/tier-policy.ts).
 */
export function receiverOf(env: Pick<Environment, 'monitoring'>, alert: Pick<AlertSpec, 'level'>): ReceiverChoice {
  return env.monitoring.alertmanager.levels[alert.level];
}

/**
 * The inhibition policy: a firing `source` mutes `target` exactly when both
 * belong to the same problem, the source notifies at once (P1/P2, severity
 * critical) and the target can wait (P3/P4, severity warning). Alerts of
 * other problems are never muted. (Both must be in the same namespace, which
 * catalog alerts of one environment always are.)
 */
export function mutes(source: Pick<AlertSpec, 'level' | 'problem'>, target: Pick<AlertSpec, 'level' | 'problem'>): boolean {
  return source.problem === target.problem && severityOf(source.level) === 'critical' && severityOf(target.level) === 'warning';
}

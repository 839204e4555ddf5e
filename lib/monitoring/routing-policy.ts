import type { EnvironmentSettings } from '../../config/schema';
import { AlertSpec, Level, LEVEL_NAMES, LEVELS, severityOf } from './alert-spec';

/**
 * The receivers a level can go to, named as in the AlertmanagerConfig (the
 * operator prefixes them with `<namespace>/<config name>/`):
 * `paging` PagerDuty, `team-lead` the team lead's Slack channel, `ticket` the
 * ticket Slack channel, `none` nobody.
 */
export const RECEIVER_CHOICES = ['paging', 'team-lead', 'ticket', 'none'] as const;
export type ReceiverChoice = (typeof RECEIVER_CHOICES)[number];

/**
 * Where each level goes by default (SPEC-404's playbook): in production P1
 * pages, P2 notifies the team lead, P3 and P4 make tickets (P4 in business
 * hours only). Elsewhere everything makes a ticket, so a broken staging never
 * wakes or pings anyone and needs neither a PagerDuty key nor a team-lead webhook.
 */
export const DEFAULT_LEVEL_RECEIVERS = {
  production: { P1: 'paging', P2: 'team-lead', P3: 'ticket', P4: 'ticket' },
  other: { P1: 'ticket', P2: 'ticket', P3: 'ticket', P4: 'ticket' },
} as const satisfies Record<string, Record<Level, ReceiverChoice>>;

/**
 * The level given to alerts that carry none (rules other than ours in the
 * namespace, such as kube-prometheus-stack's Kube* alerts), by severity: a
 * critical one is treated as P2 (it notifies someone at once but pages nobody
 * on an unknown rule), a warning as P3. Other severities notify nobody.
 */
export const UNLEVELLED_SEVERITY_LEVEL = { critical: 'P2', warning: 'P3' } as const satisfies Record<string, Level>;

/** Levels whose notifications wait for business hours (`monitoring.alertmanager.businessHours`). */
export const BUSINESS_HOURS_LEVELS: readonly Level[] = ['P4'];

/** The receiver of every level in an environment: its tier's defaults, then `monitoring.alertmanager.levels`. */
export function levelReceivers(env: Pick<EnvironmentSettings, 'tier' | 'monitoring'>): Record<Level, ReceiverChoice> {
  const defaults = env.tier === 'production' ? DEFAULT_LEVEL_RECEIVERS.production : DEFAULT_LEVEL_RECEIVERS.other;
  const configured = env.monitoring.alertmanager.levels ?? {};
  return Object.fromEntries(LEVEL_NAMES.map((level) => [level, configured[level] ?? defaults[level]])) as Record<Level, ReceiverChoice>;
}

/** The receiver an alert reaches in an environment. */
export function receiverOf(env: Pick<EnvironmentSettings, 'tier' | 'monitoring'>, alert: Pick<AlertSpec, 'level'>): ReceiverChoice {
  return levelReceivers(env)[alert.level];
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

/** "P1 (Critical)". */
export function levelTitle(level: Level): string {
  return `${level} (${LEVELS[level].name})`;
}

import { ALERT_CATALOG as ALERTS } from '../../../lib/monitoring/catalog';
import { Notification } from './webhook-recorder';
import { DistEnvironment, RuleGroupObject } from './environment';
import { ScenarioRecord, Fault } from './scenario';

/*
 * The checks of `npm run e2e`, as functions that return problems (empty: fine),
 * so that the harness' own test can show that they catch a broken rule or panel.
 */

/** Every group and rule of `expected` is loaded, and healthy. */
export function ruleProblems(record: ScenarioRecord, expected: readonly RuleGroupObject[]): string[] {
  const problems: string[] = [];
  for (const g of expected) {
    const loaded = record.rules.find((l) => l.name === g.name);
    if (!loaded) {
      problems.push(`rule group ${g.name} is not loaded`);
      continue;
    }
    for (const r of g.rules) {
      const name = r.alert ?? r.record!;
      const l = loaded.rules.find((x) => x.name === name);
      if (!l) problems.push(`${g.name}: rule ${name} is not loaded`);
      else if (l.health !== 'ok') problems.push(`${g.name}: rule ${name} is ${l.health}${l.lastError ? `: ${l.lastError}` : ''}`);
    }
  }
  return problems;
}

/** A panel query's outcome against the live Prometheus. */
export interface PanelResult {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly series: number;
  readonly error?: string;
}

/**
 * Queries that are empty by nature while nothing is wrong: the breakdown of
 * firing alerts (Prometheus has no ALERTS series then; the panel's `all`
 * line reads 0). The e2e checks them under a fault instead.
 */
const EMPTY_WHEN_HEALTHY: readonly { panel: string; refId: string }[] = [{ panel: 'Firing alerts by level and problem', refId: 'A' }];

/** Every query answers without error, and returns data unless it is one of `emptyAllowed`. */
export function panelProblems(results: readonly PanelResult[], emptyAllowed: readonly { panel: string; refId: string }[] = EMPTY_WHEN_HEALTHY): string[] {
  const allowed = (r: PanelResult) => emptyAllowed.some((e) => e.panel === r.panel && e.refId === r.refId);
  return results
    .filter((r) => r.error || (r.series === 0 && !allowed(r)))
    .map((r) => `panel "${r.panel}" query ${r.refId} ${r.error ? `failed: ${r.error}` : 'returns no data'}: ${r.expr}`);
}

/** Nothing pending or firing under healthy traffic. */
export function healthyProblems(record: ScenarioRecord): string[] {
  return record.healthyAlerts.map((a) => `${a.labels.alertname} is ${a.state} under healthy traffic (value ${a.value})`);
}

/** The fault made exactly its alerts pending and then firing. */
export function faultProblems(record: ScenarioRecord, fault: Fault): string[] {
  const problems: string[] = [];
  for (const a of fault.alerts) {
    const t = record.timeline[a];
    if (t?.pending === undefined) problems.push(`${a} never became pending after the fault "${fault.name}"`);
    else if (t.firing === undefined) problems.push(`${a} was pending but never fired after the fault "${fault.name}"`);
  }
  for (const a of Object.keys(record.timeline)) if (!fault.alerts.includes(a)) problems.push(`${a} became ${record.timeline[a].firing !== undefined ? 'firing' : 'pending'} after the fault "${fault.name}", which should not cause it`);
  return problems;
}

/** A notification's receiver (from the Secret value or URL it used) and its alert (from its text). */
export interface Delivery {
  readonly alert: string;
  readonly receivers: string[];
  readonly at: number;
}

const alertNames = () => ALERTS.map((a) => a.name);

/** Firing notifications only, attributed to the receivers of the generated alertmanager.yml. */
export function deliveries(record: ScenarioRecord, recorderUrl = ''): Delivery[] {
  const yaml = record.alertmanagerYaml as { receivers: { name: string; pagerduty_configs?: { routing_key: string }[]; slack_configs?: { api_url: string; channel?: string }[] }[] };
  const receiversOf = (n: Notification) =>
    yaml.receivers
      .filter((r) =>
        n.path.startsWith('/pagerduty')
          ? r.pagerduty_configs?.some((c) => c.routing_key === n.body.routing_key)
          : r.slack_configs?.some((c) => c.api_url.endsWith(n.path) && (c.api_url.startsWith(recorderUrl) || recorderUrl === '') && (c.channel ?? '') === (n.body.channel ?? '')),
      )
      .map((r) => r.name);
  const firing = (n: Notification) => (n.path.startsWith('/pagerduty') ? n.body.event_action === 'trigger' : JSON.stringify(n.body).includes('[FIRING'));
  return record.notifications.filter(firing).map((n) => {
    const text = JSON.stringify(n.body);
    const mentioned = alertNames().filter((a) => new RegExp(`\\b${a}\\b`).test(text));
    return { alert: mentioned.length === 1 ? mentioned[0] : `ambiguous(${mentioned.join('|')})`, receivers: receiversOf(n), at: n.at };
  });
}

export interface RoutingPolicy {
  /** The full receiver name (`<namespace>/<config>/<receiver>`) an alert firing at `at` must reach, or undefined when it must notify nobody then. */
  receiver(alert: string, at: Date): string | undefined;
  /** Does a firing `source` mute `target`? */
  mutes(source: string, target: string): boolean;
}

/**
 * Each firing alert that no firing alert mutes reached exactly its receiver;
 * each muted one is suppressed in Alertmanager and was not delivered after
 * its muting alert fired.
 */
export function deliveryProblems(record: ScenarioRecord, policy: RoutingPolicy): string[] {
  const problems: string[] = [];
  const delivered = deliveries(record);
  const firing = Object.keys(record.timeline).filter((a) => record.timeline[a].firing !== undefined);
  for (const d of delivered) if (d.receivers.length !== 1) problems.push(`a notification for ${d.alert} matches ${d.receivers.length} receivers (${d.receivers.join(', ')})`);
  for (const alert of firing) {
    const muters = firing.filter((s) => s !== alert && policy.mutes(s, alert));
    const am = record.alertmanagerAlerts.find((a) => a.labels.alertname === alert);
    const got = delivered.filter((d) => d.alert === alert);
    if (!am) {
      problems.push(`${alert} fired in Prometheus but never reached Alertmanager`);
      continue;
    }
    if (muters.length) {
      if (am.status.state !== 'suppressed' || am.status.inhibitedBy.length === 0) problems.push(`${alert} should be muted by ${muters.join(', ')} but Alertmanager has it ${am.status.state}`);
      const mutedSince = Math.min(...muters.map((m) => record.faultAt! + record.timeline[m].firing!)) + 2_000;
      const late = got.filter((d) => d.at > mutedSince + 30_000);
      if (late.length) problems.push(`${alert} was delivered after ${muters.join(', ')} fired, which mutes it`);
      continue;
    }
    if (am.status.state === 'suppressed') problems.push(`${alert} is muted (by ${am.status.inhibitedBy.length} alert(s)) though no firing alert should mute it`);
    const firedAt = new Date(record.faultAt! + record.timeline[alert].firing!);
    const want = policy.receiver(alert, firedAt);
    // A notification held for business hours could go out if the run crossed their start: no verdict then.
    if (want !== policy.receiver(alert, new Date(record.endedAt))) continue;
    const to = [...new Set(got.flatMap((d) => d.receivers))];
    if (want === undefined && to.length) problems.push(`${alert} should notify nobody but reached ${to.join(', ')}`);
    if (want !== undefined && (to.length !== 1 || to[0] !== want)) problems.push(`${alert} should reach ${want} and only it, but reached ${to.length ? to.join(', ') : 'nobody'}`);
  }
  return problems;
}

/** Does a healthy-run `DistEnvironment` render this alert? (Database alerts exist only where datastores are monitored.) */
export function rendersAlert(env: DistEnvironment, alert: string): boolean {
  return env.ruleGroups.some((g) => g.rules.some((r) => r.alert === alert));
}

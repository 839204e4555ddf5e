import { findTool, missingToolMessage } from '../../support/tools';

/** The AlertmanagerConfig spec as synthesized (the fields this project and the upstream fixtures set), in CRD field names. */
export interface AlertmanagerConfigSpec {
  route?: Route;
  receivers?: ({ name: string } & Record<string, unknown>)[];
  inhibitRules?: { sourceMatch?: Matcher[]; targetMatch?: Matcher[]; equal?: string[] }[];
  muteTimeIntervals?: { name: string; timeIntervals: TimeInterval[] }[];
}
export interface Route {
  receiver?: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  continue?: boolean;
  matchers?: Matcher[];
  activeTimeIntervals?: string[];
  muteTimeIntervals?: string[];
  routes?: Route[];
}
export interface Matcher {
  name: string;
  value?: string;
  matchType: string;
}
interface TimeInterval {
  times?: { startTime: string; endTime: string }[];
  weekdays?: string[];
  daysOfMonth?: { start: number; end: number }[];
  months?: string[];
  years?: string[];
}

/** An alertmanager.yml, as far as routing and inhibition go. */
export interface AlertmanagerYml {
  route: AmRoute;
  receivers: { name: string; [integration: string]: unknown }[];
  inhibit_rules?: { source_matchers?: string[]; target_matchers?: string[]; equal?: string[] }[];
  mute_time_intervals?: { name: string; time_intervals: object[] }[];
  [key: string]: unknown;
}
export interface AmRoute {
  receiver: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  matchers?: string[];
  continue?: boolean;
  active_time_intervals?: string[];
  mute_time_intervals?: string[];
  routes?: AmRoute[];
}

/** amtool on PATH, or undefined (with CI=true its absence throws, like promtool). */
export const findAmtool = (): string | undefined => findTool('amtool');

export const AMTOOL_HELP = missingToolMessage('amtool', 'the Alertmanager routing tests are SKIPPED');

/**
 * The cluster's own configuration our AlertmanagerConfig is merged into: the
 * default `alertmanager.config` of kube-prometheus-stack 88.5.3
 * (prometheus-community/helm-charts, charts/kube-prometheus-stack/values.yaml),
 * without its `templates` glob (no effect on routing or inhibition). Its
 * inhibit rules take part in the inhibition tests, so they also prove that
 * the cluster's defaults do not mute our alerts.
 */
export const KUBE_PROMETHEUS_STACK_BASE: AlertmanagerYml = {
  global: { resolve_timeout: '5m' },
  inhibit_rules: [
    { source_matchers: ['severity = critical'], target_matchers: ['severity =~ warning|info'], equal: ['namespace', 'alertname'] },
    { source_matchers: ['severity = warning'], target_matchers: ['severity = info'], equal: ['namespace', 'alertname'] },
    { source_matchers: ['alertname = InfoInhibitor'], target_matchers: ['severity = info'], equal: ['namespace'] },
    { target_matchers: ['alertname = InfoInhibitor'] },
  ],
  route: {
    group_by: ['namespace'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '12h',
    receiver: 'null',
    routes: [{ receiver: 'null', matchers: ['alertname = "Watchdog"'] }],
  },
  receivers: [{ name: 'null' }],
};

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * The alertmanager.yml the operator (v0.93, Alertmanager >= 0.22, default
 * OnNamespace matcher strategy) generates from one AlertmanagerConfig merged
 * into `base`, following prometheus-operator pkg/alertmanager/amcfg.go:
 * - AddAlertmanagerConfigs: the config's inhibit rules, receivers and time
 *   intervals are appended to the base's; its route goes first among the
 *   root's child routes.
 * - convertRoute / makeNamespacedString: receiver and time-interval names
 *   become `<ns>/<name>/<x>`; convertMatchersV2 writes matchers as
 *   `name<op>"value"` (v1alpha1 Matcher.String).
 * - continueToNextRoute + namespaceEnforcer.processRoute: the top route gets
 *   `continue: true` and a `namespace="<ns>"` matcher appended.
 * - namespaceEnforcer.processInhibitRule: `namespace="<ns>"` appended to
 *   both sides of every inhibit rule.
 * - convertMuteTimeInterval: time intervals go to `mute_time_intervals`
 *   (Alertmanager's timeinterval types, marshalled: lowercase weekdays,
 *   month numbers, `start:end` day ranges).
 * Integrations are reduced to placeholders with fake credentials: this file
 * is for amtool and the inhibition model, never for a real Alertmanager with
 * real receivers. Checked against the operator's own golden files in
 * alertmanager.test.ts.
 */
export function operatorEquivalent(spec: AlertmanagerConfigSpec, namespace: string, name: string, base: AlertmanagerYml = KUBE_PROMETHEUS_STACK_BASE): AlertmanagerYml {
  const prefix = (r: string) => `${namespace}/${name}/${r}`;
  const namespaceMatcher = `namespace="${namespace}"`;
  const matchers = (ms: Matcher[] = []) => ms.map((m) => `${m.name}${m.matchType}"${openMetricsEscape(m.value ?? '')}"`);
  const route = (r: Route, top: boolean): AmRoute => {
    const ms = [...matchers(r.matchers), ...(top ? [namespaceMatcher] : [])];
    return {
      receiver: r.receiver ? prefix(r.receiver) : '',
      ...(r.groupBy ? { group_by: r.groupBy } : {}),
      ...(r.groupWait ? { group_wait: r.groupWait } : {}),
      ...(r.groupInterval ? { group_interval: r.groupInterval } : {}),
      ...(r.repeatInterval ? { repeat_interval: r.repeatInterval } : {}),
      ...(ms.length > 0 ? { matchers: ms } : {}),
      ...(top || r.continue ? { continue: true } : {}),
      ...(r.routes ? { routes: r.routes.map((c) => route(c, false)) } : {}),
      ...(r.muteTimeIntervals ? { mute_time_intervals: r.muteTimeIntervals.map(prefix) } : {}),
      ...(r.activeTimeIntervals ? { active_time_intervals: r.activeTimeIntervals.map(prefix) } : {}),
    };
  };
  const receiver = (r: NonNullable<AlertmanagerConfigSpec['receivers']>[number]) => ({
    name: prefix(r.name),
    ...(r.pagerdutyConfigs ? { pagerduty_configs: [{ routing_key: 'placeholder-routing-key', send_resolved: true }] } : {}),
    ...(r.slackConfigs ? { slack_configs: [{ api_url: 'https://slack.invalid/placeholder', channel: (r.slackConfigs as { channel: string }[])[0].channel, send_resolved: true }] } : {}),
  });
  const timeInterval = (t: TimeInterval) => ({
    ...(t.times ? { times: t.times.map((x) => ({ start_time: x.startTime, end_time: x.endTime })) } : {}),
    ...(t.weekdays ? { weekdays: t.weekdays.map((d) => d.toLowerCase()) } : {}),
    ...(t.daysOfMonth ? { days_of_month: t.daysOfMonth.map((d) => `${d.start}:${d.end}`) } : {}),
    ...(t.months ? { months: t.months.map((m) => m.split(':').map((x) => (/^\d+$/.test(x) ? x : String(MONTHS.indexOf(x.toLowerCase()) + 1))).join(':')) } : {}),
    ...(t.years ? { years: t.years } : {}),
  });
  const inhibitRules = (spec.inhibitRules ?? []).map((i) => ({
    source_matchers: [...matchers(i.sourceMatch), namespaceMatcher],
    target_matchers: [...matchers(i.targetMatch), namespaceMatcher],
    ...(i.equal ? { equal: i.equal } : {}),
  }));
  const intervals = (spec.muteTimeIntervals ?? []).map((m) => ({ name: prefix(m.name), time_intervals: m.timeIntervals.map(timeInterval) }));
  const routes = [...(spec.route ? [route(spec.route, true)] : []), ...(base.route.routes ?? [])];
  return {
    ...base,
    route: { ...base.route, ...(routes.length > 0 ? { routes } : {}) },
    receivers: [...base.receivers, ...(spec.receivers ?? []).map(receiver)],
    ...(base.inhibit_rules || inhibitRules.length > 0 ? { inhibit_rules: [...(base.inhibit_rules ?? []), ...inhibitRules] } : {}),
    ...(base.mute_time_intervals || intervals.length > 0 ? { mute_time_intervals: [...(base.mute_time_intervals ?? []), ...intervals] } : {}),
  };
}

/** Escapes `\`, `"` and newlines the way the operator's and Alertmanager's Matcher.String do (openMetricsEscape). */
function openMetricsEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

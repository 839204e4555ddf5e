/**
 * The alertmanager.yml that prometheus-operator generates from one
 * AlertmanagerConfig merged into a base configuration (the Alertmanager's own
 * Secret): the one translation used by the amtool and inhibition tests
 * (`operatorEquivalent`, placeholder credentials) and by the live
 * Alertmanager of `npm run e2e` (real receivers, Secret values given).
 *
 * Source: prometheus-operator v0.93 `pkg/alertmanager/amcfg.go` (Alertmanager
 * >= 0.22, default OnNamespace matcher strategy):
 * - AddAlertmanagerConfigs: the config's inhibit rules, receivers and time
 *   intervals are appended to the base's; its route goes first among the
 *   root's child routes.
 * - convertRoute / makeNamespacedString: receiver and time-interval names
 *   become `<ns>/<name>/<x>`; convertMatchersV2 writes matchers as
 *   `name<op>"value"` (v1alpha1 Matcher.String, openMetricsEscape).
 * - continueToNextRoute + namespaceEnforcer.processRoute: the top route gets
 *   `continue: true` and a `namespace="<ns>"` matcher appended (even when it
 *   has one already).
 * - namespaceEnforcer.processInhibitRule: `namespace="<ns>"` appended to
 *   both sides of every inhibit rule, unless that side has it already.
 * - getEnforcer: with `alertmanagerConfigMatcherStrategy: None` (option
 *   `matcherStrategy`), the noopEnforcer adds no namespace matcher at all;
 *   the top route still gets `continue: true`.
 * - convertMuteTimeInterval: time intervals go to `mute_time_intervals`
 *   (Alertmanager's timeinterval types, marshalled: lowercase weekdays,
 *   month numbers, `start:end` day ranges).
 * - convertPagerdutyConfig, convertSlackConfig, convertWebhookConfig: Secret
 *   references become the Secret's value. With real receivers, integrations
 *   and fields this project does not use are refused rather than dropped.
 * Checked against the operator's own golden files in alertmanager.amtool.test.ts.
 */

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

/** An alertmanager.yml, as far as routing, inhibition and receivers go. */
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

/** A key of a Secret in the AlertmanagerConfig's namespace. */
export interface SecretKeySelector {
  name: string;
  key: string;
}
/** The value of a Secret key, as the operator reads it from the cluster. */
export type SecretResolver = (ref: SecretKeySelector) => string;

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

/** Escapes `\`, `"` and newlines the way the operator's and Alertmanager's Matcher.String do (openMetricsEscape). */
function openMetricsEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

const PAGERDUTY_FIELDS: Record<string, string> = {
  sendResolved: 'send_resolved',
  url: 'url',
  description: 'description',
  severity: 'severity',
  class: 'class',
  client: 'client',
  clientURL: 'client_url',
  component: 'component',
  group: 'group',
  source: 'source',
};
const SLACK_FIELDS: Record<string, string> = {
  sendResolved: 'send_resolved',
  channel: 'channel',
  username: 'username',
  color: 'color',
  title: 'title',
  titleLink: 'title_link',
  pretext: 'pretext',
  text: 'text',
  footer: 'footer',
  fallback: 'fallback',
  iconEmoji: 'icon_emoji',
  iconURL: 'icon_url',
  linkNames: 'link_names',
  mrkdwnIn: 'mrkdwn_in',
};

function copyFields(receiver: string, integration: string, config: Record<string, unknown>, fields: Record<string, string>, secretFields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key in fields) out[fields[key]] = value;
    else if (!secretFields.includes(key)) throw new Error(`receiver ${receiver}: ${integration}.${key} is not translated`);
  }
  return out;
}

/** A receiver with its integrations converted, Secret values filled in. */
function convertReceiver(r: { name: string } & Record<string, unknown>, prefix: (s: string) => string, secret: SecretResolver): AlertmanagerYml['receivers'][number] {
  const known = new Set(['name', 'pagerdutyConfigs', 'slackConfigs', 'webhookConfigs']);
  const unknown = Object.keys(r).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`receiver ${r.name}: ${unknown.join(', ')} not translated`);
  const configs = (k: string) => r[k] as Record<string, unknown>[] | undefined;
  return {
    name: prefix(r.name),
    ...(configs('pagerdutyConfigs')
      ? {
          pagerduty_configs: configs('pagerdutyConfigs')!.map((c) => {
            const details = c.details as { key: string; value: string }[] | undefined;
            return {
              ...copyFields(r.name, 'pagerdutyConfigs', c, PAGERDUTY_FIELDS, ['routingKey', 'serviceKey', 'details']),
              ...(c.routingKey ? { routing_key: secret(c.routingKey as SecretKeySelector) } : {}),
              ...(c.serviceKey ? { service_key: secret(c.serviceKey as SecretKeySelector) } : {}),
              ...(details ? { details: Object.fromEntries(details.map((d) => [d.key, d.value])) } : {}),
            };
          }),
        }
      : {}),
    ...(configs('slackConfigs')
      ? {
          slack_configs: configs('slackConfigs')!.map((c) => ({
            ...copyFields(r.name, 'slackConfigs', c, SLACK_FIELDS, ['apiURL']),
            ...(c.apiURL ? { api_url: secret(c.apiURL as SecretKeySelector) } : {}),
          })),
        }
      : {}),
    ...(configs('webhookConfigs')
      ? {
          webhook_configs: configs('webhookConfigs')!.map((c) => ({
            ...copyFields(r.name, 'webhookConfigs', c, { sendResolved: 'send_resolved', url: 'url', maxAlerts: 'max_alerts' }, ['urlSecret']),
            ...(c.urlSecret ? { url: secret(c.urlSecret as SecretKeySelector) } : {}),
          })),
        }
      : {}),
  };
}

/** Integrations reduced to placeholders with fake credentials: enough for amtool and the inhibition model, never for a real Alertmanager. */
function placeholderReceiver(r: { name: string } & Record<string, unknown>, prefix: (s: string) => string): AlertmanagerYml['receivers'][number] {
  return {
    name: prefix(r.name),
    ...(r.pagerdutyConfigs ? { pagerduty_configs: [{ routing_key: 'placeholder-routing-key', send_resolved: true }] } : {}),
    ...(r.slackConfigs ? { slack_configs: [{ api_url: 'https://slack.invalid/placeholder', channel: (r.slackConfigs as { channel: string }[])[0].channel, send_resolved: true }] } : {}),
  };
}

/**
 * The generated alertmanager.yml. Without `secrets`, receivers get
 * placeholder credentials; with it, they are converted in full and every
 * Secret reference takes the value `secrets` gives.
 */
export function operatorAlertmanagerConfig(
  spec: AlertmanagerConfigSpec,
  namespace: string,
  name: string,
  options: { base?: AlertmanagerYml; secrets?: SecretResolver; matcherStrategy?: 'OnNamespace' | 'None' } = {},
): AlertmanagerYml {
  const base = options.base ?? KUBE_PROMETHEUS_STACK_BASE;
  const prefix = (r: string) => `${namespace}/${name}/${r}`;
  const enforced = (options.matcherStrategy ?? 'OnNamespace') === 'OnNamespace' ? [`namespace="${namespace}"`] : [];
  const matchers = (ms: Matcher[] = []) => ms.map((m) => `${m.name}${m.matchType}"${openMetricsEscape(m.value ?? '')}"`);
  const withEnforced = (ms: string[]) => [...ms, ...enforced.filter((m) => !ms.includes(m))];
  const route = (r: Route, top: boolean): AmRoute => {
    const ms = [...matchers(r.matchers), ...(top ? enforced : [])];
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
  const receiver = (r: NonNullable<AlertmanagerConfigSpec['receivers']>[number]) => (options.secrets ? convertReceiver(r, prefix, options.secrets) : placeholderReceiver(r, prefix));
  const timeInterval = (t: TimeInterval) => ({
    ...(t.times ? { times: t.times.map((x) => ({ start_time: x.startTime, end_time: x.endTime })) } : {}),
    ...(t.weekdays ? { weekdays: t.weekdays.map((d) => d.toLowerCase()) } : {}),
    ...(t.daysOfMonth ? { days_of_month: t.daysOfMonth.map((d) => `${d.start}:${d.end}`) } : {}),
    ...(t.months ? { months: t.months.map((m) => m.split(':').map((x) => (/^\d+$/.test(x) ? x : String(MONTHS.indexOf(x.toLowerCase()) + 1))).join(':')) } : {}),
    ...(t.years ? { years: t.years } : {}),
  });
  const inhibitRules = (spec.inhibitRules ?? []).map((i) => {
    const [source, target] = [withEnforced(matchers(i.sourceMatch)), withEnforced(matchers(i.targetMatch))];
    return { ...(source.length ? { source_matchers: source } : {}), ...(target.length ? { target_matchers: target } : {}), ...(i.equal ? { equal: i.equal } : {}) };
  });
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

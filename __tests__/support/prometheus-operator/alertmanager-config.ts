/**
 * The alertmanager.yml that prometheus-operator generates from one
 * AlertmanagerConfig, merged into a base configuration (the Alertmanager's own
 * Secret). Used by the amtool routing tests and by the live Alertmanager of
 * `npm run e2e`.
 *
 * Source: prometheus-operator v0.93 `pkg/alertmanager/amcfg.go`:
 * - `AddAlertmanagerConfigs`: the config's route becomes a child of the base
 *   root route, placed before the base's own children; its inhibit rules are
 *   appended to the base's; its receivers are added.
 * - `getEnforcer` (default strategy OnNamespace, Alertmanager ≥ 0.22):
 *   `namespaceEnforcer.processRoute` appends `namespace="<ns>"` to the top
 *   route's matchers, `processInhibitRule` to both sides of every inhibit rule;
 *   `continueToNextRoute` sets `continue: true` on the top route.
 * - `convertRoute`, `makeNamespacedString`: receivers are `<ns>/<name>/<receiver>`.
 * - `Matcher.String()` (apis/monitoring/v1alpha1): `name<op>"value"`.
 * - `convertPagerdutyConfig`, `convertSlackConfig`, `convertWebhookConfig`:
 *   Secret references are replaced by the Secret's value.
 * Integrations this project does not use are refused rather than half-translated.
 */

export interface Matcher {
  name: string;
  value: string;
  matchType?: string;
  regex?: boolean;
}

export interface Route {
  receiver?: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  matchers?: Matcher[];
  continue?: boolean;
  routes?: Route[];
}

export interface SecretKeySelector {
  name: string;
  key: string;
}

export interface Receiver {
  name: string;
  pagerdutyConfigs?: Record<string, unknown>[];
  slackConfigs?: Record<string, unknown>[];
  webhookConfigs?: Record<string, unknown>[];
  [integration: string]: unknown;
}

/** The AlertmanagerConfig spec (the fields this project sets). */
export interface AlertmanagerConfigSpec {
  route: Route;
  receivers: Receiver[];
  inhibitRules?: { sourceMatch?: Matcher[]; targetMatch?: Matcher[]; equal?: string[] }[];
}

/** The value of a key of a Secret in the AlertmanagerConfig's namespace. */
export type SecretResolver = (ref: SecretKeySelector) => string;

/** The Alertmanager's own configuration before the operator adds AlertmanagerConfigs. */
export interface BaseConfig {
  global?: Record<string, unknown>;
  route: Record<string, unknown> & { receiver: string; routes?: unknown[] };
  receivers: Record<string, unknown>[];
  inhibit_rules?: unknown[];
}

/** A root whose default receiver notifies nobody, like kube-prometheus-stack's "null". */
export const MINIMAL_BASE: BaseConfig = { route: { receiver: 'global-default' }, receivers: [{ name: 'global-default' }] };

/** Placeholder Secret values (amtool only reads the routing). */
export const PLACEHOLDER_SECRETS: SecretResolver = (ref) => (/url/i.test(ref.key) ? `https://secrets.invalid/${ref.name}/${ref.key}` : `placeholder-${ref.name}-${ref.key}`);

const matcherString = (m: Matcher): string => {
  if (!m.matchType) throw new Error(`matcher ${m.name} has no matchType: the deprecated regex form is not translated`);
  return `${m.name}${m.matchType}"${m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
};

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

function copyFields(receiver: string, integration: string, config: Record<string, unknown>, fields: Record<string, string>, secrets: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key in fields) out[fields[key]] = value;
    else if (!(key in secrets)) throw new Error(`receiver ${receiver}: ${integration}.${key} is not translated`);
  }
  return out;
}

function convertReceiver(r: Receiver, prefix: (s: string) => string, secret: SecretResolver): Record<string, unknown> {
  const known = new Set(['name', 'pagerdutyConfigs', 'slackConfigs', 'webhookConfigs']);
  const unknown = Object.keys(r).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`receiver ${r.name}: ${unknown.join(', ')} not translated`);
  const out: Record<string, unknown> = { name: prefix(r.name) };
  if (r.pagerdutyConfigs) {
    out.pagerduty_configs = r.pagerdutyConfigs.map((c) => {
      const details = c.details as { key: string; value: string }[] | undefined;
      return {
        ...copyFields(r.name, 'pagerdutyConfigs', c, PAGERDUTY_FIELDS, { routingKey: '', serviceKey: '', details: '' }),
        ...(c.routingKey ? { routing_key: secret(c.routingKey as SecretKeySelector) } : {}),
        ...(c.serviceKey ? { service_key: secret(c.serviceKey as SecretKeySelector) } : {}),
        ...(details ? { details: Object.fromEntries(details.map((d) => [d.key, d.value])) } : {}),
      };
    });
  }
  if (r.slackConfigs) {
    out.slack_configs = r.slackConfigs.map((c) => ({
      ...copyFields(r.name, 'slackConfigs', c, SLACK_FIELDS, { apiURL: '' }),
      ...(c.apiURL ? { api_url: secret(c.apiURL as SecretKeySelector) } : {}),
    }));
  }
  if (r.webhookConfigs) {
    out.webhook_configs = r.webhookConfigs.map((c) => ({
      ...copyFields(r.name, 'webhookConfigs', c, { sendResolved: 'send_resolved', url: 'url', maxAlerts: 'max_alerts' }, { urlSecret: '' }),
      ...(c.urlSecret ? { url: secret(c.urlSecret as SecretKeySelector) } : {}),
    }));
  }
  return out;
}

/** The generated alertmanager.yml, as an object (write it with any YAML writer). */
export function operatorAlertmanagerConfig(
  spec: AlertmanagerConfigSpec,
  namespace: string,
  name: string,
  options: { secrets?: SecretResolver; base?: BaseConfig } = {},
): BaseConfig {
  const secrets = options.secrets ?? PLACEHOLDER_SECRETS;
  const base = options.base ?? MINIMAL_BASE;
  const prefix = (r: string) => `${namespace}/${name}/${r}`;
  const nsMatcher = matcherString({ name: 'namespace', value: namespace, matchType: '=' });
  const route = (r: Route, top: boolean): Record<string, unknown> => ({
    ...(r.receiver ? { receiver: prefix(r.receiver) } : {}),
    ...(r.groupBy ? { group_by: r.groupBy } : {}),
    ...(r.groupWait ? { group_wait: r.groupWait } : {}),
    ...(r.groupInterval ? { group_interval: r.groupInterval } : {}),
    ...(r.repeatInterval ? { repeat_interval: r.repeatInterval } : {}),
    matchers: [...(r.matchers ?? []).map(matcherString), ...(top ? [nsMatcher] : [])],
    ...(top || r.continue ? { continue: true } : {}),
    ...(r.routes ? { routes: r.routes.map((c) => route(c, false)) } : {}),
  });
  return {
    ...(base.global ? { global: base.global } : {}),
    route: { ...base.route, routes: [route(spec.route, true), ...(base.route.routes ?? [])] },
    receivers: [...base.receivers, ...spec.receivers.map((r) => convertReceiver(r, prefix, secrets))],
    inhibit_rules: [
      ...(base.inhibit_rules ?? []),
      ...(spec.inhibitRules ?? []).map((i) => ({
        source_matchers: [...(i.sourceMatch ?? []).map(matcherString), nsMatcher],
        target_matchers: [...(i.targetMatch ?? []).map(matcherString), nsMatcher],
        ...(i.equal ? { equal: i.equal } : {}),
      })),
    ],
  };
}

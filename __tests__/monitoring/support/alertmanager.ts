import { findTool, missingToolMessage } from '../../support/tools';

/** The AlertmanagerConfig spec as synthesized (the fields this project sets). */
export interface AlertmanagerConfigSpec {
  route: Route;
  receivers: ({ name: string } & Record<string, unknown>)[];
  inhibitRules: { sourceMatch: Matcher[]; targetMatch: Matcher[]; equal: string[] }[];
}
interface Route {
  receiver: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  matchers?: Matcher[];
  routes?: Route[];
}
interface Matcher {
  name: string;
  value: string;
  matchType: string;
}

/** amtool on PATH, or undefined (with CI=true its absence throws, like promtool). */
export const findAmtool = (): string | undefined => findTool('amtool');

export const AMTOOL_HELP = missingToolMessage('amtool', 'the Alertmanager routing tests are SKIPPED');

/**
 * The alertmanager.yml the operator generates from one AlertmanagerConfig (its
 * default OnNamespace matcher strategy): receivers renamed `<ns>/<name>/<receiver>`,
 * a `namespace` matcher on the top route and on both sides of inhibit rules,
 * under a global root whose default receiver is `global-default`. Secret
 * references become fake placeholder values: this file is only for amtool.
 */
export function operatorEquivalent(spec: AlertmanagerConfigSpec, namespace: string, name: string): object {
  const prefix = (r: string) => `${namespace}/${name}/${r}`;
  const matchers = (ms: Matcher[] = []) => ms.map((m) => `${m.name}${m.matchType}${JSON.stringify(m.value)}`);
  const route = (r: Route, top: boolean): object => ({
    receiver: prefix(r.receiver),
    ...(r.groupBy ? { group_by: r.groupBy } : {}),
    ...(r.groupWait ? { group_wait: r.groupWait } : {}),
    ...(r.groupInterval ? { group_interval: r.groupInterval } : {}),
    ...(r.repeatInterval ? { repeat_interval: r.repeatInterval } : {}),
    matchers: [...(top ? [`namespace="${namespace}"`] : []), ...matchers(r.matchers)],
    ...(top ? { continue: true } : {}),
    ...(r.routes ? { routes: r.routes.map((c) => route(c, false)) } : {}),
  });
  const receiver = (r: AlertmanagerConfigSpec['receivers'][number]) => ({
    name: prefix(r.name),
    ...(r.pagerdutyConfigs ? { pagerduty_configs: [{ routing_key: 'placeholder-routing-key', send_resolved: true }] } : {}),
    ...(r.slackConfigs ? { slack_configs: [{ api_url: 'https://slack.invalid/placeholder', channel: (r.slackConfigs as { channel: string }[])[0].channel, send_resolved: true }] } : {}),
  });
  return {
    route: { receiver: 'global-default', routes: [route(spec.route, true)] },
    receivers: [{ name: 'global-default' }, ...spec.receivers.map(receiver)],
    inhibit_rules: spec.inhibitRules.map((i) => ({
      source_matchers: [...matchers(i.sourceMatch), `namespace="${namespace}"`],
      target_matchers: [...matchers(i.targetMatch), `namespace="${namespace}"`],
      equal: i.equal,
    })),
  };
}

import { Construct } from 'constructs';
import {
  AlertmanagerConfig,
  AlertmanagerConfigSpecInhibitRules,
  AlertmanagerConfigSpecInhibitRulesSourceMatchMatchType as SourceMatchType,
  AlertmanagerConfigSpecInhibitRulesTargetMatchMatchType as TargetMatchType,
  AlertmanagerConfigSpecReceivers,
  AlertmanagerConfigSpecRouteMatchersMatchType as MatchType,
} from '../../imports/alertmanagerconfigs-monitoring.coreos.com';
import { DNS_LABEL } from '../kubernetes-syntax';
import { checkProps, ObjectProps } from '../props';
import { SecretKeyReference } from '../secrets/secret-key';
import { ALERT_LABELS, Level, LEVEL_NAMES, SupersededAlert } from './alert-spec';
import { BUSINESS_HOURS_INTERVAL, BusinessHours, businessHoursInterval, businessHoursProblems } from './business-hours';
import { BUSINESS_HOURS_LEVELS, RECEIVER_CHOICES, ReceiverChoice, UNLEVELLED_SEVERITY_LEVEL } from './routing-policy';

/** A Slack incoming webhook (bound to one channel) and the channel it posts to. */
export interface SlackTarget {
  readonly apiUrl: SecretKeyReference;
  readonly channel: string;
}

/** `metadata.labels` must match the Alertmanager alertmanagerConfigSelector. */
export interface AlertRoutingProps extends ObjectProps {
  /** Namespace of the AlertmanagerConfig: its top route matches only the alerts of this namespace. */
  readonly namespace: string;
  /** Receiver of each level (see `levelReceivers`). */
  readonly levels: Record<Level, ReceiverChoice>;
  /** PagerDuty Events v2 routing key of the `paging` receiver. */
  readonly pagerDutyRoutingKey: SecretKeyReference;
  /** Slack of the `team-lead` receiver. */
  readonly teamLead: SlackTarget;
  /** Slack of the `ticket` receiver. */
  readonly ticket: SlackTarget;
  /** When the levels of BUSINESS_HOURS_LEVELS may notify (UTC). */
  readonly businessHours: BusinessHours;
  /**
   * Alerts of other rules in the namespace that one of ours replaces (`AlertSpec.supersedes`):
   * they reach `none` instead of the receiver their severity would choose. Default: none.
   */
  readonly superseded?: readonly SupersededAlert[];
}

/** Repeat a still-firing alert's notification after this long: a page or a team-lead message every 4h, a ticket once a day. */
const REPEAT_INTERVAL: Record<Exclude<ReceiverChoice, 'none'>, string> = { paging: '4h', 'team-lead': '4h', ticket: '24h' };

/** `{{ .CommonLabels.level }} AlertName in namespace`, the heading of every notification. */
const HEADING = '{{ .CommonLabels.level }} {{ .CommonLabels.alertname }} in {{ .CommonLabels.namespace }}';

/**
 * The inhibit rule: a firing critical alert (P1/P2) mutes the warnings
 * (P3/P4) with the same `problem` label, and nothing else.
 *
 * - `problem!=""` on the source keeps the rule to our catalog: Alertmanager
 *   compares `equal` labels by value, a missing label counting as "" on both
 *   sides (inhibit/inhibit.go, hasEqual: `a.Labels[n] != lset[n]`), so without
 *   it a critical alert without `problem` (kube-prometheus-stack's, in this
 *   namespace) would mute every warning without one.
 * - `namespace` in `equal` is redundant under the operator's default
 *   OnNamespace matcher strategy, which appends `namespace="<ns>"` to both
 *   sides (pkg/alertmanager/amcfg.go, namespaceEnforcer.processInhibitRule),
 *   and keeps the rule to one environment under the `None` strategy.
 */
const INHIBIT_RULE: AlertmanagerConfigSpecInhibitRules = {
  sourceMatch: [
    { name: ALERT_LABELS.severity, value: 'critical', matchType: SourceMatchType.VALUE_EQUALS },
    { name: ALERT_LABELS.problem, value: '', matchType: SourceMatchType.VALUE_NOT_EQUALS_TO },
  ],
  targetMatch: [{ name: ALERT_LABELS.severity, value: 'warning', matchType: TargetMatchType.VALUE_EQUALS }],
  equal: [ALERT_LABELS.problem, 'namespace'],
};

/**
 * Routes this namespace's alerts by their `level` label to the receiver the
 * environment gives that level; the levels of BUSINESS_HOURS_LEVELS notify
 * only inside the business-hours time interval (Alertmanager
 * `active_time_intervals`: outside it the notification is held, and sent at
 * the first flush inside it if the alert still fires). Alerts without a level
 * (other rules' alerts in the namespace, e.g. kube-prometheus-stack's
 * KubeJobFailed for the backup Job) go where UNLEVELLED_SEVERITY_LEVEL
 * says, by severity; anything else reaches the `none` receiver. The operator
 * sets `continue: true` on the top route (amcfg.go, continueToNextRoute), so
 * the cluster's own routes after it still see the alerts.
 *
 * The top route matches `namespace="<this namespace>"` itself. The operator
 * adds the same matcher only under its default matcher strategy (OnNamespace:
 * namespaceEnforcer.processRoute); under `alertmanagerConfigMatcherStrategy:
 * None` it adds nothing (getEnforcer: noopEnforcer), and every environment's
 * route would take every namespace's alerts: staging's P1 alerts would page
 * production's on-call (both environments share one Alertmanager). Under
 * OnNamespace the matcher is there twice, which changes nothing.
 * Only the receivers some level uses are rendered, so an environment is
 * never asked for a credential it does not use.
 */
export class AlertRouting extends Construct {
  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    const check = checkProps('AlertRouting', props).object(props);
    check.that(DNS_LABEL.test(props.namespace) && props.namespace.length <= 63, 'namespace', `is "${props.namespace}", not a namespace name`);
    const hoursProblems = businessHoursProblems(props.businessHours);
    if (hoursProblems.length > 0) check.fail(`businessHours.${hoursProblems[0].key}`, hoursProblems[0].message);
    for (const level of LEVEL_NAMES) {
      check.that(RECEIVER_CHOICES.includes(props.levels[level]), `levels.${level}`, `goes to unknown receiver "${props.levels[level]}"`);
    }
    const superseded = props.superseded ?? [];
    superseded.forEach((s, i) => {
      check.that(/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.alertname), `superseded.${i}.alertname`, `is "${s.alertname}", not an alert name`);
      check.that(Object.keys({ ...s.labels, ...s.regex }).length > 0, `superseded.${i}`, `(${s.alertname}) names no label: it would silence that alert for every object of the namespace`);
    });

    // Child routes are schemaless in the CRD (x-kubernetes-preserve-unknown-fields): CRD field names, as the operator reads them.
    const route = (receiver: ReceiverChoice, labels: Record<string, string>, activeTimeIntervals: string[], regex: Readonly<Record<string, string>> = {}) => ({
      receiver,
      matchers: [
        ...Object.entries(labels).map(([name, value]) => ({ name, value, matchType: MatchType.VALUE_EQUALS })),
        ...Object.entries(regex).map(([name, value]) => ({ name, value, matchType: MatchType.VALUE_EQUAL_TILDE })),
      ],
      ...(receiver === 'none' ? {} : { repeatInterval: REPEAT_INTERVAL[receiver] }),
      ...(activeTimeIntervals.length > 0 ? { activeTimeIntervals } : {}),
    });
    const waits = (level: Level) => BUSINESS_HOURS_LEVELS.includes(level) && props.levels[level] !== 'none';
    const used = new Set<ReceiverChoice>(['none', ...LEVEL_NAMES.map((l) => props.levels[l])]);
    const receivers = RECEIVER_CHOICES.filter((r) => used.has(r)).map((r) => this.receiver(r, props));

    new AlertmanagerConfig(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        route: {
          receiver: 'none',
          matchers: [{ name: 'namespace', value: props.namespace, matchType: MatchType.VALUE_EQUALS }],
          groupBy: ['alertname', 'namespace'],
          groupWait: '30s',
          groupInterval: '5m',
          repeatInterval: '4h',
          routes: [
            ...LEVEL_NAMES.map((level) => route(props.levels[level], { [ALERT_LABELS.level]: level }, waits(level) ? [BUSINESS_HOURS_INTERVAL] : [])),
            // Before the level="" routes, which would otherwise take them by severity (the first matching route wins).
            ...superseded.map((s) => route('none', { alertname: s.alertname, [ALERT_LABELS.level]: '', ...s.labels }, [], s.regex)),
            ...Object.entries(UNLEVELLED_SEVERITY_LEVEL).map(([severity, level]) =>
              route(props.levels[level], { [ALERT_LABELS.level]: '', [ALERT_LABELS.severity]: severity }, []),
            ),
          ],
        },
        receivers,
        ...(LEVEL_NAMES.some(waits) ? { muteTimeIntervals: [businessHoursInterval(props.businessHours)] } : {}),
        inhibitRules: [INHIBIT_RULE],
      },
    });
  }

  private receiver(name: ReceiverChoice, props: AlertRoutingProps): AlertmanagerConfigSpecReceivers {
    switch (name) {
      case 'none':
        return { name };
      case 'paging':
        return {
          name,
          pagerdutyConfigs: [{ routingKey: { name: props.pagerDutyRoutingKey.name, key: props.pagerDutyRoutingKey.key }, sendResolved: true, description: `${HEADING}: {{ .CommonAnnotations.summary }}` }],
        };
      case 'team-lead':
      case 'ticket': {
        const slack = name === 'ticket' ? props.ticket : props.teamLead;
        return {
          name,
          slackConfigs: [
            {
              apiUrl: { name: slack.apiUrl.name, key: slack.apiUrl.key },
              channel: slack.channel,
              sendResolved: true,
              title: `[{{ .Status | toUpper }}] ${HEADING}`,
              text: '{{ range .Alerts }}{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}',
            },
          ],
        };
      }
    }
  }
}


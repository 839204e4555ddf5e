import { Construct } from 'constructs';
import {
  AlertmanagerConfig,
  AlertmanagerConfigSpecInhibitRulesSourceMatchMatchType as InhibitMatchType,
  AlertmanagerConfigSpecInhibitRulesTargetMatchMatchType as InhibitTargetMatchType,
  AlertmanagerConfigSpecRouteMatchersMatchType as MatchType,
} from '../../imports/alertmanagerconfigs-monitoring.coreos.com';
import { SecretKeyReference } from '../secrets/secret-key';


export interface AlertRoutingProps {
  readonly name: string;
  /** Labels of the AlertmanagerConfig; they must match the Alertmanager alertmanagerConfigSelector. */
  readonly labels: Record<string, string>;
  /** PagerDuty Events v2 routing key of the paging receiver. */
  readonly pagerDutyRoutingKey: SecretKeyReference;
  /** Slack incoming-webhook URL of the ticket receiver. */
  readonly slackApiUrl: SecretKeyReference;
  readonly slackChannel: string;
  /**
   * Critical alerts go to the paging receiver; when false they make a ticket
   * like warnings, and no paging receiver (nor its Secret) is rendered.
   * @default true
   */
  readonly pageOnCritical?: boolean;
}

/** Receiver names (the operator prefixes them with `<namespace>/<name>/`). */
export const RECEIVERS = { paging: 'paging', ticket: 'ticket', none: 'null' } as const;

/**
 * Routes this namespace's alerts by severity: critical → paging (or ticket
 * where `pageOnCritical` is false), warning → ticket, anything else (info) →
 * the null receiver, which notifies nobody.
 * The operator adds a `namespace="<this namespace>"` matcher to the route,
 * so only alerts that carry the environment's namespace label arrive here.
 */
export class AlertRouting extends Construct {
  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    const severity = (value: string) => [{ name: 'severity', value, matchType: MatchType.VALUE_EQUALS }];
    const paging = props.pageOnCritical ?? true;
    new AlertmanagerConfig(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        route: {
          receiver: RECEIVERS.none,
          groupBy: ['alertname', 'namespace'],
          groupWait: '30s',
          groupInterval: '5m',
          repeatInterval: '4h',
          routes: [
            { receiver: paging ? RECEIVERS.paging : RECEIVERS.ticket, matchers: severity('critical') },
            { receiver: RECEIVERS.ticket, matchers: severity('warning'), repeatInterval: '24h' },
          ],
        },
        receivers: [
          { name: RECEIVERS.none },
          ...(paging
            ? [
                {
                  name: RECEIVERS.paging,
                  pagerdutyConfigs: [
                    {
                      routingKey: { name: props.pagerDutyRoutingKey.name, key: props.pagerDutyRoutingKey.key },
                      sendResolved: true,
                      description: '{{ .CommonLabels.alertname }} in {{ .CommonLabels.namespace }}: {{ .CommonAnnotations.summary }}',
                    },
                  ],
                },
              ]
            : []),
          {
            name: RECEIVERS.ticket,
            slackConfigs: [
              {
                apiUrl: { name: props.slackApiUrl.name, key: props.slackApiUrl.key },
                channel: props.slackChannel,
                sendResolved: true,
                title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} in {{ .CommonLabels.namespace }}',
                text: '{{ range .Alerts }}{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}',
              },
            ],
          },
        ],
        inhibitRules: [
          {
            sourceMatch: [{ name: 'severity', value: 'critical', matchType: InhibitMatchType.VALUE_EQUALS }],
            targetMatch: [{ name: 'severity', value: 'warning', matchType: InhibitTargetMatchType.VALUE_EQUALS }],
            equal: ['alertname', 'namespace'],
          },
        ],
      },
    });
  }
}

import { Construct } from 'constructs';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/servicemonitors-monitoring.coreos.com';
import { checkProps, ObjectProps } from '../props';

/** `metadata.labels` must match the Prometheus serviceMonitorSelector. */
export interface ApiServiceMonitorProps extends ObjectProps {
  /** The stable labels of the Service to scrape. */
  readonly serviceSelector: Record<string, string>;
  /** Name of the Service port to scrape. */
  readonly portName: string;
  /** @default "/metrics" */
  readonly path?: string;
  /** @default "30s" */
  readonly interval?: string;
  /** Pod labels copied onto the scraped series (e.g. rollouts-pod-template-hash, so a canary's series can be told apart). */
  readonly podTargetLabels?: readonly string[];
}

/**
 * Scrapes the API through its Service. No `jobLabel`: the operator then sets
 * `job` to the Service name, which the alert selectors rely on.
 */
export class ApiServiceMonitor extends Construct {
  constructor(scope: Construct, id: string, props: ApiServiceMonitorProps) {
    super(scope, id);
    checkProps('ApiServiceMonitor', props)
      .object(props)
      .selector('serviceSelector', props.serviceSelector)
      .text('portName', props.portName)
      .that(props.path === undefined || props.path.startsWith('/'), 'path', `is "${props.path}", not a path starting with /`)
      .that(props.interval === undefined || /^(\d+(ms|s|m|h))+$/.test(props.interval), 'interval', `is "${props.interval}", not a Prometheus duration such as "30s"`);
    new ServiceMonitor(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        selector: { matchLabels: props.serviceSelector },
        ...(props.podTargetLabels?.length ? { podTargetLabels: [...props.podTargetLabels] } : {}),
        endpoints: [{ port: props.portName, path: props.path ?? '/metrics', interval: props.interval ?? '30s', scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
      },
    });
  }
}

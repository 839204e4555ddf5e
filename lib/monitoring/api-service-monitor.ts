import { Construct } from 'constructs';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/servicemonitors-monitoring.coreos.com';

export interface ApiServiceMonitorProps {
  readonly name: string;
  /** Labels of the ServiceMonitor itself; they must match the Prometheus serviceMonitorSelector. */
  readonly labels: Record<string, string>;
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
    new ServiceMonitor(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        selector: { matchLabels: props.serviceSelector },
        ...(props.podTargetLabels?.length ? { podTargetLabels: [...props.podTargetLabels] } : {}),
        endpoints: [{ port: props.portName, path: props.path ?? '/metrics', interval: props.interval ?? '30s', scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
      },
    });
  }
}

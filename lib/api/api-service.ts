import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { API } from './constants';

export interface ApiServiceProps {
  readonly metadata: ApiObjectMetadata;
  readonly selector: Record<string, string>;
  /** @default 'ClusterIP' */
  readonly type?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
}

/** The API Service: port 80, named like the pods' `http` port (ServiceMonitor and Ingress refer to it by that name). */
export class ApiService extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    const service = new k8s.KubeService(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        type: props.type ?? 'ClusterIP',
        selector: props.selector,
        ports: [{ name: API.portName, port: 80, targetPort: k8s.IntOrString.fromString(API.portName), protocol: 'TCP' }],
      },
    });
    this.name = service.name;
  }
}

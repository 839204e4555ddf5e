import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DNS_1035_LABEL } from '../kubernetes-syntax';
import { checkProps, SelectorProps } from '../props';
import { API } from './constants';

export interface ApiServiceProps extends SelectorProps {
  /** @default 'ClusterIP' */
  readonly type?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
}

/** The API Service: port 80, named like the pods' `http` port (ServiceMonitor and Ingress refer to it by that name). */
export class ApiService extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    checkProps('ApiService', props)
      .object(props)
      .selector('selector', props.selector)
      .that(DNS_1035_LABEL.test(props.metadata.name) && props.metadata.name.length <= 63, 'metadata.name', 'is not a Service name: at most 63 lower-case letters, digits and \'-\', starting with a letter');
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

import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, ObjectProps } from './props';

export type ServiceAccountProps = ObjectProps;

/**
 * The ServiceAccount of pods that never call the Kubernetes API (every pod
 * here): its token is not mounted, so a compromised container holds no
 * credential for the API server. The pods say so too (`automountServiceAccountToken: false`).
 */
export class TokenlessServiceAccount extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceAccountProps) {
    super(scope, id);
    checkProps('TokenlessServiceAccount', props).object(props);
    const account = new k8s.KubeServiceAccount(this, 'Resource', { metadata: props.metadata, automountServiceAccountToken: false });
    this.name = account.name;
  }
}

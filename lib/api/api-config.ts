import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, ObjectProps } from '../props';

export interface ApiConfigProps extends ObjectProps {
  /** Plain environment variables of the API. Never a secret: those come from Secrets. */
  readonly data: Record<string, string>;
}

/** The API's non-secret settings as a ConfigMap, plus a checksum that rolls the pods when they change. */
export class ApiConfig extends Construct {
  public readonly name: string;
  /** sha256 of the data; put it on the pod template so a change of settings rolls the pods. */
  public readonly checksum: string;

  constructor(scope: Construct, id: string, props: ApiConfigProps) {
    super(scope, id);
    const check = checkProps('ApiConfig', props).object(props);
    // envFrom turns each key into a variable; the API server refuses a key that is not a ConfigMap key.
    for (const key of Object.keys(props.data)) check.that(/^[-._a-zA-Z0-9]+$/.test(key) && key.length <= 253, 'data', `has "${key}", not a ConfigMap key`);
    const data = Object.fromEntries(Object.entries(props.data).sort(([a], [b]) => a.localeCompare(b)));
    const configMap = new k8s.KubeConfigMap(this, 'Resource', { metadata: props.metadata, data });
    this.name = configMap.name;
    this.checksum = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  }
}

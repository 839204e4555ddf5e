import { createHash } from 'crypto';
import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface ApiConfigProps {
  readonly metadata: ApiObjectMetadata;
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
    const data = Object.fromEntries(Object.entries(props.data).sort(([a], [b]) => a.localeCompare(b)));
    const configMap = new k8s.KubeConfigMap(this, 'Resource', { metadata: props.metadata, data });
    this.name = configMap.name;
    this.checksum = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  }
}

import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { recommendedLabels, selectorLabels, WorkloadIdentity } from '../lib/labels';
import { WorkloadProps } from '../lib/props';

/** A chart of one environment: every object goes to the environment's namespace. */
export class EnvironmentChart extends Chart {
  constructor(scope: Construct, id: string, public readonly env: Environment) {
    super(scope, id, { namespace: env.namespace, disableResourceNameHashes: true });
  }

  /**
   * The props every workload of this environment shares (lib/props.ts): its
   * name, the recommended labels on it and its pods, the selector from its
   * identity, and its ServiceAccount.
   */
  protected workloadProps(name: string, identity: WorkloadIdentity, version: string, serviceAccountName: string): WorkloadProps {
    const labels = recommendedLabels(this.env, identity, version);
    return { metadata: { name, labels }, selector: selectorLabels(this.env, identity), podLabels: labels, serviceAccountName };
  }
}

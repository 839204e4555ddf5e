import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Environment } from '../config/schema';

/** A chart of one environment: every object goes to the environment's namespace. */
export class EnvironmentChart extends Chart {
  constructor(scope: Construct, id: string, public readonly env: Environment) {
    super(scope, id, { namespace: env.namespace, disableResourceNameHashes: true });
  }
}

import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { ApiChart } from './api-chart';
import { MonitoringChart } from './monitoring-chart';
import { NamespaceChart } from './namespace-chart';

/** Builds the charts of one environment into `dist/<environment>/`. Add a chart here to render it for every environment. */
export function buildEnvironment(scope: Construct, env: Environment): void {
  new NamespaceChart(scope, 'namespace', env);
  new ApiChart(scope, 'api', env);
  new MonitoringChart(scope, 'monitoring', env);
}

/**
 * Folders of dist/ built from all environments at once (for example Argo CD
 * Applications), by folder name. They are rendered only by a full synth.
 */
export const SHARED_FOLDERS: Record<string, (scope: Construct, envs: readonly Environment[]) => void> = {};

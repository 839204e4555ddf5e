import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { templatedSecretKeys } from '../lib/datastores/templated-urls';
import { secretKeyReferences } from '../lib/secrets/secret-references';
import { chartManifests, Manifest } from '../lib/synth/render';
import { ApiChart } from './api-chart';
import { ArgoCdChart } from './argocd-chart';
import { CanaryChart } from './canary-chart';
import { DatastoreMonitoringChart } from './datastore-monitoring-chart';
import { DatastoresChart } from './datastores-chart';
import { HooksChart } from './hooks-chart';
import { IngressChart } from './ingress-chart';
import { MonitoringChart } from './monitoring-chart';
import { NamespaceChart } from './namespace-chart';
import { NetworkChart } from './network-chart';
import { SecretsChart } from './secrets-chart';

/** Every chart of one environment but its ExternalSecrets. Add a chart here to render it for every environment. */
function buildWorkloads(scope: Construct, env: Environment): void {
  new NamespaceChart(scope, 'namespace', env);
  new ApiChart(scope, 'api', env);
  new CanaryChart(scope, 'canary', env);
  new NetworkChart(scope, 'network', env);
  new DatastoresChart(scope, 'datastores', env);
  new HooksChart(scope, 'hooks', env);
  new IngressChart(scope, 'ingress', env);
  new MonitoringChart(scope, 'monitoring', env);
  new DatastoreMonitoringChart(scope, 'datastore-monitoring', env);
}

/** Builds the charts of one environment into `dist/<environment>/`, plus ExternalSecrets for every Secret key they read. */
export function buildEnvironment(scope: Construct, env: Environment): void {
  buildWorkloads(scope, env);
  const workloads = scope.node.children.filter(Chart.isChart).flatMap(chartManifests);
  const uses = env.externalSecrets.enabled ? secretKeyReferences(workloads) : [];
  new SecretsChart(scope, 'secrets', env, uses, templatedSecretKeys(env));
}

/**
 * Folders of dist/ built from all environments at once (for example Argo CD
 * Applications), by folder name. They are rendered only by a full synth.
 */
export const SHARED_FOLDERS: Record<string, (scope: Construct, rendered: readonly RenderedEnvironment[]) => void> = {
  argocd: (scope, rendered) => new ArgoCdChart(scope, 'argocd', rendered),
};

/** An environment and every object it renders, for charts built from all environments. */
export interface RenderedEnvironment {
  readonly env: Environment;
  readonly manifests: readonly Manifest[];
}

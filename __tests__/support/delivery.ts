import { App } from 'cdk8s';
import { SHARED_FOLDERS } from '../../charts';
import { Environment } from '../../config/schema';
import { Manifest, renderManifests } from '../../lib/synth/render';
import { renderEnvironments } from '../../lib/synth/synthesize';
import { committedEnvironment, kubernetesEnvironmentNames, minimalEnvironment } from './env';

/** The objects of dist/argocd/ for these environments. */
export function argocdManifests(envs: Environment[]): Manifest[] {
  return renderManifests((app: App) => SHARED_FOLDERS.argocd(app, renderEnvironments(envs)));
}

/** Environments that cover every mode: the committed Kubernetes ones plus an in-cluster and an external one without ExternalSecrets. */
export function everyMode(): Environment[] {
  return [
    ...kubernetesEnvironmentNames().map(committedEnvironment),
    minimalEnvironment({ datastores: { mode: 'in-cluster' } }, 'in-cluster'),
    minimalEnvironment({ datastores: { mode: 'external' }, secrets: { redisUrl: { name: 'redis', key: 'url' } }, ingress: { enabled: true, host: 'x.example.com' } }, 'external'),
  ];
}

export function annotation(m: Manifest, key: string): string | undefined {
  return m.metadata.annotations?.[key];
}

/** The sync wave of an object (0 when it has none). */
export function waveOf(m: Manifest): number {
  return Number(annotation(m, 'argocd.argoproj.io/sync-wave') ?? '0');
}

import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { API } from '../lib/api/constants';
import { EnvironmentApplication } from '../lib/argocd/application';
import { EnvironmentsProject, GroupKind } from '../lib/argocd/project';
import { CANARY } from '../lib/delivery/constants';
import { ARGOCD } from '../lib/argocd/constants';
import { isCanary } from '../lib/delivery/settings';
import { descendantKinds, splitGroupKind } from '../lib/argocd/resource-tree';
import { OWN_APPLICATION_KINDS, syncWave } from '../lib/argocd/sync';
import { PART_OF } from '../lib/labels';
import { fileNameOf, Manifest } from '../lib/synth/render';
import type { RenderedEnvironment } from '.';

/** Retries of an Application that syncs into a namespace another Application creates: with the default backoff (10 s doubling, at most 3 m) about 5 minutes. */
const NAMESPACE_WAIT_RETRIES = 5;

/**
 * dist/argocd/: the AppProject and one Application per environment, for an
 * app-of-apps to point at. The project's destinations and kinds are read from
 * what the environments actually render, so they allow exactly that.
 */
export class ArgoCdChart extends Chart {
  constructor(scope: Construct, id: string, environments: readonly RenderedEnvironment[]) {
    super(scope, id, { namespace: ARGOCD.namespace, disableResourceNameHashes: true });
    const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'cdk8s' };
    const envs = environments.map((e) => e.env);
    const rendered = environments.flatMap((e) => e.manifests);

    new EnvironmentsProject(this, 'Project', {
      // Before the Applications that belong to it, when an app-of-apps syncs this folder.
      metadata: { name: ARGOCD.project, labels, annotations: syncWave(-1) },
      description: 'AI-OdooFinder environments, rendered by odoo-finder-deploy',
      sourceRepos: unique(envs.map((e) => e.argocd.repoURL)),
      namespaces: unique([...envs.map((e) => e.namespace), ...rendered.flatMap((m) => (m.metadata.namespace ? [m.metadata.namespace] : []))]),
      clusterKinds: kindsOf(rendered.filter((m) => !m.metadata.namespace)),
      // What they render, and what the controllers create under it: Argo CD shows a child (a pod, a ReplicaSet,
      // an AnalysisRun) only when the project permits its kind (lib/argocd/resource-tree.ts).
      namespacedKinds: mergeKinds(kindsOf(rendered.filter((m) => m.metadata.namespace)), treeKinds(rendered)),
    });

    for (const { env, manifests } of environments) {
      const common = {
        project: ARGOCD.project,
        repoURL: env.argocd.repoURL,
        targetRevision: env.argocd.targetRevision,
        path: `dist/${env.name}`,
        namespace: env.namespace,
        autoSync: env.argocd.autoSync,
        prune: env.argocd.prune,
        selfHeal: env.argocd.selfHeal,
        retry: env.argocd.retry,
      };
      // CronJobs go to an Application of their own: a failed run must not fail the environment's syncs (lib/argocd/sync.ts).
      const ownFiles = manifests.filter((m) => OWN_APPLICATION_KINDS.has(m.kind)).map(fileNameOf).sort();
      new EnvironmentApplication(this, env.name, {
        ...common,
        metadata: { name: ARGOCD.applicationName(env.name), labels: { ...labels, [ARGOCD.trackingLabel]: ARGOCD.applicationName(env.name) } },
        excludeFiles: ownFiles,
        ignoreDifferences: [
          // The HPA owns the replica count; the Deployment in Git has none. With a canary the Rollouts controller
          // scales the Deployment to 0 and the HPA scales the Rollout.
          { group: 'apps', kind: 'Deployment', name: API.name, jsonPointers: ['/spec/replicas'] },
          ...(isCanary(env) ? [{ group: 'argoproj.io', kind: 'Rollout', name: CANARY.rollout, jsonPointers: ['/spec/replicas'] }] : []),
          // The API server fills in defaults and a status in volumeClaimTemplates (immutable anyway), which would show as a diff forever.
          ...(env.datastores.mode === 'in-cluster'
            ? [{ group: 'apps', kind: 'StatefulSet', jqPathExpressions: VOLUME_CLAIM_TEMPLATE_DEFAULTS }]
            : []),
        ],
      });
      if (ownFiles.length > 0) {
        new EnvironmentApplication(this, `${env.name}-cron`, {
          ...common,
          metadata: { name: ARGOCD.cronApplicationName(env.name), labels: { ...labels, [ARGOCD.trackingLabel]: ARGOCD.cronApplicationName(env.name) } },
          includeFiles: ownFiles,
          // One step only (no PruneLast wave): Argo CD then ends the sync once applied, whatever the CronJob's health.
          pruneLast: false,
          // Its first sync can come before the environment's Application has created the Namespace (an app-of-apps
          // creates both at once), and a failed one is not tried again by itself (rule argocd-namespace-retry). It
          // runs no hook, so a retry re-runs nothing that must not run twice.
          retry: { ...env.argocd.retry, limit: Math.max(env.argocd.retry.limit, NAMESPACE_WAIT_RETRIES) },
        });
      }
    }
  }
}

const VOLUME_CLAIM_TEMPLATE_DEFAULTS = [
  '.spec.volumeClaimTemplates[]?.apiVersion',
  '.spec.volumeClaimTemplates[]?.kind',
  '.spec.volumeClaimTemplates[]?.spec.volumeMode',
  '.spec.volumeClaimTemplates[]?.status',
];

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** The kinds Argo CD shows below the rendered objects in their Applications' resource trees. */
function treeKinds(manifests: Manifest[]): GroupKind[] {
  return [...new Set(manifests.flatMap((m) => [...descendantKinds(m).keys()]))].map(splitGroupKind);
}

/** The distinct kinds of the lists, sorted by group then kind. */
function mergeKinds(...lists: GroupKind[][]): GroupKind[] {
  const keys = unique(lists.flat().map((k) => `${k.group}|${k.kind}`));
  return keys.map((k) => {
    const [group, kind] = k.split('|');
    return { group, kind };
  });
}

function kindsOf(manifests: Manifest[]): GroupKind[] {
  return mergeKinds(manifests.map((m) => ({ group: m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '', kind: m.kind })));
}

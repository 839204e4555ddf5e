import { Construct } from 'constructs';
import { AppProject } from '../../imports/appprojects-argoproj.io';
import { checkProps, ObjectProps } from '../props';
import { ARGOCD } from './constants';

/** A kind, by API group (`''` for the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface EnvironmentsProjectProps extends ObjectProps {
  readonly description: string;
  /** Repositories its Applications may read. */
  readonly sourceRepos: readonly string[];
  /** Namespaces its Applications may deploy to (on the in-cluster server). */
  readonly namespaces: readonly string[];
  /** Cluster-scoped kinds they may create (e.g. the Namespace). */
  readonly clusterKinds: readonly GroupKind[];
  /** Namespaced kinds they may create; anything else is refused. */
  readonly namespacedKinds: readonly GroupKind[];
}

/**
 * The AppProject of all environments: only these repositories, these
 * namespaces and these kinds. A manifest of another kind, or for another
 * namespace, fails the sync instead of being applied.
 */
export class EnvironmentsProject extends Construct {
  constructor(scope: Construct, id: string, props: EnvironmentsProjectProps) {
    super(scope, id);
    const check = checkProps('EnvironmentsProject', props).object(props).nonEmpty('sourceRepos', props.sourceRepos).nonEmpty('namespaces', props.namespaces);
    for (const namespace of props.namespaces) check.name('namespaces', namespace);
    new AppProject(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        description: props.description,
        sourceRepos: [...props.sourceRepos],
        destinations: props.namespaces.map((namespace) => ({ server: ARGOCD.server, namespace })),
        clusterResourceWhitelist: props.clusterKinds.map((k) => ({ group: k.group, kind: k.kind })),
        namespaceResourceWhitelist: props.namespacedKinds.map((k) => ({ group: k.group, kind: k.kind })),
      },
    });
  }
}

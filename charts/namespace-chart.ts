import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { KEEP_DATA, SYNC_WAVE, syncWave } from '../lib/argocd/sync';
import { PART_OF } from '../lib/labels';

/**
 * The environment's Namespace, with Pod Security Admission enforcing
 * "restricted": the API server itself rejects any pod that is not. Argo CD
 * never prunes it nor deletes it with the Application (`KEEP_DATA`): deleting
 * a Namespace deletes every PersistentVolumeClaim in it.
 */
export class NamespaceChart extends Chart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, { disableResourceNameHashes: true });
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: env.namespace,
        // First: every other object of the environment goes into it.
        annotations: { ...syncWave(SYNC_WAVE.namespace), ...KEEP_DATA },
        labels: {
          'app.kubernetes.io/part-of': PART_OF,
          'app.kubernetes.io/managed-by': 'cdk8s',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'v1.28',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
  }
}

import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { API } from '../api/constants';
import { checkProps, PodProps } from '../props';
import { ResourceSettings, resourceRequirements } from '../resources';
import { SecretKeyReference } from '../secrets/secret-key';
import { runOncePodTemplate } from '../run-once-pod';
import { migrationCommand } from './migration-command';
import { hook, SYNC_WAVE } from '../argocd/sync';

/** `podLabels` select the pod in its NetworkPolicy. */
export interface MigrationJobProps extends PodProps {
  /** The API image: it holds alembic and the migration scripts. */
  readonly image: string;
  readonly databaseUrl: SecretKeyReference;
  /** Alembic revision to reach. @default 'head' */
  readonly targetRevision?: string;
  /** @default 900 */
  readonly activeDeadlineSeconds?: number;
  readonly resources: ResourceSettings;
}

/**
 * `alembic upgrade head` (or to a pinned revision) as an Argo CD `Sync` hook
 * in a wave before the API Deployment: it runs after the Namespace,
 * NetworkPolicies, ServiceAccount, Secrets and datastores of earlier waves are
 * healthy and before any new API pod starts. `backoffLimit: 0`: a failed
 * migration is never retried by Kubernetes (a half-applied one could be
 * applied twice); the sync fails and a person looks.
 */
export class MigrationJob extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    checkProps('MigrationJob', props).pods(props).text('image', props.image).integer('activeDeadlineSeconds', props.activeDeadlineSeconds, { min: 1 });
    const job = new k8s.KubeJob(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, ...hook('Sync', SYNC_WAVE.migration) } },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 900,
        template: runOncePodTemplate({
          labels: props.podLabels,
          serviceAccountName: props.serviceAccountName,
          uid: API.uid,
          container: {
            name: 'migrate',
            image: props.image,
            command: migrationCommand(props.targetRevision ?? 'head'),
            env: [
              { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: props.databaseUrl.name, key: props.databaseUrl.key } } },
              { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
              { name: 'PYTHONUNBUFFERED', value: '1' },
              { name: 'HOME', value: '/tmp' },
            ],
            resources: resourceRequirements(props.resources),
          },
        }),
      },
    });
    this.name = job.name;
  }
}

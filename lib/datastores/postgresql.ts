import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, WorkloadProps } from '../props';
import { parseQuantity } from '../config/quantity';
import { ResourceSettings, resourceRequirements } from '../resources';
import { SecretKeyReference } from '../secrets/secret-key';
import { SYNC_WAVE, syncWave } from '../argocd/sync';
import { BACKUP, POSTGRESQL } from './constants';
import { SingleInstanceStatefulSet } from './stateful-set';

/** `metadata` names the StatefulSet and its headless Service (the host name clients use). */
export interface PostgresqlProps extends WorkloadProps {
  /** Labels of its data PVC (never Argo CD's tracking label). */
  readonly claimLabels: Record<string, string>;
  /** A pgvector image, e.g. `pgvector/pgvector:0.8.0-pg16`. */
  readonly image: string;
  readonly database: string;
  readonly user: string;
  /** Secret key holding the password of `user`. */
  readonly password: SecretKeyReference;
  readonly storage: string;
  readonly storageClassName?: string;
  readonly resources: ResourceSettings;
  /**
   * The backup volume's PVC, mounted read-only at /backups. The database pod
   * is the claim's first consumer, so the claim binds in the datastores wave
   * whatever the StorageClass's binding mode (a claim nothing mounts stays
   * Pending under WaitForFirstConsumer, and Argo CD waits for it); and
   * `pg_restore` in this pod reads the dumps from there.
   * @default no backup volume
   */
  readonly backupClaimName?: string;
}

/**
 * PostgreSQL with pgvector as a one-replica StatefulSet, running as the image's
 * `postgres` user (999) on a read-only root: PGDATA on the volume, emptyDirs
 * for the socket directory, /tmp and shared memory. The vector extension is
 * created on first start by an init script.
 */
export class Postgresql extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PostgresqlProps) {
    super(scope, id);
    // The image's entrypoint creates the database and role from these; pg_isready and the exporter log in with them.
    const identifier = /^[a-z_][a-z0-9_]{0,62}$/;
    checkProps('Postgresql', props)
      .workload(props)
      .text('image', props.image)
      .that(identifier.test(props.database), 'database', `is "${props.database}", not a plain PostgreSQL identifier (lower-case letters, digits, '_')`)
      .that(identifier.test(props.user), 'user', `is "${props.user}", not a plain PostgreSQL identifier (lower-case letters, digits, '_')`)
      .that((parseQuantity(props.storage) ?? 0) > 0, 'storage', `is "${props.storage}", not a positive Kubernetes quantity such as "10Gi"`);
    const initScripts = new k8s.KubeConfigMap(this, 'InitScripts', {
      metadata: { name: `${props.metadata.name}-init`, labels: props.metadata.labels, annotations: syncWave(SYNC_WAVE.prerequisites) },
      data: { '10-pgvector.sql': `${POSTGRESQL.initSql}\n` },
    });
    const ready = ['pg_isready', '--host=127.0.0.1', `--port=${POSTGRESQL.port}`, `--username=${props.user}`, `--dbname=${props.database}`];
    const statefulSet = new SingleInstanceStatefulSet(this, 'StatefulSet', {
      metadata: props.metadata,
      selector: props.selector,
      podLabels: props.podLabels,
      claimLabels: props.claimLabels,
      serviceAccountName: props.serviceAccountName,
      uid: POSTGRESQL.uid,
      port: { name: POSTGRESQL.portName, port: POSTGRESQL.port },
      container: {
        name: 'postgresql',
        image: props.image,
        env: [
          { name: 'POSTGRES_DB', value: props.database },
          { name: 'POSTGRES_USER', value: props.user },
          { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: props.password.name, key: props.password.key } } },
          { name: 'PGDATA', value: POSTGRESQL.pgdata },
        ],
        resources: resourceRequirements(props.resources),
        // initdb on an empty volume takes a while; liveness must not kill it meanwhile.
        startupProbe: { exec: { command: ready }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 },
        // Liveness only asks whether the server still accepts connections; readiness asks PostgreSQL itself.
        livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString(POSTGRESQL.portName) }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
        readinessProbe: { exec: { command: ready }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
      },
      data: { name: 'data', mountPath: POSTGRESQL.dataPath, storage: props.storage, storageClassName: props.storageClassName },
      scratch: [
        { name: 'run', mountPath: '/var/run/postgresql', sizeLimit: '16Mi' },
        { name: 'tmp', mountPath: '/tmp', sizeLimit: '256Mi' },
        { name: 'shm', mountPath: '/dev/shm', sizeLimit: '256Mi', medium: 'Memory' },
      ],
      extraVolumes: [
        { volume: { name: 'init', configMap: { name: initScripts.name } }, mountPath: POSTGRESQL.initDir, readOnly: true },
        ...(props.backupClaimName
          ? [{ volume: { name: BACKUP.volumeName, persistentVolumeClaim: { claimName: props.backupClaimName } }, mountPath: BACKUP.path, readOnly: true }]
          : []),
      ],
    });
    this.name = statefulSet.name;
  }
}

import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, WorkloadProps } from '../props';
import { parseQuantity } from '../config/quantity';
import { ResourceSettings, resourceRequirements } from '../resources';
import { SecretKeyReference } from '../secrets/secret-key';
import { REDIS } from './constants';
import { SingleInstanceStatefulSet } from './stateful-set';

/** `metadata` names the StatefulSet and its headless Service (the host name clients use). */
export interface RedisProps extends WorkloadProps {
  /** Labels of its data PVC (never Argo CD's tracking label). */
  readonly claimLabels: Record<string, string>;
  /** e.g. `redis:7.4.1-alpine`. */
  readonly image: string;
  /** Secret key holding the password Redis requires (an empty value is refused by the ExternalSecret's template, lib/datastores/redis-url.ts). */
  readonly password: SecretKeyReference;
  readonly storage: string;
  readonly storageClassName?: string;
  /** Redis `maxmemory`, e.g. `200mb`; keep it below the memory limit. */
  readonly maxMemory: string;
  readonly resources: ResourceSettings;
}

/**
 * Redis as a one-replica StatefulSet (the API's cache), append-only file on
 * the volume, with a password: `--requirepass $(REDIS_PASSWORD)`, which the
 * kubelet expands from the container's env (a Secret key), so the manifest
 * holds no value; Redis then overwrites its process title, so `ps` in the
 * container shows no password either. Protected mode stays on: with a
 * password it changes nothing, and should the password ever be empty Redis
 * refuses every client but loopback instead of serving anyone
 * (src/networking.c, protected mode applies while the default user has no password).
 *
 * The readiness probe authenticates through REDISCLI_AUTH (redis-cli reads it
 * when no -a is given: src/redis-cli.c `parseEnv`; an exec probe runs with the
 * container's env) and passes `-e`: without it redis-cli exits 0 on an error
 * reply (NOAUTH, or LOADING while the append-only file loads), so the probe
 * could not fail (src/redis-cli.c `cliReadReply`, `config.set_errcode`).
 */
export class Redis extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    checkProps('Redis', props)
      .workload(props)
      .text('image', props.image)
      .name('password.name', props.password.name)
      .text('password.key', props.password.key)
      // redis.conf memory units (src/util.c memtoull): bytes, or k/kb/m/mb/g/gb, case-insensitive.
      .that(/^\d+(b|k|kb|m|mb|g|gb)?$/i.test(props.maxMemory), 'maxMemory', `is "${props.maxMemory}", not a Redis memory size such as "200mb"`)
      .that((parseQuantity(props.storage) ?? 0) > 0, 'storage', `is "${props.storage}", not a positive Kubernetes quantity such as "1Gi"`);
    const ping = ['redis-cli', '-e', '-h', '127.0.0.1', '-p', String(REDIS.port), 'ping'];
    const password = { secretKeyRef: { name: props.password.name, key: props.password.key } };
    const statefulSet = new SingleInstanceStatefulSet(this, 'StatefulSet', {
      metadata: props.metadata,
      selector: props.selector,
      podLabels: props.podLabels,
      claimLabels: props.claimLabels,
      serviceAccountName: props.serviceAccountName,
      uid: REDIS.uid,
      port: { name: REDIS.portName, port: REDIS.port },
      container: {
        name: 'redis',
        image: props.image,
        env: [
          { name: REDIS.passwordVariable, valueFrom: password },
          { name: 'REDISCLI_AUTH', valueFrom: password },
        ],
        args: [
          'redis-server',
          '--port', String(REDIS.port),
          '--dir', REDIS.dataPath,
          '--appendonly', 'yes',
          '--requirepass', `$(${REDIS.passwordVariable})`,
          '--protected-mode', 'yes',
          '--maxmemory', props.maxMemory,
          '--maxmemory-policy', 'allkeys-lru',
        ],
        resources: resourceRequirements(props.resources),
        // Liveness only asks whether the port accepts connections; readiness asks Redis itself.
        livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString(REDIS.portName) }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
        readinessProbe: { exec: { command: ping }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
      },
      data: { name: 'data', mountPath: REDIS.dataPath, storage: props.storage, storageClassName: props.storageClassName },
      scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '16Mi' }],
    });
    this.name = statefulSet.name;
  }
}

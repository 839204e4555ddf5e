import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkProps, WorkloadProps } from '../props';
import { parseQuantity } from '../config/quantity';
import { ResourceSettings, resourceRequirements } from '../resources';
import { REDIS } from './constants';
import { SingleInstanceStatefulSet } from './stateful-set';

/** `metadata` names the StatefulSet and its headless Service (the host name clients use). */
export interface RedisProps extends WorkloadProps {
  /** Labels of its data PVC (never Argo CD's tracking label). */
  readonly claimLabels: Record<string, string>;
  /** e.g. `redis:7.4.1-alpine`. */
  readonly image: string;
  readonly storage: string;
  readonly storageClassName?: string;
  /** Redis `maxmemory`, e.g. `200mb`; keep it below the memory limit. */
  readonly maxMemory: string;
  readonly resources: ResourceSettings;
}

/**
 * Redis as a one-replica StatefulSet (the API's cache), append-only file on
 * the volume. Protected mode is off because there is no password: the
 * NetworkPolicy, which admits only the API pods, is what guards it.
 */
export class Redis extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    checkProps('Redis', props)
      .workload(props)
      .text('image', props.image)
      // redis.conf memory units (src/util.c memtoull): bytes, or k/kb/m/mb/g/gb, case-insensitive.
      .that(/^\d+(b|k|kb|m|mb|g|gb)?$/i.test(props.maxMemory), 'maxMemory', `is "${props.maxMemory}", not a Redis memory size such as "200mb"`)
      .that((parseQuantity(props.storage) ?? 0) > 0, 'storage', `is "${props.storage}", not a positive Kubernetes quantity such as "1Gi"`);
    const ping = ['redis-cli', '-h', '127.0.0.1', '-p', String(REDIS.port), 'ping'];
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
        args: [
          'redis-server',
          '--port', String(REDIS.port),
          '--dir', REDIS.dataPath,
          '--appendonly', 'yes',
          '--protected-mode', 'no',
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

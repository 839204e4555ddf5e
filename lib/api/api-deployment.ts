import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { restrictedContainer, restrictedPodSpec } from '../pod-security';
import { ResourceSettings, resourceRequirements } from '../resources';
import { SecretKeyReference } from '../secrets/secret-key';
import { ROLLOUT_HASH_LABEL } from '../monitoring/canary-analysis';
import { checkProps, WorkloadProps } from '../props';
import { API } from './constants';

export interface ApiDeploymentProps extends WorkloadProps {
  readonly image: string;
  /** ConfigMap whose keys become environment variables. */
  readonly configMapName: string;
  /** Checksum of that ConfigMap's data: a change rolls the pods. */
  readonly configChecksum: string;
  /** Environment variables taken from Secrets, by variable name. */
  readonly secretEnv: Record<string, SecretKeyReference>;
  readonly resources: ResourceSettings;
  /**
   * Seconds the pod keeps serving after it is marked terminating, so that
   * endpoints and load balancers stop sending to it before uvicorn gets SIGTERM.
   * @default 10
   */
  readonly drainSeconds?: number;
  /**
   * Seconds uvicorn gets after SIGTERM to finish in-flight searches (LLM reranking can take several seconds).
   * @default 30
   */
  readonly shutdownSeconds?: number;
}

/**
 * The API Deployment: restricted security context, probes on the named port,
 * a zero-downtime rolling update and no `spec.replicas` (the HPA owns it).
 */
export class ApiDeployment extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ApiDeploymentProps) {
    super(scope, id);
    checkProps('ApiDeployment', props)
      .workload(props)
      .text('image', props.image)
      .name('configMapName', props.configMapName)
      .integer('drainSeconds', props.drainSeconds, { min: 0 })
      .integer('shutdownSeconds', props.shutdownSeconds, { min: 0 });
    const drainSeconds = props.drainSeconds ?? 10;
    const shutdownSeconds = props.shutdownSeconds ?? 30;
    const quantity = (q: string) => k8s.Quantity.fromString(q);
    const spread = (topologyKey: string): k8s.TopologySpreadConstraint => ({
      topologyKey,
      maxSkew: 1,
      // Soft: a single-zone cluster or a full node must not stop scaling.
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: props.selector },
      // Spread each revision on its own, so a rollout does not pile new pods where old ones were. Deployment pods carry
      // pod-template-hash, an Argo Rollouts canary's pods rollouts-pod-template-hash; a key a pod lacks is ignored
      // (Kubernetes docs, "Pod Topology Spread Constraints", matchLabelKeys), so the template is the same for both strategies.
      matchLabelKeys: ['pod-template-hash', ROLLOUT_HASH_LABEL],
    });

    const deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        selector: { matchLabels: props.selector },
        revisionHistoryLimit: 5,
        minReadySeconds: API.minReadySeconds,
        progressDeadlineSeconds: 300,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromString('25%') },
        },
        template: {
          metadata: {
            labels: props.podLabels,
            annotations: { 'checksum/config': props.configChecksum },
          },
          spec: {
            ...restrictedPodSpec(props.serviceAccountName, API.uid),
            terminationGracePeriodSeconds: drainSeconds + shutdownSeconds,
            topologySpreadConstraints: [spread('topology.kubernetes.io/zone'), spread('kubernetes.io/hostname')],
            containers: [
              {
                name: 'api',
                image: props.image,
                ports: [{ name: API.portName, containerPort: API.containerPort, protocol: 'TCP' }],
                envFrom: [{ configMapRef: { name: props.configMapName } }],
                env: Object.entries(props.secretEnv).map(([name, ref]) => ({
                  name,
                  valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } },
                })),
                resources: resourceRequirements(props.resources),
                livenessProbe: {
                  httpGet: { path: API.livenessPath, port: k8s.IntOrString.fromString(API.portName) },
                  initialDelaySeconds: 30,
                  periodSeconds: 10,
                  timeoutSeconds: 5,
                  failureThreshold: 3,
                },
                readinessProbe: {
                  httpGet: { path: API.readinessPath, port: k8s.IntOrString.fromString(API.portName) },
                  initialDelaySeconds: 5,
                  periodSeconds: 5,
                  timeoutSeconds: 3,
                  failureThreshold: 3,
                },
                lifecycle: { preStop: { exec: { command: ['sleep', String(drainSeconds)] } } },
                ...restrictedContainer(API.uid),
                volumeMounts: [
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'logs', mountPath: '/app/logs' },
                ],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: quantity('256Mi') } },
              { name: 'logs', emptyDir: { sizeLimit: quantity('512Mi') } },
            ],
          },
        },
      },
    });
    this.name = deployment.name;
  }
}

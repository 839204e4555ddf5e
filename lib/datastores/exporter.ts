import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DisruptionBudget } from '../disruption-budget';
import { restrictedContainer, restrictedPodSpec } from '../pod-security';
import { checkProps, WorkloadProps } from '../props';
import { resourceRequirements } from '../resources';
import { ExporterFacts } from './exporters';

export interface ExporterProps extends WorkloadProps {
  /** Port, user and readiness page of the exporter image. */
  readonly facts: ExporterFacts;
  readonly image: string;
  /** How the exporter reaches its datastore (plain values and Secret references only). */
  readonly env: k8s.EnvVar[];
}

/**
 * A Prometheus exporter of a datastore as its own one-replica Deployment and
 * Service (not a sidecar): upgrading it never restarts the one-replica
 * datastore, and it keeps reporting `*_up 0` while the datastore is down.
 * Pod Security restricted, read-only root. Liveness is a TCP check of the
 * port, readiness a page that does not query the datastore (a probe on
 * /metrics would query it every few seconds, and a datastore outage must not
 * restart the exporter that reports it).
 */
export class Exporter extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ExporterProps) {
    super(scope, id);
    checkProps('Exporter', props).workload(props).text('image', props.image);
    const { facts } = props;
    const port = k8s.IntOrString.fromString(facts.portName);
    const liveness = { tcpSocket: { port }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
    const readiness = { httpGet: { path: facts.readinessPath, port }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
    const deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: props.metadata,
      spec: {
        replicas: 1,
        revisionHistoryLimit: 3,
        selector: { matchLabels: props.selector },
        template: {
          metadata: { labels: props.podLabels },
          spec: {
            ...restrictedPodSpec(props.serviceAccountName, facts.uid),
            containers: [
              {
                name: 'exporter',
                image: props.image,
                env: props.env,
                ports: [{ name: facts.portName, containerPort: facts.port, protocol: 'TCP' }],
                resources: resourceRequirements({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } }),
                ...restrictedContainer(facts.uid),
                livenessProbe: liveness,
                readinessProbe: readiness,
              },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: props.metadata,
      spec: {
        selector: props.selector,
        ports: [{ name: facts.portName, port: facts.port, targetPort: k8s.IntOrString.fromString(facts.portName), protocol: 'TCP' }],
      },
    });
    new DisruptionBudget(this, 'DisruptionBudget', { metadata: props.metadata, selector: props.selector });
    this.name = deployment.name;
  }
}

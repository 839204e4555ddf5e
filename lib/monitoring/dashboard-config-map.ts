import { k8s } from 'cdk8s-plus-28';
import { GRAFANA_SIDECAR } from './grafana-sidecar';
import { Construct } from 'constructs';
import { checkProps, ObjectProps } from '../props';

export interface DashboardConfigMapProps extends ObjectProps {
  /** Grafana dashboard JSON model. */
  readonly dashboard: object;
  /** File name of the dashboard inside the ConfigMap. */
  readonly fileName: string;
  /** Grafana folder, read by the sidecar from the `grafana_folder` annotation. */
  readonly folder: string;
}


/** A Grafana dashboard the kube-prometheus-stack sidecar loads from a ConfigMap. */
export class DashboardConfigMap extends Construct {
  constructor(scope: Construct, id: string, props: DashboardConfigMapProps) {
    super(scope, id);
    checkProps('DashboardConfigMap', props)
      .object(props)
      // The sidecar writes the key as a file and Grafana loads *.json files only.
      .that(/^[-._a-zA-Z0-9]+\.json$/.test(props.fileName), 'fileName', `is "${props.fileName}", not a ConfigMap key ending in .json`)
      .text('folder', props.folder);
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        ...props.metadata,
        labels: { ...props.metadata.labels, [GRAFANA_SIDECAR.label]: GRAFANA_SIDECAR.labelValue },
        annotations: { ...props.metadata.annotations, [GRAFANA_SIDECAR.folderAnnotation]: props.folder },
      },
      data: { [props.fileName]: `${JSON.stringify(props.dashboard, null, 2)}\n` },
    });
  }
}

import * as path from 'path';
import { Environment } from '../../../config/schema';
import { readDistFolder } from '../../../lib/checklist/load';
import { loadEnvironments, scanEnvironments } from '../../../lib/config/load';
import { environmentTarget } from '../../../lib/config/target';
import { podTemplates } from '../../../lib/manifests/rendered-pods';
import { monitoringContext, MonitoringContext } from '../../../lib/monitoring/context';
import { Manifest } from '../../../lib/synth/render';
import { ROOT } from '../../support/env';
import { AlertmanagerConfigSpec } from '../../support/prometheus-operator/alertmanager-config';
import { ServiceMonitorObject, ServiceObject } from '../../support/prometheus-operator/scrape-config';

/** The committed monitoring objects of one environment, read from dist/<env>/ as Argo CD would apply them. */
export interface DistEnvironment {
  readonly name: string;
  readonly env: Environment;
  readonly ctx: MonitoringContext;
  readonly manifests: readonly Manifest[];
  readonly serviceMonitors: ServiceMonitorObject[];
  readonly services: ServiceObject[];
  readonly ruleGroups: RuleGroupObject[];
  readonly dashboard: DashboardJson;
  readonly alertmanagerConfig: { name: string; spec: AlertmanagerConfigSpec };
  /**
   * Labels and container of the pods of a Deployment, the HPA bounds when it has one, and what runs its pods:
   * the Deployment, or an Argo Rollout that references it (`spec.workloadRef`).
   */
  workload(deployment: string): { labels: Record<string, string>; container: string; minReplicas: number; maxReplicas: number; owner: 'Deployment' | 'Rollout' };
}

export interface RuleGroupObject {
  name: string;
  interval?: string;
  rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
}

export interface DashboardJson {
  title: string;
  templating: { list: { name: string; type: string; current?: { value: string } }[] };
  panels: { id: number; title: string; type: string; targets?: { expr: string; refId: string }[]; panels?: DashboardJson['panels'] }[];
}

/** Every Kubernetes environment (a Compose environment renders no ServiceMonitor, PrometheusRule or AlertmanagerConfig). */
export const ENVIRONMENTS: readonly string[] = scanEnvironments(ROOT).names.filter((name) => environmentTarget(ROOT, name) === 'kubernetes');

const of = <T>(manifests: readonly Manifest[], kind: string) => manifests.filter((m) => m.kind === kind) as unknown as T[];

export function loadDistEnvironment(name: string, root = ROOT): DistEnvironment {
  const [env] = loadEnvironments(root, [name]);
  const manifests = readDistFolder(path.join(root, 'dist', name));
  const one = <T>(kind: string, objectName?: string): T => {
    const found = of<{ metadata: { name: string } }>(manifests, kind).filter((m) => objectName === undefined || m.metadata.name === objectName);
    if (found.length !== 1) throw new Error(`dist/${name}: expected one ${kind}${objectName ? ` ${objectName}` : ''}, found ${found.length}`);
    return found[0] as T;
  };
  const dashboardMap = one<{ data: Record<string, string> }>('ConfigMap', 'ai-odoo-finder-dashboard');
  const amc = one<{ metadata: { name: string }; spec: AlertmanagerConfigSpec }>('AlertmanagerConfig');
  return {
    name,
    env,
    ctx: monitoringContext(env),
    manifests,
    serviceMonitors: of<ServiceMonitorObject>(manifests, 'ServiceMonitor'),
    services: of<ServiceObject>(manifests, 'Service'),
    ruleGroups: of<{ spec: { groups: RuleGroupObject[] } }>(manifests, 'PrometheusRule').flatMap((r) => r.spec.groups),
    dashboard: JSON.parse(Object.values(dashboardMap.data)[0]) as DashboardJson,
    alertmanagerConfig: { name: amc.metadata.name, spec: amc.spec },
    workload(deployment) {
      const template = podTemplates(manifests).find((p) => p.owner.kind === 'Deployment' && p.owner.metadata.name === deployment);
      if (!template) throw new Error(`dist/${name}: no Deployment ${deployment}`);
      const hpa = of<{ spec: { scaleTargetRef: { name: string }; minReplicas?: number; maxReplicas: number } }>(manifests, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === deployment);
      const replicas = (template.owner.spec as { replicas?: number }).replicas ?? 1;
      const container = template.spec.containers.find((c) => c.ports?.length)?.name ?? template.spec.containers[0].name;
      const rollout = of<{ spec: { workloadRef?: { kind: string; name: string } } }>(manifests, 'Rollout').find((r) => r.spec.workloadRef?.kind === 'Deployment' && r.spec.workloadRef.name === deployment);
      return { labels: template.labels, container, minReplicas: hpa?.spec.minReplicas ?? replicas, maxReplicas: hpa?.spec.maxReplicas ?? replicas, owner: rollout ? 'Rollout' : 'Deployment' };
    },
  };
}

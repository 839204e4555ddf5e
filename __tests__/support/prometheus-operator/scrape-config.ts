/**
 * The Prometheus scrape configuration that prometheus-operator generates for a
 * ServiceMonitor, with Kubernetes service discovery replaced by static targets
 * that carry the same `__meta_kubernetes_*` labels the discovery would give.
 *
 * Source: prometheus-operator v0.93 `pkg/prometheus/promcfg.go`,
 * `generateServiceMonitorConfig` (job name, relabelings in their order) and
 * `initRelabelings`, `generateRunningFilter`; default discovery role
 * `endpoints` (`endpointRoleFlavor`). Left out: sharding (one shard keeps every
 * target), scrape classes, TLS/auth (our endpoints use none).
 */

/** The fields of a ServiceMonitor this translation reads; anything else it meets is refused. */
export interface ServiceMonitorObject {
  metadata: { name: string; namespace?: string };
  spec: {
    selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    jobLabel?: string;
    targetLabels?: string[];
    podTargetLabels?: string[];
    namespaceSelector?: unknown;
    endpoints: { port?: string; path?: string; interval?: string; scheme?: string; honorLabels?: boolean; relabelings?: unknown[]; metricRelabelings?: unknown[] }[];
  };
}

export interface ServiceObject {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { selector?: Record<string, string>; ports: { name?: string; port: number; targetPort?: number | string }[] };
}

/** A running pod the harness simulates: where its port listens and what Kubernetes would say about it. */
export interface SimulatedPod {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** The container that declares the port. */
  readonly container: string;
  /** host:port where the pod's metrics port listens (127.0.0.1:…). */
  readonly address: string;
  readonly phase?: 'Running' | 'Pending' | 'Failed' | 'Succeeded';
}

export type Relabeling = Record<string, string | string[] | number>;

export interface ScrapeConfig {
  job_name: string;
  honor_labels: boolean;
  scrape_interval?: string;
  metrics_path?: string;
  scheme?: string;
  static_configs: { targets: string[]; labels: Record<string, string> }[];
  relabel_configs: Relabeling[];
}

/** Prometheus' label name sanitising (promcfg.go sanitizeLabelName). */
const sanitizeLabelName = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/**
 * One scrape config per endpoint of the ServiceMonitor, as the operator writes
 * them, scraping the pods that the namespace's Services select.
 * `intervalOverride` replaces every endpoint interval (the e2e scrapes faster).
 */
export function serviceMonitorScrapeConfigs(
  monitor: ServiceMonitorObject,
  namespace: string,
  services: readonly ServiceObject[],
  pods: readonly SimulatedPod[],
  intervalOverride?: string,
): ScrapeConfig[] {
  const { spec } = monitor;
  if (spec.selector.matchExpressions?.length) throw new Error(`ServiceMonitor ${monitor.metadata.name}: selector.matchExpressions is not translated`);
  if (spec.namespaceSelector) throw new Error(`ServiceMonitor ${monitor.metadata.name}: namespaceSelector is not translated`);
  return spec.endpoints.map((ep, i) => {
    if (ep.relabelings?.length || ep.metricRelabelings?.length) throw new Error(`ServiceMonitor ${monitor.metadata.name}: endpoint relabelings are not translated`);
    const relabelings: Relabeling[] = [{ source_labels: ['job'], target_label: '__tmp_prometheus_job_name' }];
    for (const k of Object.keys(spec.selector.matchLabels ?? {}).sort()) {
      const l = sanitizeLabelName(k);
      relabelings.push({ action: 'keep', source_labels: [`__meta_kubernetes_service_label_${l}`, `__meta_kubernetes_service_labelpresent_${l}`], regex: `(${spec.selector.matchLabels![k]});true` });
    }
    if (ep.port) relabelings.push({ action: 'keep', source_labels: ['__meta_kubernetes_endpoint_port_name'], regex: ep.port });
    const target = ['__meta_kubernetes_endpoint_address_target_kind', '__meta_kubernetes_endpoint_address_target_name'];
    relabelings.push(
      { source_labels: target, separator: ';', regex: 'Node;(.*)', replacement: '${1}', target_label: 'node' },
      { source_labels: target, separator: ';', regex: 'Pod;(.*)', replacement: '${1}', target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      { action: 'drop', source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)' },
    );
    for (const l of spec.targetLabels ?? []) {
      relabelings.push({ source_labels: [`__meta_kubernetes_service_label_${sanitizeLabelName(l)}`], target_label: sanitizeLabelName(l), regex: '(.+)', replacement: '${1}' });
    }
    for (const l of spec.podTargetLabels ?? []) {
      relabelings.push({ source_labels: [`__meta_kubernetes_pod_label_${sanitizeLabelName(l)}`], target_label: sanitizeLabelName(l), regex: '(.+)', replacement: '${1}' });
    }
    relabelings.push({ source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' });
    if (spec.jobLabel) {
      relabelings.push({ source_labels: [`__meta_kubernetes_service_label_${sanitizeLabelName(spec.jobLabel)}`], target_label: 'job', regex: '(.+)', replacement: '${1}' });
    }
    if (ep.port) relabelings.push({ target_label: 'endpoint', replacement: ep.port });

    return {
      job_name: `serviceMonitor/${namespace}/${monitor.metadata.name}/${i}`,
      honor_labels: ep.honorLabels ?? false,
      ...(intervalOverride ?? ep.interval ? { scrape_interval: intervalOverride ?? ep.interval } : {}),
      ...(ep.path ? { metrics_path: ep.path } : {}),
      ...(ep.scheme ? { scheme: ep.scheme } : {}),
      static_configs: endpointsTargets(namespace, services, pods),
      relabel_configs: relabelings,
    };
  });
}

/**
 * What Kubernetes service discovery (role `endpoints`) gives: one target per
 * Service port and pod that the Service selects, with the Service's labels,
 * the port name and the pod's names as meta labels. Every Service of the
 * namespace is listed; the relabelings above keep the selected ones.
 */
function endpointsTargets(namespace: string, services: readonly ServiceObject[], pods: readonly SimulatedPod[]): ScrapeConfig['static_configs'] {
  return services.flatMap((service) =>
    service.spec.ports.flatMap((port) =>
      pods
        .filter((pod) => selects(service.spec.selector, pod.labels))
        .map((pod) => ({
          targets: [pod.address],
          labels: {
            __meta_kubernetes_namespace: namespace,
            __meta_kubernetes_service_name: service.metadata.name,
            ...Object.fromEntries(
              Object.entries(service.metadata.labels ?? {}).flatMap(([k, v]) => [
                [`__meta_kubernetes_service_label_${sanitizeLabelName(k)}`, v],
                [`__meta_kubernetes_service_labelpresent_${sanitizeLabelName(k)}`, 'true'],
              ]),
            ),
            __meta_kubernetes_endpoint_port_name: port.name ?? '',
            __meta_kubernetes_endpoint_ready: 'true',
            __meta_kubernetes_endpoint_address_target_kind: 'Pod',
            __meta_kubernetes_endpoint_address_target_name: pod.name,
            __meta_kubernetes_pod_name: pod.name,
            __meta_kubernetes_pod_container_name: pod.container,
            __meta_kubernetes_pod_phase: pod.phase ?? 'Running',
            ...Object.fromEntries(Object.entries(pod.labels).map(([k, v]) => [`__meta_kubernetes_pod_label_${sanitizeLabelName(k)}`, v])),
          },
        })),
    ),
  );
}

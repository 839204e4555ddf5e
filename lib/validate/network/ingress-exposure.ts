import { arrayAt, get, stringAt, stringMap } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { containerPorts, PodTemplateFields } from '../pod-fields';
import { finding, Resource } from '../resource';
import { mapSelects, selects } from '../selectors';
import { deniesEveryAddress, DENYLIST_ANNOTATION, EVERY_ADDRESS } from '../../ingress/blocked-paths-ingress';

const RULE = 'ingress-metrics-exposed';
/** prometheus-operator's default scrape path of a ServiceMonitor or PodMonitor endpoint. */
const DEFAULT_METRICS_PATH = '/metrics';

/** Where Prometheus scrapes pods: their container port and path, and the monitor that says so. */
interface Scrape {
  readonly template: PodTemplateFields;
  readonly port: number;
  readonly path: string;
  readonly monitor: Resource;
}

/**
 * Rule `ingress-metrics-exposed`: an Ingress path that reaches the container
 * port Prometheus scrapes, at a path that covers the scrape path, must have
 * that path taken back: an Ingress of the same class and host with a longer
 * Prefix path covering it (and what lies below it) that denies every address
 * (`nginx.ingress.kubernetes.io/denylist-source-range: "0.0.0.0/0,::/0"`;
 * lib/ingress/blocked-paths-ingress.ts says why that works in ingress-nginx,
 * also under an Argo Rollouts canary). Otherwise the internet reads the
 * metrics: request counts, costs, and whatever labels the API puts there.
 */
export function checkIngressExposure(folder: Folder): Finding[] {
  const scrapes = scrapesOf(folder);
  if (scrapes.length === 0) return [];
  const ingresses = folder.ofKind('Ingress').filter((i) => i.apiVersion.startsWith('networking.k8s.io/'));
  const findings: Finding[] = [];
  for (const ingress of ingresses) {
    if (deniesEveryone(ingress)) continue;
    arrayAt(ingress.object, 'spec', 'rules').forEach((rule, ri) => {
      const host = stringAt(rule, 'host') ?? '';
      arrayAt(rule, 'http', 'paths').forEach((p, pi) => {
        const path = stringAt(p, 'path') ?? '/';
        const pathType = stringAt(p, 'pathType') ?? 'ImplementationSpecific';
        const serviceName = stringAt(p, 'backend', 'service', 'name');
        const service = serviceName === undefined ? undefined : folder.find('Service', ingress.namespace, serviceName);
        if (!service) return; // a missing Service is reported by the reference rules
        const servicePort = get(p, 'backend', 'service', 'port', 'name') ?? get(p, 'backend', 'service', 'port', 'number');
        const reached = reachedPorts(folder, service, servicePort);
        const exposed = scrapes.find((s) => reached.some((r) => r.template === s.template && r.port === s.port) && covers(path, pathType, s.path));
        if (!exposed || blocked(ingresses, ingress, host, exposed.path, path)) return;
        findings.push(
          finding(ingress, 'error', RULE, ['spec', 'rules', ri, 'http', 'paths', pi],
            `${host || '<any host>'}${path} reaches Service "${service.name}" on the port where its pods serve their metrics at ${exposed.path} ` +
              `(${exposed.monitor.kind} "${exposed.monitor.name}"): the internet can read them. Take the path back: an Ingress of the same class for ${host || 'the same host'} ` +
              `with path ${exposed.path} (pathType Prefix) and ${DENYLIST_ANNOTATION}: "${EVERY_ADDRESS.join(',')}" (ingress-nginx snippets are off by default since 1.9); Prometheus scrapes the pods directly`),
        );
      });
    });
  }
  return findings;
}

const SERVICE_RULE = 'service-metrics-exposed';
/** Service types that kube-proxy publishes outside the cluster: a port on every node, and for LoadBalancer the cloud's load balancer. */
const PUBLISHED_TYPES: readonly string[] = ['LoadBalancer', 'NodePort'];

/**
 * Rule `service-metrics-exposed`: a Service published outside the cluster
 * (type LoadBalancer or NodePort, or with externalIPs) on a port that reaches
 * the container port Prometheus scrapes. A Service forwards a whole port, so
 * the scrape path goes with it: nothing can take `/metrics` back there.
 * An error when an Ingress routes to the same pods (the Service bypasses the
 * Ingress's TLS, rate limit, CORS and its /metrics block; the config loader
 * refuses `service.type` LoadBalancer/NodePort with the Ingress on), a
 * warning otherwise (the API is exposed directly on purpose, and its metrics
 * with it).
 */
export function checkServiceExposure(folder: Folder): Finding[] {
  const scrapes = scrapesOf(folder);
  if (scrapes.length === 0) return [];
  const served = ingressBackends(folder);
  const findings: Finding[] = [];
  for (const service of folder.ofKind('Service').filter((s) => s.apiVersion === 'v1')) {
    const type = stringAt(service.object, 'spec', 'type') ?? 'ClusterIP';
    const externalIps = arrayAt(service.object, 'spec', 'externalIPs').length > 0;
    if (!PUBLISHED_TYPES.includes(type) && !externalIps) continue;
    const how = PUBLISHED_TYPES.includes(type) ? `of type ${type}` : 'with externalIPs';
    const who =
      type === 'LoadBalancer' ? 'every client that reaches its load balancer or a node\'s port' : type === 'NodePort' ? 'every client that reaches a node\'s port' : 'every client that reaches its external IPs';
    arrayAt(service.object, 'spec', 'ports').forEach((p, pi) => {
      const port = get(p, 'port');
      const reached = reachedPorts(folder, service, port);
      const exposed = scrapes.find((s) => reached.some((r) => r.template === s.template && r.port === s.port));
      if (!exposed) return;
      const what = `Service "${service.name}" ${how}: port ${String(port)} reaches container port ${exposed.port} of ${exposed.template.resource.kind} "${exposed.template.resource.name}", where its pods serve their metrics at ${exposed.path} (${exposed.monitor.kind} "${exposed.monitor.name}")`;
      const ingress = served.find((b) => b.template === exposed.template)?.ingress;
      findings.push(
        ingress
          ? finding(service, 'error', SERVICE_RULE, ['spec', 'ports', pi],
              `${what}, behind Ingress "${ingress.name}": ${who} bypasses the Ingress (TLS, rate limit, CORS and its ${exposed.path} block) and reads the metrics. ` +
                'Make it ClusterIP (the config refuses service.type LoadBalancer or NodePort while ingress.enabled is true)')
          : finding(service, 'warning', SERVICE_RULE, ['spec', 'ports', pi],
              `${what}: ${who} reads them, since a Service forwards the whole port. Put the API behind the Ingress (ClusterIP; the Ingress takes ${exposed.path} back), ` +
                'or keep the load balancer inside your network (your cloud\'s internal load balancer annotation in service.annotations)'),
      );
    });
  }
  return findings;
}

/** The pod templates that Ingresses serving clients (not denying everyone) route to. */
function ingressBackends(folder: Folder): { ingress: Resource; template: PodTemplateFields }[] {
  const backends: { ingress: Resource; template: PodTemplateFields }[] = [];
  for (const ingress of folder.ofKind('Ingress').filter((i) => i.apiVersion.startsWith('networking.k8s.io/') && !deniesEveryone(i))) {
    for (const rule of arrayAt(ingress.object, 'spec', 'rules')) {
      for (const p of arrayAt(rule, 'http', 'paths')) {
        const name = stringAt(p, 'backend', 'service', 'name');
        const service = name === undefined ? undefined : folder.find('Service', ingress.namespace, name);
        if (!service) continue;
        const port = get(p, 'backend', 'service', 'port', 'name') ?? get(p, 'backend', 'service', 'port', 'number');
        for (const r of reachedPorts(folder, service, port)) backends.push({ ingress, template: r.template });
      }
    }
  }
  return backends;
}

/** The pods a ServiceMonitor or PodMonitor of the folder scrapes, with port and path. */
function scrapesOf(folder: Folder): Scrape[] {
  const scrapes: Scrape[] = [];
  for (const monitor of folder.ofKind('ServiceMonitor').filter((m) => m.apiVersion.startsWith('monitoring.coreos.com/'))) {
    const services = folder.ofKind('Service').filter((s) => s.namespace === monitor.namespace && selects(get(monitor.object, 'spec', 'selector'), stringMap(s.object, 'metadata', 'labels')));
    for (const e of arrayAt(monitor.object, 'spec', 'endpoints')) {
      const port = get(e, 'port') ?? get(e, 'targetPort');
      const path = stringAt(e, 'path') ?? DEFAULT_METRICS_PATH;
      for (const s of services) for (const r of reachedPorts(folder, s, port)) scrapes.push({ ...r, path, monitor });
    }
  }
  for (const monitor of folder.ofKind('PodMonitor').filter((m) => m.apiVersion.startsWith('monitoring.coreos.com/'))) {
    const templates = folder.templatesIn(monitor.namespace).filter((t) => selects(get(monitor.object, 'spec', 'selector'), t.labels));
    for (const e of arrayAt(monitor.object, 'spec', 'podMetricsEndpoints')) {
      const port = stringAt(e, 'port');
      const path = stringAt(e, 'path') ?? DEFAULT_METRICS_PATH;
      for (const t of templates) {
        const number = port === undefined ? undefined : containerPort(t, port);
        if (number !== undefined) scrapes.push({ template: t, port: number, path, monitor });
      }
    }
  }
  return scrapes;
}

/** The pod templates a Service sends a port (by name or number) to, with the container port it lands on. */
function reachedPorts(folder: Folder, service: Resource, port: unknown): { template: PodTemplateFields; port: number }[] {
  const entry = arrayAt(service.object, 'spec', 'ports').find((p) => (typeof port === 'number' ? get(p, 'port') === port : stringAt(p, 'name') === port));
  if (entry === undefined) return [];
  const target = (get(entry, 'targetPort') ?? get(entry, 'port')) as string | number | undefined;
  if (target === undefined) return [];
  const selector = stringMap(service.object, 'spec', 'selector');
  return folder.templatesIn(service.namespace).flatMap((template) => {
    if (!template.longRunning || !mapSelects(selector, template.labels)) return [];
    const number = containerPort(template, target);
    return number === undefined ? [] : [{ template, port: number }];
  });
}

/** The container port number a named or numbered target port means in a pod template. */
function containerPort(t: PodTemplateFields, target: string | number): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of t.containers.filter((x) => x.list === 'containers')) {
    const found = containerPorts(c).find((p) => p.name === target);
    if (found) return found.port;
  }
  return undefined;
}

/**
 * Whether an Ingress path matches a request path. Prefix matches whole path
 * elements (Kubernetes networking/v1 HTTPIngressPath); ingress-nginx serves
 * ImplementationSpecific as a plain nginx prefix.
 */
function covers(path: string, pathType: string, requestPath: string): boolean {
  if (pathType === 'Exact') return path === requestPath;
  if (pathType === 'Prefix') return path === '/' || requestPath === path.replace(/\/$/, '') || requestPath.startsWith(path.endsWith('/') ? path : `${path}/`);
  return requestPath.startsWith(path);
}

/** Whether an Ingress answers every client address with 403 (ingress-nginx denylist of all IPv4 and IPv6). */
const deniesEveryone = (ingress: Resource) => deniesEveryAddress(stringMap(ingress.object, 'metadata', 'annotations'));

const classOf = (i: Resource) => stringAt(i.object, 'spec', 'ingressClassName') ?? stringMap(i.object, 'metadata', 'annotations')['kubernetes.io/ingress.class'];

/**
 * Whether another Ingress of the same class takes `metricsPath` of `host`
 * back: a Prefix path covering it and everything below it, longer than the
 * exposing path (nginx picks the longest prefix), that denies everyone.
 */
function blocked(ingresses: readonly Resource[], exposing: Resource, host: string, metricsPath: string, exposingPath: string): boolean {
  return ingresses.some(
    (other) =>
      other !== exposing &&
      other.namespace === exposing.namespace &&
      classOf(other) === classOf(exposing) &&
      deniesEveryone(other) &&
      arrayAt(other.object, 'spec', 'rules').some(
        (rule) =>
          (stringAt(rule, 'host') ?? '') === host &&
          arrayAt(rule, 'http', 'paths').some((p) => {
            const path = stringAt(p, 'path') ?? '/';
            return stringAt(p, 'pathType') === 'Prefix' && path.length > exposingPath.length && covers(path, 'Prefix', metricsPath) && covers(path, 'Prefix', `${metricsPath}/x`);
          }),
      ),
  );
}

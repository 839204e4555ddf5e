import { toYaml } from '../../lib/yaml/writer';
import { ROOT } from '../support/env';
import { Finding, formatPath } from '../../lib/validate/finding';
import { SchemaStore } from '../../lib/validate/schema/store';
import { validateFolder } from '../../lib/validate/validate';

/** One store for a whole test file: compiling schemas is the slow part. */
let store: SchemaStore | undefined;
export function schemaStore(): SchemaStore {
  store ??= new SchemaStore(ROOT);
  return store;
}

export type Obj = Record<string, any>;

const NS = 'shop';
const SELECTOR = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api-test' };
const LABELS = { ...SELECTOR, 'app.kubernetes.io/version': '1.0.0' };

export function container(overrides: Obj = {}): Obj {
  return {
    name: 'api',
    image: 'ghcr.io/example/api:1.0.0',
    ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }],
    envFrom: [{ configMapRef: { name: 'api-config' } }],
    env: [{ name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'api-keys', key: 'openai' } } }],
    readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
    livenessProbe: { httpGet: { path: '/health', port: 'http' } },
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...overrides,
  };
}

export function podSpec(overrides: Obj = {}): Obj {
  return {
    serviceAccountName: 'api',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container()],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } }],
    ...overrides,
  };
}

/** A complete, clean environment: every check passes on it. Tests break exactly one rule of it. */
export function cleanEnvironment(): Obj[] {
  // A deep copy without shared parts (structuredClone keeps them): tests change what they get.
  return JSON.parse(JSON.stringify(cleanObjects())) as Obj[];
}

function cleanObjects(): Obj[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' }, annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: NS }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-config', namespace: NS }, data: { LOG_LEVEL: 'info', REDIS_URL: 'redis://redis:6379/0' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: NS, labels: LABELS },
      spec: { selector: { matchLabels: SELECTOR }, template: { metadata: { labels: LABELS }, spec: podSpec() } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: NS, labels: LABELS }, spec: { selector: SELECTOR, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: NS },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api', namespace: NS },
      spec: { podSelector: { matchLabels: SELECTOR }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'api', namespace: NS },
      // Only /api: `/` would expose the ServiceMonitor's /metrics (ingress-metrics-exposed).
      spec: { rules: [{ host: 'api.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } }] },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'api', namespace: NS },
      spec: { selector: { matchLabels: SELECTOR }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'api', namespace: NS },
      spec: {
        groups: [
          {
            name: 'api',
            rules: [
              { record: 'job:search_requests:rate5m', expr: 'sum by (job) (rate(search_requests_total[5m]))' },
              {
                alert: 'SearchErrors',
                expr: 'sum(rate(search_requests_total{status="error"}[5m])) / sum(rate(search_requests_total[5m])) > 0.05',
                for: '5m',
                labels: { severity: 'critical', level: 'P2', problem: 'availability' },
                annotations: { summary: 'Errors', description: 'More than 5% of searches fail.', runbook_url: 'https://runbooks.example.com/search-errors' },
              },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dashboard', namespace: NS, labels: { grafana_dashboard: '1' } },
      data: {
        'api.json': JSON.stringify({
          uid: 'api',
          title: 'API',
          panels: [
            { id: 1, title: 'Rate', targets: [{ refId: 'A', expr: 'sum(rate(search_requests_total{namespace="$namespace"}[$__rate_interval]))' }] },
            { id: 2, type: 'row', title: 'More', panels: [{ id: 3, title: 'Latency', targets: [{ refId: 'A', expr: 'histogram_quantile(0.95, sum by (le) (rate(search_latency_seconds_bucket[$window])))' }] }] },
          ],
        }),
      },
    },
    // Last, so that the other objects keep their file numbers.
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: NS }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
  ];
}

/** Every finding of a folder made of these objects, one file each. */
export function findingsOf(objects: Obj[], options: { shared?: boolean; folder?: string } = {}): Finding[] {
  const folder = options.folder ?? 'test';
  const files = objects.map((o, i) => ({ file: `dist/${folder}/${i}-${String(o.kind).toLowerCase()}-${o.metadata?.name}.yaml`, text: toYaml(o) }));
  return validateFolder(schemaStore(), folder, files, options.shared ?? false);
}

/** Findings as `rule Kind/ns/name path: severity: message`, easy to compare whole. */
export function summarize(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule} ${f.object} ${formatPath(f.path)}: ${f.severity}: ${f.message}`);
}

/** The findings after changing the clean environment with `change`, summarized. */
export function after(change: (env: { byKind: (kind: string, name?: string) => Obj; objects: Obj[] }) => void): string[] {
  const objects = cleanEnvironment();
  const byKind = (kind: string, name?: string) => {
    const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
    if (found.length !== 1) throw new Error(`fixture has ${found.length} ${kind} ${name ?? ''}`);
    return found[0];
  };
  change({ byKind, objects });
  return summarize(findingsOf(objects));
}

/** The pod spec of the fixture Deployment. */
export const podOf = (deployment: Obj): Obj => deployment.spec.template.spec;

import { WorkloadIdentity } from '../labels';

/** One Prometheus exporter of a datastore: its Deployment, Service and ServiceMonitor share `name`. */
export interface ExporterFacts {
  readonly name: string;
  readonly identity: WorkloadIdentity;
  readonly port: number;
  readonly portName: string;
  /** The image's non-root user. */
  readonly uid: number;
  /** A page that answers without querying the datastore (readiness). */
  readonly readinessPath: string;
}

/** postgres_exporter (prometheus-community): listens on 9187, image user `nobody` (65534), landing page on `/`. */
export const POSTGRESQL_EXPORTER = {
  name: 'postgresql-exporter',
  identity: { name: 'postgresql-exporter', component: 'database-metrics' },
  port: 9187,
  portName: 'metrics',
  uid: 65534,
  readinessPath: '/',
} as const satisfies ExporterFacts;

/** redis_exporter (oliver006): listens on 9121, image user 59000, `/health` (exporter/exporter.go: `e.mux.HandleFunc("/health", …)`). */
export const REDIS_EXPORTER = {
  name: 'redis-exporter',
  identity: { name: 'redis-exporter', component: 'cache-metrics' },
  port: 9121,
  portName: 'metrics',
  uid: 59000,
  readinessPath: '/health',
} as const satisfies ExporterFacts;

/** ServiceAccount of the exporter pods (no token: they never call the Kubernetes API). */
export const EXPORTERS_SERVICE_ACCOUNT = 'datastore-exporters';

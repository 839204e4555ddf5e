import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { Exporter } from '../lib/datastores/exporter';
import { EXPORTERS_SERVICE_ACCOUNT, ExporterFacts, POSTGRESQL_EXPORTER, REDIS_EXPORTER } from '../lib/datastores/exporters';
import { pinnedImageVersion } from '../lib/image';
import { recommendedLabels } from '../lib/labels';
import { ApiServiceMonitor } from '../lib/monitoring/api-service-monitor';
import { datastoreMonitoring } from '../lib/monitoring/datastore-monitoring';
import { TokenlessServiceAccount } from '../lib/service-account';
import { EnvironmentChart } from './environment-chart';

const secretEnv = (name: string, ref: { name: string; key: string }): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });

/**
 * Database monitoring (spec checklist "Database monitoring set up"):
 * postgres_exporter and redis_exporter for the datastores this environment
 * monitors (lib/monitoring/datastore-monitoring.ts), each with a Service and a
 * ServiceMonitor. Their alerts are in the PrometheusRule, their panels in the dashboard.
 */
export class DatastoreMonitoringChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    const monitored = datastoreMonitoring(env);
    if (!monitored.postgresql && !monitored.redis) return;

    const serviceAccount = new TokenlessServiceAccount(this, 'ServiceAccount', {
      metadata: { name: EXPORTERS_SERVICE_ACCOUNT, labels: recommendedLabels(env, { name: EXPORTERS_SERVICE_ACCOUNT, component: 'datastore-metrics' }, pinnedImageVersion(env.monitoring.datastores.postgresqlExporterImage)) },
    });

    const exporter = (id: string, facts: ExporterFacts, image: string, vars: k8s.EnvVar[]) => {
      const workload = this.workloadProps(facts.name, facts.identity, pinnedImageVersion(image), serviceAccount.name);
      new Exporter(this, id, { ...workload, facts, image, env: vars });
      new ApiServiceMonitor(this, `${id}ServiceMonitor`, {
        metadata: { name: facts.name, labels: { ...workload.metadata.labels, ...env.monitoring.selectorLabels } },
        serviceSelector: workload.selector,
        portName: facts.portName,
        interval: env.monitoring.scrapeInterval,
      });
    };

    const pg = monitored.postgresql;
    if (pg) {
      const s = pg.source;
      exporter(
        'PostgresqlExporter',
        POSTGRESQL_EXPORTER,
        pg.image,
        s.kind === 'in-cluster'
          ? [{ name: 'DATA_SOURCE_URI', value: s.uri }, { name: 'DATA_SOURCE_USER', value: s.user }, secretEnv('DATA_SOURCE_PASS', s.password)]
          : [secretEnv('DATA_SOURCE_NAME', s.dataSourceName)],
      );
    }
    const redis = monitored.redis;
    if (redis) {
      const s = redis.source;
      // redis_exporter reads REDIS_ADDR and REDIS_PASSWORD (main.go: flags redis.addr and redis.password default to them).
      exporter(
        'RedisExporter',
        REDIS_EXPORTER,
        redis.image,
        s.kind === 'in-cluster' ? [{ name: 'REDIS_ADDR', value: s.address }, secretEnv('REDIS_PASSWORD', s.password)] : [secretEnv('REDIS_ADDR', s.url)],
      );
    }
  }
}

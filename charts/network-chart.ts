import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { API } from '../lib/api/constants';
import { BACKUP, POSTGRESQL, REDIS } from '../lib/datastores/constants';
import { POSTGRESQL_EXPORTER, REDIS_EXPORTER } from '../lib/datastores/exporters';
import { datastoreMonitoring } from '../lib/monitoring/datastore-monitoring';
import { HOOKS } from '../lib/delivery/constants';
import { imageVersion, pinnedImageVersion } from '../lib/image';
import { HTTP01_SOLVER } from '../lib/ingress/cert-manager';
import { recommendedLabels, selectorLabels } from '../lib/labels';
import { EVERY_ADDRESS } from '../lib/network/addresses';
import { cidrs, DNS_EGRESS, namespaces, pods, tcp } from '../lib/network/peers';
import { WorkloadPolicy } from '../lib/network/workload-policy';
import { EnvironmentChart } from './environment-chart';

/**
 * NetworkPolicies of one environment: deny everything in the namespace, then
 * one policy per workload allowing exactly its traffic.
 */
export class NetworkChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    const inCluster = env.datastores.mode === 'in-cluster';
    const api = selectorLabels(env, API.identity);
    const migration = selectorLabels(env, HOOKS.migration.identity);
    const smokeTest = selectorLabels(env, HOOKS.smokeTest.identity);
    const postgresql = selectorLabels(env, POSTGRESQL.identity);
    const redis = selectorLabels(env, REDIS.identity);
    const backup = selectorLabels(env, BACKUP.identity);
    const monitored = datastoreMonitoring(env);
    const pgExporter = selectorLabels(env, POSTGRESQL_EXPORTER.identity);
    const redisExporter = selectorLabels(env, REDIS_EXPORTER.identity);
    const apiVersion = imageVersion(env.image);
    // Labelled as the workload it covers, with that workload's version (the default-deny policy as the application's network).
    const metadata = (name: string, component: string, app: string = API.name, version = apiVersion) => ({
      name,
      labels: recommendedLabels(env, { name: app, component }, version),
    });
    const ingressController = namespaces(env.network.ingressControllerNamespace, env.network.ingressControllerPods);

    // In-cluster: the datastore pods. External: the managed services' addresses and ports.
    const { external } = env.datastores;
    const toPostgresql: k8s.NetworkPolicyEgressRule = inCluster
      ? { to: [pods(postgresql)], ports: tcp(POSTGRESQL.port) }
      : { to: cidrs(external.cidrs), ports: tcp(...external.ports.postgresql) };
    const toRedis: k8s.NetworkPolicyEgressRule = inCluster
      ? { to: [pods(redis)], ports: tcp(REDIS.port) }
      : { to: cidrs(external.cidrs), ports: tcp(...external.ports.redis) };

    new WorkloadPolicy(this, 'DefaultDeny', { metadata: metadata('default-deny', 'network'), podSelector: {} });

    new WorkloadPolicy(this, 'Api', {
      metadata: metadata(API.name, API.identity.component),
      podSelector: api,
      ingress: [
        ...(env.ingress.enabled ? [{ from: [ingressController], ports: tcp(API.containerPort) }] : []),
        // A LoadBalancer or NodePort Service brings clients from outside the cluster, at any address.
        ...(env.service.type !== 'ClusterIP' ? [{ from: cidrs(EVERY_ADDRESS), ports: tcp(API.containerPort) }] : []),
        { from: [namespaces(env.network.prometheusNamespace)], ports: tcp(API.containerPort) },
        ...(env.smokeTest.enabled ? [{ from: [pods(smokeTest)], ports: tcp(API.containerPort) }] : []),
      ],
      egress: [DNS_EGRESS, toPostgresql, toRedis, { to: cidrs(env.network.httpsEgressCidrs), ports: tcp(443) }],
    });

    if (env.ingress.enabled && env.ingress.acmeSolver === 'http01') {
      // cert-manager's HTTP-01 solver pod (created per challenge in this namespace, port 8089;
      // see lib/ingress/cert-manager.ts) is reached through the ingress controller only. It
      // answers and never calls out, so it may send nothing.
      new WorkloadPolicy(this, 'AcmeHttp01Solver', {
        metadata: metadata(HTTP01_SOLVER.policyName, 'acme-solver'),
        podSelector: { ...HTTP01_SOLVER.labels },
        ingress: [{ from: [ingressController], ports: tcp(HTTP01_SOLVER.port) }],
      });
    }

    if (env.migrations.enabled) {
      new WorkloadPolicy(this, 'Migration', {
        metadata: metadata(HOOKS.migration.name, HOOKS.migration.identity.component),
        podSelector: migration,
        egress: [DNS_EGRESS, toPostgresql],
      });
    }
    if (env.smokeTest.enabled) {
      new WorkloadPolicy(this, 'SmokeTest', {
        metadata: metadata(HOOKS.smokeTest.name, HOOKS.smokeTest.identity.component),
        podSelector: smokeTest,
        egress: [DNS_EGRESS, { to: [pods(api)], ports: tcp(API.containerPort) }],
      });
    }

    // Datastore exporters: Prometheus scrapes them; they reach their datastore only.
    for (const [facts, selector, to, image] of [
      [POSTGRESQL_EXPORTER, pgExporter, monitored.postgresql && toPostgresql, monitored.postgresql?.image],
      [REDIS_EXPORTER, redisExporter, monitored.redis && toRedis, monitored.redis?.image],
    ] as const) {
      if (!to || !image) continue;
      new WorkloadPolicy(this, facts.name, {
        metadata: metadata(facts.name, facts.identity.component, facts.identity.name, pinnedImageVersion(image)),
        podSelector: selector,
        ingress: [{ from: [namespaces(env.network.prometheusNamespace)], ports: tcp(facts.port) }],
        egress: [DNS_EGRESS, to],
      });
    }

    if (inCluster) {
      const backupEnabled = env.datastores.backup.enabled;
      const pgVersion = pinnedImageVersion(env.datastores.postgresql.image);
      const clients = [pods(api), ...(env.migrations.enabled ? [pods(migration)] : []), ...(backupEnabled ? [pods(backup)] : []), ...(monitored.postgresql ? [pods(pgExporter)] : [])];
      new WorkloadPolicy(this, 'Postgresql', {
        metadata: metadata(POSTGRESQL.name, POSTGRESQL.identity.component, POSTGRESQL.identity.name, pgVersion),
        podSelector: postgresql,
        ingress: [{ from: clients, ports: tcp(POSTGRESQL.port) }],
      });
      new WorkloadPolicy(this, 'Redis', {
        metadata: metadata(REDIS.name, REDIS.identity.component, REDIS.identity.name, pinnedImageVersion(env.datastores.redis.image)),
        podSelector: redis,
        ingress: [{ from: [pods(api), ...(monitored.redis ? [pods(redisExporter)] : [])], ports: tcp(REDIS.port) }],
      });
      if (backupEnabled) {
        new WorkloadPolicy(this, 'Backup', {
          metadata: metadata(BACKUP.name, BACKUP.identity.component, BACKUP.identity.name, pgVersion),
          podSelector: backup,
          egress: [DNS_EGRESS, toPostgresql],
        });
      }
    }
  }
}

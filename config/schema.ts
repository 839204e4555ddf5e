import { Static, TOptional, TUnsafe, Type } from '@sinclair/typebox';
import { COMPOSE_SECTION } from './compose-schema';
import { DELIVERY_SECTIONS, Image } from './delivery-schema';
import { Annotations, Choice, DnsLabel, Labels, Resources, SecretKey, SecretKeyRef, section, strict } from './schema-types';
import { Level, LEVEL_NAMES, LEVELS } from '../lib/monitoring/alert-spec';
import { SLO_LATENCY_THRESHOLDS } from '../lib/monitoring/metrics';
import { RECEIVER_CHOICES, ReceiverChoice } from '../lib/monitoring/routing-policy';
import { CLOCK_TIME_PATTERN, WEEKDAY_RANGE_PATTERN } from '../lib/monitoring/business-hours';

/** An optional section that stays absent unless written (no `default: {}` for ajv to fill in). */
function withoutDefault<T extends { default?: unknown }>(schema: T): T {
  const copy = { ...schema };
  delete copy.default;
  return copy;
}

/**
 * The schema of one environment file (`config/environments/<name>.yaml`).
 *
 * It is the single source of truth: the TypeScript types below are derived
 * from it, `lib/config/load.ts` validates and fills defaults with it (ajv), and
 * `npm run synth` publishes it as `config/environment.schema.json` for editors.
 * Every object rejects unknown keys so that a typo is an error, not a no-op.
 */

export const EnvironmentSchema = Type.Object(
  {
    tier: Choice(['production', 'staging', 'development'], {
      description: 'What this environment is for. "production" turns on the strict checks (pinned image, no "latest").',
    }),
    target: Choice(['kubernetes', 'compose'], {
      default: 'kubernetes',
      description:
        'What npm run synth renders: "kubernetes" (manifests Argo CD syncs) or "compose" (a Docker Compose stack for one server or a laptop, with deploy.sh and rollback.sh; see docs/compose.md).',
    }),
    namespace: Type.String({
      ...DnsLabel,
      description: 'Namespace every resource of this environment goes to. With target "compose": the Compose project name (prefix of its containers, network and volumes).',
    }),
    image: Type.Object(
      {
        repository: Type.String({
          // A registry port must be followed by a path: "ghcr.io:443" alone would render "ghcr.io:443:1.4.2".
          pattern: '^[a-z0-9]+([._-][a-z0-9]+)*((:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+)?$',
          maxLength: 255,
          description: 'Image repository without tag, e.g. "ghcr.io/ai-odoofinder/api" (a registry port needs a path after it: "registry:5000/api").',
        }),
        tag: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$', description: 'Image tag, e.g. "1.4.2". Bump it to deploy.' })),
        digest: Type.Optional(Type.String({ pattern: '^sha256:[a-f0-9]{64}$', description: 'Image digest; when set it wins over the tag for pulling.' })),
      },
      { ...strict, description: 'The API container image. Give a tag, a digest, or both.' },
    ),
    autoscaling: section(
      {
        minReplicas: Type.Integer({ minimum: 1, maximum: 100, default: 2, description: 'Fewest API pods the HPA keeps.' }),
        maxReplicas: Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'Most API pods the HPA may start.' }),
        targetCPUUtilization: Type.Integer({ minimum: 10, maximum: 100, default: 70, description: 'Average CPU use (percent of requests) the HPA aims for.' }),
      },
      'HorizontalPodAutoscaler bounds. The Deployment has no replica count of its own: the HPA owns it.',
    ),
    resources: Resources('API container resources.', ['250m', '512Mi'], ['500m', '1Gi']),
    app: section(
      {
        logLevel: Choice(['critical', 'error', 'warning', 'info', 'debug', 'trace'], {
          default: 'info',
          description: 'LOG_LEVEL of the API.',
        }),
        enableRerankingDefault: Type.Boolean({ default: true, description: 'ENABLE_RERANKING_DEFAULT: turn LLM reranking off to cut cost or latency.' }),
        // Refused when written (lib/config/constraints.ts): kept so that a file that still sets it gets a message saying what replaced it.
        redisUrl: Type.Optional(Type.String({ description: 'Removed: every Redis needs a password now, so REDIS_URL always comes from a Secret (secrets.redisUrl; in-cluster: Secret datastores.redis.password.name, key "url"). Refused when set.' })),
      },
      'Plain (non-secret) settings of the API, rendered into its ConfigMap.',
    ),
    secrets: section(
      {
        databaseUrl: Type.Optional(
          Type.Object(
            { name: Type.String({ ...DnsLabel, maxLength: 253 }), key: Type.String(SecretKey) },
            {
              ...strict,
              description:
                'Secret key holding DATABASE_URL (postgresql://…, with pgvector). Default: with in-cluster datastores, key "url" of the Secret of datastores.postgresql.password (postgresql-credentials), which the ExternalSecret builds from the password; with external ones, db-credentials key "url".',
            },
          ),
        ),
        anthropicApiKey: SecretKeyRef('Secret key holding ANTHROPIC_API_KEY.', 'api-keys', 'anthropic'),
        openaiApiKey: SecretKeyRef('Secret key holding OPENAI_API_KEY.', 'api-keys', 'openai'),
        redisUrl: Type.Optional(
          Type.Object(
            { name: Type.String({ ...DnsLabel, maxLength: 253 }), key: Type.String(SecretKey) },
            { ...strict, description: 'Secret key holding REDIS_URL, password included. Default: with in-cluster datastores, key "url" of the Secret of datastores.redis.password (redis-credentials); with external ones, redis-credentials key "url".' },
          ),
        ),
      },
      'Where the API finds its secrets. Only references: a secret value never goes into this repository.',
    ),
    service: section(
      {
        type: Choice(['ClusterIP', 'LoadBalancer', 'NodePort'], {
          default: 'ClusterIP',
          description:
            'Service type. ClusterIP behind an Ingress is the default. LoadBalancer or NodePort exposes the API directly, /metrics included (a Service forwards the whole port), and is refused while ingress.enabled is true.',
        }),
        annotations: Annotations('Annotations for the Service only (e.g. cloud load balancer settings).'),
      },
      'The API Service.',
    ),
    ...DELIVERY_SECTIONS,
    monitoring: section(
      {
        selectorLabels: Labels(
          'Labels put on the ServiceMonitor, PrometheusRule and AlertmanagerConfig so that the Prometheus and Alertmanager of kube-prometheus-stack select them (its default selector is `release: <helm release name>`). At least one: with none, nothing selects them and monitoring silently stops.',
          { default: { release: 'kube-prometheus-stack' }, minProperties: 1 },
        ),
        scrapeInterval: Type.String({ pattern: '^[1-9][0-9]*(s|m)$', default: '30s', description: 'How often Prometheus scrapes /metrics, e.g. "15s" or "1m".' }),
        dailyRerankingBudgetUsd: Type.Number({
          exclusiveMinimum: 0,
          default: 10,
          description: 'Reranking spend (USD) over the last 24h, across all pods, above which DailyCostExceeded fires.',
        }),
        slo: section(
          {
            availabilityPercent: Type.Number({
              minimum: 90,
              exclusiveMaximum: 100,
              default: 99.5,
              description: 'Availability SLO: percent of searches that must succeed over 30 days.',
            }),
            latencyPercent: Type.Number({
              minimum: 50,
              exclusiveMaximum: 100,
              default: 95,
              description: 'Latency SLO: percent of searches that must finish within latencyThresholdSeconds over 30 days.',
            }),
            latencyThresholdSeconds: Type.Unsafe<number>({
              type: 'number',
              enum: [...SLO_LATENCY_THRESHOLDS],
              default: 2.5,
              description:
                'Latency SLO threshold (seconds). It must be a bucket boundary of search_latency_seconds (prometheus_client default buckets; 2 is not one, so "under 2s" is measured as "under 2.5s"). See lib/monitoring/metrics.ts.',
            }),
          },
          'Service level objectives; the multi-window multi-burn-rate alerts and the dashboard\'s error budget panel derive from them.',
        ),
        datastores: section(
          {
            postgresqlExporterImage: Image('postgres_exporter.', 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0'),
            redisExporterImage: Image('redis_exporter.', 'oliver006/redis_exporter:v1.62.0'),
            backupMaxAgeHours: Type.Integer({
              minimum: 1,
              default: 26,
              description: 'PostgresqlBackupTooOld fires when the newest successful backup (in-cluster pg_dump CronJob) is older: keep it above the longest gap of datastores.backup.schedule.',
            }),
            external: section(
              {
                postgresqlDataSourceName: Type.Optional(
                  withoutDefault(SecretKeyRef(
                    'With external datastores: Secret key holding a connection URL for postgres_exporter to the managed database ("postgresql://monitor:…@host:5432/odoo_finder?sslmode=require", a role with pg_monitor). When set, the exporter runs in the namespace; when left out, the checklist asks for the provider\'s database monitoring.',
                    'db-monitoring',
                    'url',
                  )),
                ),
                redisUrl: Type.Optional(
                  withoutDefault(SecretKeyRef(
                    'With external datastores: Secret key holding the managed Redis URL for redis_exporter (e.g. the API\'s secrets.redisUrl). When set, the exporter runs in the namespace.',
                    'redis-credentials',
                    'url',
                  )),
                ),
              },
              'Exporters for managed (external) datastores.',
            ),
          },
          'Database monitoring: postgres_exporter and redis_exporter (in-cluster datastores always; external ones when a connection Secret is given), their ServiceMonitors, alerts and dashboard row.',
        ),
        runbookBaseUrl: Type.String({
          pattern: '^https?://[^\\s]+[^/]$',
          default: 'https://github.com/ai-odoofinder/odoo-finder-deploy/blob/main/docs/runbooks',
          description: 'Where docs/runbooks/ is browsable, without trailing slash; each alert links to <runbookBaseUrl>/<AlertName>.md.',
        }),
        dashboardFolder: Type.String({ minLength: 1, maxLength: 128, default: 'AI-OdooFinder', description: 'Grafana folder of the dashboard (grafana_folder annotation read by the Grafana sidecar).' }),
        alertmanager: section(
          {
            pagerDutyRoutingKey: SecretKeyRef(
              'Secret key holding the PagerDuty Events API v2 routing key of the `paging` receiver (read only when a level goes to it).',
              'alertmanager-receivers',
              'pagerduty-routing-key',
            ),
            teamLeadSlackApiUrl: SecretKeyRef(
              'Secret key holding the Slack incoming-webhook URL of the `team-lead` receiver (read only when a level goes to it).',
              'alertmanager-receivers',
              'slack-team-lead-webhook-url',
            ),
            teamLeadSlackChannel: Type.String({ minLength: 1, default: '#odoo-finder-team-lead', description: 'Slack channel of the `team-lead` receiver. A Slack app webhook posts to the channel it was created for and ignores this (only legacy webhooks honour it): create the webhook for this channel.' }),
            slackApiUrl: SecretKeyRef('Secret key holding the Slack incoming-webhook URL of the `ticket` receiver.', 'alertmanager-receivers', 'slack-webhook-url'),
            slackChannel: Type.String({ pattern: '^[#@]?[^\\s#@]{1,80}$', default: '#odoo-finder-alerts', description: 'Slack channel of the `ticket` receiver. As for teamLeadSlackChannel, the webhook decides: create it for this channel, apart from the team-lead webhook.' }),
            levels: Type.Optional(
              Type.Object(
                Object.fromEntries(
                  LEVEL_NAMES.map((level) => [
                    level,
                    Type.Optional(Choice(RECEIVER_CHOICES, { description: `Receiver of ${level} alerts (${LEVELS[level].escalation.toLowerCase()}).` })),
                  ]),
                ) as Record<Level, TOptional<TUnsafe<ReceiverChoice>>>,
                {
                  ...strict,
                  description:
                    'Receiver of each incident level (SPEC-404: P1 page, P2 notify team lead, P3 ticket, P4 next business day): paging (PagerDuty), team-lead (Slack), ticket (Slack) or none. ' +
                    'Default in production: P1 paging, P2 team-lead, P3 and P4 ticket; elsewhere every level ticket, so a broken staging never wakes anyone. Set only the levels that differ.',
                },
              ),
            ),
            businessHours: section(
              {
                weekdays: Type.Array(Type.String({ pattern: WEEKDAY_RANGE_PATTERN, description: 'A day or an inclusive range of days, lowercase: "monday", "monday:friday".' }), {
                  minItems: 1,
                  default: ['monday:friday'],
                  description: 'Days with business hours.',
                }),
                start: Type.String({ pattern: CLOCK_TIME_PATTERN, default: '09:00', description: 'Start of business hours, "HH:MM" (UTC).' }),
                end: Type.String({ pattern: CLOCK_TIME_PATTERN, default: '17:00', description: 'End of business hours, "HH:MM" (UTC), after start; "24:00" allowed.' }),
              },
              'When P4 alerts are notified (an AlertmanagerConfig time interval). Times are UTC: the AlertmanagerConfig v1alpha1 time interval has no time zone field.',
            ),
          },
          'Alertmanager routing (AlertmanagerConfig): each alert carries its level (P1-P4) and goes to that level\'s receiver; a critical alert mutes the warnings of its problem.',
        ),
      },
      'Monitoring: ServiceMonitor, alert and recording rules, SLOs, Grafana dashboard, Alertmanager routing.',
    ),
    compose: COMPOSE_SECTION,
    labels: Labels('Extra labels on every resource of this environment.', { default: {} }),
    annotations: Annotations('Extra annotations on every resource of this environment (at most 128 KiB with service.annotations).'),
  },
  { ...strict, $id: 'https://ai-odoofinder.dev/schemas/environment.schema.json', title: 'AI-OdooFinder deployment environment' },
);

/** An environment file after validation, with every default filled in. */
export type EnvironmentSettings = Static<typeof EnvironmentSchema>;

/**
 * A validated environment plus where it came from, with the tier's defaults of
 * the keys the file left out filled in by the loader (lib/config/tier-policy.ts
 * `resolveTierDefaults`): every reader sees one resolved value.
 */
export interface Environment extends Omit<EnvironmentSettings, 'argocd' | 'datastores' | 'monitoring'> {
  readonly argocd: EnvironmentSettings['argocd'] & { readonly autoSync: boolean };
  readonly datastores: EnvironmentSettings['datastores'] & { readonly mode: 'in-cluster' | 'external' };
  readonly monitoring: EnvironmentSettings['monitoring'] & {
    readonly alertmanager: EnvironmentSettings['monitoring']['alertmanager'] & { readonly levels: Readonly<Record<Level, ReceiverChoice>> };
  };
  /** The file name without `.yaml`: `staging`, `production`, … */
  readonly name: string;
  /** Path of the file, relative to the project root, for error messages. */
  readonly file: string;
}

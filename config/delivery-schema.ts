import { Type } from '@sinclair/typebox';
import { ACME_SOLVERS } from '../lib/ingress/cert-manager';
import { EVERY_ADDRESS } from '../lib/network/addresses';
import { Choice, Labels, Quantity, Resources, SecretKeyRef, section, strict } from './schema-types';

/*
 * Sections of the environment file for delivery: Argo CD, sync hooks,
 * datastores, Ingress, NetworkPolicies and ExternalSecrets. `config/schema.ts`
 * spreads DELIVERY_SECTIONS into the environment schema.
 */

const LabelMap = (description: string, def?: Record<string, string>) => Labels(description, { default: def, minProperties: 1 });

const Cidrs = (description: string) =>
  // The addresses and prefix lengths are checked in code (lib/config/constraints.ts cidrProblem).
  Type.Array(Type.String({ pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$', maxLength: 43, description: 'An IPv4 or IPv6 CIDR, e.g. "10.0.0.0/8" or "2001:db8::/32".' }), {
    default: [...EVERY_ADDRESS],
    minItems: 1,
    maxItems: 100,
    description: `${description} Default: every IPv4 and IPv6 address.`,
  });

const Ports = (description: string, def: number[]) =>
  Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { default: def, minItems: 1, uniqueItems: true, description });

export const Image = (description: string, def: string) =>
  Type.String({
    // A tag is required and "latest" is refused: a datastore image must never change under a running volume.
    pattern: '^[a-z0-9]+([._/-][a-z0-9]+)*(:[0-9]+/[a-z0-9]+([._/-][a-z0-9]+)*)?(:(?![Ll][Aa][Tt][Ee][Ss][Tt]$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})(@sha256:[a-f0-9]{64})?$',
    maxLength: 512,
    description: `${description} A pinned reference "repository:tag" (not "latest"), optionally "@sha256:…".`,
    default: def,
  });

const StorageClass = Type.Optional(
  Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$', description: 'StorageClass of the volume; the cluster default when left out.' }),
);

/** A duration as Argo Rollouts reads it: an integer with s, m or h (e.g. "30s", "5m", "1h"). */
const RolloutsDuration = (description: string, def?: string) =>
  Type.String({ pattern: '^[1-9][0-9]*(s|m|h)$', description: `${description} An integer with s, m or h, e.g. "30s", "5m".`, ...(def ? { default: def } : {}) });

const CanaryStep = Type.Object(
  {
    weight: Type.Integer({ minimum: 1, maximum: 99, description: 'Percent of the traffic (of the pods, without an Ingress) the new version gets at this step.' }),
    pause: Type.String({
      pattern: '^([1-9][0-9]*(s|m|h)|manual)$',
      description: 'How long the canary stays at this weight before the next step: a duration ("5m", "1h"), or "manual" to wait for a person (`kubectl argo rollouts promote`).',
    }),
  },
  { ...strict, description: 'One step of the canary.' },
);

/** The canary steps when none are configured: 10 % → 25 % → 50 %, then the gate and 100 %. */
export const DEFAULT_CANARY_STEPS = [
  { weight: 10, pause: '5m' },
  { weight: 25, pause: '10m' },
  { weight: 50, pause: '10m' },
];

export const DELIVERY_SECTIONS = {
  argocd: section(
    {
      repoURL: Type.String({
        pattern: '^(https://|ssh://|git@)\\S+$',
        default: 'https://github.com/ai-odoofinder/odoo-finder-deploy.git',
        description: 'Git repository Argo CD reads dist/<environment>/ from.',
      }),
      targetRevision: Type.String({
        // What git allows in a ref name (git-check-ref-format), without spaces or control characters.
        pattern: '^(?!.*\\.\\.)(?!.*//)(?!.*\\.lock$)[A-Za-z0-9_][A-Za-z0-9._/+-]{0,254}(?<![./])$',
        default: 'main',
        description: 'Branch, tag or commit Argo CD follows.',
      }),
      autoSync: Type.Optional(
        Type.Boolean({ description: 'Sync every new commit automatically. Default: true, except in production where a person presses Sync.' }),
      ),
      prune: Type.Boolean({ default: true, description: 'With autoSync: delete objects that left dist/.' }),
      selfHeal: Type.Boolean({ default: true, description: 'With autoSync: undo changes made to the cluster by hand.' }),
      retry: section(
        {
          limit: Type.Integer({
            minimum: 0,
            maximum: 20,
            default: 0,
            description:
              'Failed syncs are retried this many times. A retry re-runs the whole sync, migration hook included, so it must stay 0 while migrations.enabled is true.',
          }),
          backoffDuration: Type.String({ pattern: '^[0-9]+(s|m|h)$', default: '10s', description: 'Wait before the first retry.' }),
          backoffFactor: Type.Integer({ minimum: 1, maximum: 10, default: 2, description: 'Each retry waits this many times longer.' }),
          backoffMaxDuration: Type.String({ pattern: '^[0-9]+(s|m|h)$', default: '3m', description: 'Longest wait between retries.' }),
        },
        'Retries of a failed sync, with exponential backoff (off by default: see docs/delivery.md, "When a sync fails").',
      ),
    },
    'The Argo CD Application of this environment (rendered into dist/argocd/).',
  ),
  delivery: section(
    {
      strategy: Choice(['rolling', 'canary'], {
        default: 'rolling',
        description:
          '"rolling": the Deployment rolls its pods (zero unavailable). "canary": an Argo Rollouts Rollout shifts traffic to the new version step by step, judged by the SLO; a failed analysis rolls back by itself (see docs/delivery.md).',
      }),
      canary: section(
        {
          steps: Type.Array(CanaryStep, {
            minItems: 1,
            maxItems: 10,
            default: DEFAULT_CANARY_STEPS,
            description: 'Weights in increasing order, each with its pause. After the last step the SLO gate runs, then the new version gets 100 %.',
          }),
          analysis: section(
            {
              prometheusAddress: Type.String({
                pattern: '^https?://[^\\s/]+(/\\S*)?$',
                default: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
                description: 'The Prometheus the Argo Rollouts controller queries (its HTTP API base URL).',
              }),
              interval: RolloutsDuration('How often each SLI of the canary is measured.', '1m'),
              window: RolloutsDuration('Rate window of each measurement: the canary is judged on its last window of searches.', '5m'),
              minRequests: Type.Integer({
                minimum: 1,
                maximum: 1000000,
                default: 50,
                description: 'Searches the canary pods must have served in the window for a measurement to count; fewer make it inconclusive (an idle canary never passes).',
              }),
              failureLimit: Type.Integer({ minimum: 0, maximum: 100, default: 1, description: 'Failed measurements tolerated per SLI; one more aborts the rollout.' }),
              inconclusiveLimit: Type.Integer({
                minimum: 0,
                maximum: 100,
                default: 3,
                description: 'Inconclusive measurements (too few searches, or a burn between the ticket and the page threshold) tolerated per SLI; one more pauses the rollout for a person.',
              }),
              consecutiveErrorLimit: Type.Integer({
                minimum: 0,
                maximum: 100,
                default: 4,
                description: 'Consecutive measurements that fail to query Prometheus tolerated; one more aborts the rollout (Argo Rollouts default: 4).',
              }),
              gateMeasurements: Type.Integer({
                minimum: 1,
                maximum: 60,
                default: 5,
                description:
                  'Most measurements of the gate that runs after the last step, before 100 %. At least failureLimit + gateConsecutiveSuccesses and at least inconclusiveLimit (Argo Rollouts refuses less). When they are all taken without gateConsecutiveSuccesses successes in a row, the gate is inconclusive: the rollout pauses for a person.',
              }),
              gateConsecutiveSuccesses: Type.Integer({
                minimum: 1,
                maximum: 60,
                default: 3,
                description:
                  'Successful measurements in a row, of each SLI, that pass the gate (Argo Rollouts consecutiveSuccessLimit): the canary must show it keeps its SLO, not only stay within the failure and inconclusive limits.',
              }),
            },
            'How the canary is judged: the SLO analysis (AnalysisTemplates generated from the SLO catalog).',
          ),
        },
        'The canary (delivery.strategy "canary").',
      ),
    },
    'How a new version reaches the users: rolling update or canary (Argo Rollouts).',
  ),
  migrations: section(
    {
      enabled: Type.Boolean({ default: true, description: 'Run the alembic migration Job on every sync, before the new API pods roll out.' }),
      targetRevision: Type.Optional(
        Type.String({
          pattern: '^[A-Za-z0-9_]{1,64}$',
          description:
            'Alembic revision the database must be at, e.g. "3f2a1b9c8d7e". Left out: "head". Set it to roll the schema back (see docs/rollback.md); relative steps such as "-1" are refused because every sync would step again.',
        }),
      ),
      activeDeadlineSeconds: Type.Integer({ minimum: 60, maximum: 7200, default: 900, description: 'The migration Job is killed (and the sync fails) after this long.' }),
      resources: Resources('Resources of the migration container.', ['100m', '256Mi'], ['500m', '512Mi']),
    },
    'Database migrations, run as an Argo CD Sync hook.',
  ),
  smokeTest: section(
    {
      enabled: Type.Boolean({ default: true, description: 'Run the smoke test Job after every sync; a failure marks the sync failed.' }),
      searchPath: Type.String({
        // Printable ASCII only: it is pasted into the smoke test's URL.
        pattern: '^/[\\x21-\\x7e]{0,2047}$',
        default: '/api/v1/search?q=sale&limit=1',
        description: 'A real search through the API Service that must answer 200 with JSON.',
      }),
      activeDeadlineSeconds: Type.Integer({
        minimum: 60,
        maximum: 1800,
        default: 180,
        description: 'The smoke test Job fails after this long. Its script stops 30 s sooner (the pod\'s start-up), so that it fails with its own message.',
      }),
    },
    'Post-sync smoke test: /health and one real search through the API Service.',
  ),
  datastores: section(
    {
      mode: Type.Optional(
        Choice(['in-cluster', 'external'], {
          description:
            '"in-cluster" renders PostgreSQL (pgvector) and Redis StatefulSets and a backup CronJob; "external" (managed services) renders none and the URLs come from Secrets (REDIS_URL from secrets.redisUrl, by default Secret "redis-credentials" key "url"). Default: "external" in production, "in-cluster" elsewhere.',
        }),
      ),
      postgresql: section(
        {
          image: Image('PostgreSQL with pgvector.', 'pgvector/pgvector:0.8.0-pg16'),
          database: Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'odoo_finder', description: 'Database name (POSTGRES_DB).' }),
          user: Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'odoo_finder', description: 'Owner role (POSTGRES_USER).' }),
          password: SecretKeyRef('Secret key holding the password of that role (never inlined).', 'postgresql-credentials', 'password'),
          storage: Quantity('Size of the data volume.', '10Gi'),
          storageClassName: StorageClass,
          resources: Resources('Resources of PostgreSQL.', ['250m', '512Mi'], ['1', '1Gi']),
        },
        'In-cluster PostgreSQL.',
      ),
      redis: section(
        {
          image: Image('Redis.', 'redis:7.4.1-alpine'),
          password: SecretKeyRef(
            'Secret key holding the password Redis requires (requirepass; never inlined). The same Secret also gets key "url", the API\'s REDIS_URL built from it (with externalSecrets, by the ExternalSecret\'s template).',
            'redis-credentials',
            'password',
          ),
          storage: Quantity('Size of the append-only-file volume.', '1Gi'),
          storageClassName: StorageClass,
          maxMemory: Type.String({ pattern: '^[0-9]+(mb|gb)$', default: '200mb', description: 'Redis maxmemory (LRU eviction above it); keep it under the memory limit.' }),
          resources: Resources('Resources of Redis.', ['50m', '128Mi'], ['250m', '256Mi']),
        },
        'In-cluster Redis (a cache: losing it loses no data).',
      ),
      backup: section(
        {
          enabled: Type.Boolean({ default: true, description: 'pg_dump the in-cluster database on a schedule.' }),
          // The syntax is checked in code, as Kubernetes parses it (lib/cron.ts).
          schedule: Type.String({ minLength: 1, maxLength: 100, default: '0 3 * * *', description: 'Cron schedule, in UTC, as a CronJob takes it (five fields or @daily, ...).' }),
          keep: Type.Integer({ minimum: 1, maximum: 365, default: 7, description: 'How many dumps to keep; older ones are deleted after a successful dump.' }),
          storage: Quantity('Size of the backup volume.', '20Gi'),
          storageClassName: StorageClass,
        },
        'Backups of the in-cluster PostgreSQL (pg_dump custom format to a PersistentVolumeClaim).',
      ),
      external: section(
        {
          cidrs: Cidrs('Where the managed PostgreSQL and Redis are; the API and the migration may reach datastores.external.ports there.'),
          ports: section(
            {
              postgresql: Ports('TCP ports of the managed PostgreSQL, e.g. [6432] for PgBouncer or [5432, 6543] with a Supabase pooler.', [5432]),
              redis: Ports('TCP ports of the managed Redis, e.g. [6380] for Azure Cache for Redis over TLS or [6378] for Memorystore with in-transit encryption.', [6379]),
            },
            'Ports the API and the migration may open to datastores.external.cidrs.',
          ),
        },
        'Managed datastores (mode "external").',
      ),
    },
    'PostgreSQL and Redis: in the cluster, or managed outside it.',
  ),
  ingress: section(
    {
      enabled: Type.Boolean({ default: false, description: 'Expose the API through an Ingress (ingress-nginx, TLS by cert-manager).' }),
      host: Type.Optional(
        Type.String({ pattern: '^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$', maxLength: 253, description: 'Public host name, e.g. "api.ai-odoofinder.dev" (at most 253 characters).' }),
      ),
      className: Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', default: 'nginx', description: 'IngressClass.' }),
      clusterIssuer: Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', default: 'letsencrypt-prod', description: 'cert-manager ClusterIssuer that signs the certificate.' }),
      acmeSolver: Choice(ACME_SOLVERS, {
        default: 'http01',
        description:
          'ACME challenge the ClusterIssuer solves for this host. "http01": cert-manager starts a solver pod in this namespace and the ingress controller must reach it, so a NetworkPolicy lets exactly the ingress controller reach it on TCP 8089. "dns01": no solver pod, no such policy. Written on the Ingress as label ai-odoofinder.dev/acme-solver, which a ClusterIssuer with both solvers can select on.',
      }),
      rateLimit: section(
        {
          requestsPerSecond: Type.Integer({ minimum: 1, maximum: 10000, default: 10, description: 'Requests per second per client IP.' }),
          burstMultiplier: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'Burst allowed above the rate, as a multiple of it.' }),
          connections: Type.Integer({ minimum: 1, maximum: 10000, default: 20, description: 'Concurrent connections per client IP.' }),
        },
        'Per-client rate limiting at the ingress controller (each controller replica counts on its own).',
      ),
      cors: section(
        {
          allowOrigins: Type.Array(Type.String({ pattern: '^https?://[^\\s,]+$', maxLength: 2048 }), {
            default: [],
            maxItems: 100,
            description: 'Origins allowed to call the API from a browser. Empty: CORS stays off (no browser calls from other sites).',
          }),
          allowMethods: Type.Array(Choice(['GET', 'POST', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'], {}), {
            default: ['GET', 'POST', 'OPTIONS'],
            minItems: 1,
            description: 'Methods allowed cross-origin.',
          }),
          allowCredentials: Type.Boolean({
            default: false,
            description: 'Let browsers send cookies and HTTP authentication cross-origin (Access-Control-Allow-Credentials). Always written, because ingress-nginx turns it on when the annotation is missing.',
          }),
        },
        'CORS, answered by the ingress controller.',
      ),
      // nginx reads "0" as "no limit": refused.
      maxBodySize: Type.String({ pattern: '^[1-9][0-9]{0,5}[kmg]?$', default: '1m', description: 'Largest request body, e.g. "1m" (not 0: nginx reads it as no limit).' }),
    },
    'The public entry point, replacing the nginx of the docker-compose setup.',
  ),
  network: section(
    {
      ingressControllerNamespace: LabelMap('Labels of the namespace of the ingress controller, allowed to reach the API port (and, with ingress.acmeSolver "http01", the ACME solver).', {
        'kubernetes.io/metadata.name': 'ingress-nginx',
      }),
      ingressControllerPods: Type.Optional(
        LabelMap('Labels of the ingress controller pods in that namespace, e.g. {"app.kubernetes.io/component": "controller"}. Left out: every pod of the namespace.'),
      ),
      prometheusNamespace: LabelMap('Labels of the namespace of Prometheus, allowed to scrape the API metrics port.', {
        'kubernetes.io/metadata.name': 'monitoring',
      }),
      httpsEgressCidrs: Cidrs('Where the API may open HTTPS (443) connections: the Anthropic and OpenAI APIs.'),
    },
    'NetworkPolicies: every pod is denied all traffic except what it needs.',
  ),
  externalSecrets: section(
    {
      enabled: Type.Boolean({
        default: false,
        description: 'Render ExternalSecrets (external-secrets.io/v1) that create every Secret this environment refers to. Off: the Secrets must already exist.',
      }),
      store: Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', default: 'default', description: 'The ClusterSecretStore to read from.' }),
      remoteKeyPrefix: Type.Optional(
        // Path segments only: no leading "/", no "." or ".." segment that would reach another team's keys.
        Type.String({ pattern: '^(?!\\.\\.?(/|$))(?!.*/\\.\\.?(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$', maxLength: 253, description: 'Prefix of the keys in the store. Default: "ai-odoo-finder/<environment>". Secret <name> key <key> is read from "<prefix>/<name>", property <key>.' }),
      ),
      refreshInterval: Type.String({ pattern: '^[0-9]+(s|m|h)$', default: '1h', description: 'How often the Secrets are refreshed from the store.' }),
    },
    'Where Secret values come from. They never enter this repository.',
  ),
};

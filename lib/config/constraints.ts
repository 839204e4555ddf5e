import * as net from 'net';
import { Environment, EnvironmentSettings } from '../../config/schema';
import { cronScheduleProblem } from '../cron';
import { imageReference } from '../image';
import { unpinnedImage } from '../validate/practices/containers';
import { SLO_WINDOWS } from '../monitoring/slo';
import { checkDelivery } from './delivery-constraints';
import { checkMonitoring } from './monitoring-constraints';
import { ConfigProblem } from './problems';
import { parseQuantity } from './quantity';
import { checkTarget } from './target-constraints';
import { ARGOCD } from '../argocd/constants';
import { REDIS } from '../datastores/constants';
import { tierPolicy } from './tier-policy';

/** What a check found at one key of an environment file (the loader adds the file and the line). */
export interface KeyProblem {
  readonly key: string;
  readonly message: string;
}

/** Namespaces an environment must not take: the cluster's own, Argo CD's, and "default". */
const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'argocd'];

/**
 * Bounds of container resources and volumes. Kubernetes accepts any positive
 * quantity, but below these nothing starts and above them no node or volume
 * exists: the pod would stay Pending or crash-loop.
 */
const RESOURCE_BOUNDS = {
  cpu: { min: 0.001, max: 64, unit: 'cores', minText: '1m', maxText: '64' },
  memory: { min: 2 ** 20, max: 512 * 2 ** 30, unit: 'bytes', minText: '1Mi', maxText: '512Gi' },
  storage: { min: 2 ** 20, max: 64 * 2 ** 40, unit: 'bytes', minText: '1Mi', maxText: '64Ti' },
} as const;

/** The shortest rate() window of the alert and recording rules: Prometheus needs several scrapes inside it. */
const SHORTEST_RATE_WINDOW_SECONDS = durationSeconds(SLO_WINDOWS[0]);
const SCRAPE_INTERVAL_SECONDS = { min: 5, max: SHORTEST_RATE_WINDOW_SECONDS / 4 };

/**
 * Bytes of the environment's own annotations (keys plus values, as the API
 * server counts them: k8s.io/apimachinery pkg/api/validation/objectmeta.go
 * ValidateAnnotations, TotalAnnotationSizeLimitB = 256 KiB). Argo CD's
 * client-side apply copies the whole object into one more annotation, so an
 * object must stay under 256 KiB in all: half of it is left for the rest.
 */
const ENVIRONMENT_ANNOTATIONS_MAX_BYTES = 128 * 1024;

/** Redis needs room above maxmemory for its own structures; above this share of the limit it risks an OOM kill. */
const REDIS_MAXMEMORY_WARN_SHARE = 0.8;

/** Every Resources section: the containers they size. */
const CONTAINER_RESOURCES = ['resources', 'migrations.resources', 'datastores.postgresql.resources', 'datastores.redis.resources'] as const;
const STORAGE_KEYS = ['datastores.postgresql.storage', 'datastores.redis.storage', 'datastores.backup.storage'] as const;

/**
 * Checks that need more than one key, the tier, or more than a pattern. The schema has already checked types and formats.
 * `written` is the file as written, before defaults (some keys are refused only when written).
 */
/** The longest label value Kubernetes accepts (k8s.io/apimachinery pkg/util/validation/validation.go IsValidLabelValue). */
const LABEL_VALUE_MAX = 63;

export function checkEnvironment(env: Environment, written: unknown = {}): KeyProblem[] {
  const violations: KeyProblem[] = [];
  const add = (key: string, message: string) => violations.push({ key, message });
  const { autoscaling, image } = env;
  const policy = tierPolicy(env.tier);

  if (autoscaling.minReplicas > autoscaling.maxReplicas) {
    add('autoscaling.minReplicas', `is ${autoscaling.minReplicas}, more than autoscaling.maxReplicas (${autoscaling.maxReplicas})`);
  }
  if (autoscaling.minReplicas < policy.minReplicas) {
    add('autoscaling.minReplicas', `is ${autoscaling.minReplicas}; ${env.tier} needs at least ${policy.minReplicas} so that a node drain or a crash leaves the API up`);
  }
  for (const section of CONTAINER_RESOURCES) violations.push(...resourceViolations(section, get(env, section) as ResourcesSettings));
  for (const key of STORAGE_KEYS) {
    const problem = quantityProblem('storage', get(env, key) as string);
    if (problem) add(key, problem);
  }

  if (image.tag !== undefined && image.tag.toLowerCase() === 'latest') {
    add('image.tag', `"${image.tag}" is refused: it moves, so a sync would not say which version runs; pin a release tag such as "1.4.2"`);
  } else if (policy.requireImageTag && image.tag === undefined) {
    add('image.tag', `is required in ${env.tier}: the tag is the version reviewers and the version label see`);
  } else if (unpinnedImage(imageReference(image))) {
    // The rule `npm run validate` applies to the rendered image (image-pinned).
    add('image.tag', 'is missing: give image.tag (e.g. "1.4.2") or image.digest, so every sync deploys the same image');
  }
  if (policy.forbiddenLogLevels.includes(env.app.logLevel)) {
    add('app.logLevel', `"${env.app.logLevel}" is refused in ${env.tier} (verbose, may log request data): use info, warning or error`);
  }
  if (env.app.redisUrl !== undefined) {
    add(
      'app.redisUrl',
      env.target === 'compose'
        ? 'was removed: the Compose target builds REDIS_URL from the redis service and REDIS_PASSWORD; remove it'
        : 'was removed: Redis requires a password, so REDIS_URL comes from a Secret (in-cluster: key "url" of datastores.redis.password\'s Secret, built from the password; otherwise secrets.redisUrl, default redis-credentials/url); remove it',
    );
  }
  if (env.datastores.redis.password.key === REDIS.urlKey) {
    add('datastores.redis.password.key', `is "${REDIS.urlKey}", the key that holds REDIS_URL in the same Secret: name the password's key otherwise (default "password")`);
  }
  if (policy.requireBackups && env.datastores.mode === 'in-cluster' && !env.datastores.backup.enabled) {
    add('datastores.backup.enabled', `must be true in ${env.tier} with an in-cluster database: nothing else backs it up`);
  }
  const cronApplication = ARGOCD.cronApplicationName(env.name);
  if (env.target === 'kubernetes' && env.datastores.mode === 'in-cluster' && env.datastores.backup.enabled && cronApplication.length > LABEL_VALUE_MAX) {
    add(
      'datastores.backup.enabled',
      `needs an environment name of at most ${LABEL_VALUE_MAX - (cronApplication.length - env.name.length)} characters ("${env.name}" has ${env.name.length}): ` +
        `the backup CronJob has an Argo CD Application of its own, "${cronApplication}", whose name is its tracking label value (at most ${LABEL_VALUE_MAX} characters)`,
    );
  }
  if (policy.requireMigrationHook && !env.migrations.enabled) {
    add('migrations.enabled', `must be true in ${env.tier}: without the migration hook, migrations.targetRevision cannot roll the schema back`);
  }
  if (policy.requireIngress && !env.ingress.enabled) {
    add('ingress.enabled', `must be true in ${env.tier}: the Ingress terminates TLS and applies the rate limit and CORS policy`);
  }
  if (RESERVED_NAMESPACES.includes(env.namespace)) {
    add('namespace', `"${env.namespace}" is refused: it belongs to ${env.namespace === 'argocd' ? 'Argo CD' : 'the cluster'}; give the environment a namespace of its own`);
  }

  for (const [key, cidrs] of [
    ['datastores.external.cidrs', env.datastores.external.cidrs],
    ['network.httpsEgressCidrs', env.network.httpsEgressCidrs],
  ] as const) {
    cidrs.forEach((cidr, i) => {
      const problem = cidrProblem(cidr);
      if (problem) add(`${key}.${i}`, `"${cidr}" ${problem}`);
    });
  }
  const schedule = env.datastores.backup.schedule;
  const cron = cronScheduleProblem(schedule);
  if (cron) add('datastores.backup.schedule', `"${schedule}" is not a schedule Kubernetes accepts: ${cron}`);

  const scrape = durationSeconds(env.monitoring.scrapeInterval);
  if (scrape < SCRAPE_INTERVAL_SECONDS.min || scrape > SCRAPE_INTERVAL_SECONDS.max) {
    add(
      'monitoring.scrapeInterval',
      `is ${env.monitoring.scrapeInterval}; it must be between ${SCRAPE_INTERVAL_SECONDS.min}s and ${SCRAPE_INTERVAL_SECONDS.max}s (a quarter of the shortest rate window, ${SLO_WINDOWS[0]}, so that rates and alerts have enough samples)`,
    );
  }

  const annotationBytes = [env.annotations, env.service.annotations].reduce((sum, map) => sum + Object.entries(map).reduce((n, [k, v]) => n + k.length + v.length, 0), 0);
  if (annotationBytes > ENVIRONMENT_ANNOTATIONS_MAX_BYTES) {
    add('annotations', `annotations and service.annotations total ${annotationBytes} bytes; at most ${ENVIRONMENT_ANNOTATIONS_MAX_BYTES} fit (the API server allows 256 KiB of annotations per object, and Argo CD's apply copies the object into one)`);
  }

  const redisMax = redisMaxMemoryBytes(env.datastores.redis.maxMemory);
  const redisLimit = parseQuantity(env.datastores.redis.resources.limits.memory);
  if (env.datastores.mode === 'in-cluster' && redisLimit !== undefined && redisMax > redisLimit) {
    add('datastores.redis.maxMemory', `is ${env.datastores.redis.maxMemory}, more than the Redis container's memory limit (datastores.redis.resources.limits.memory: ${env.datastores.redis.resources.limits.memory}): the kernel would kill Redis before it evicts`);
  }
  violations.push(...checkDelivery(env), ...checkMonitoring(env), ...checkTarget(env, written));
  return violations;
}

/** Worth a word on stderr, but not a refusal. */
export function environmentWarnings(env: EnvironmentSettings): KeyProblem[] {
  const warnings: KeyProblem[] = [];
  const redisMax = redisMaxMemoryBytes(env.datastores.redis.maxMemory);
  const redisLimit = parseQuantity(env.datastores.redis.resources.limits.memory);
  if (env.datastores.mode === 'in-cluster' && redisLimit !== undefined && redisMax <= redisLimit && redisMax > REDIS_MAXMEMORY_WARN_SHARE * redisLimit) {
    warnings.push({
      key: 'datastores.redis.maxMemory',
      message: `is ${env.datastores.redis.maxMemory}, more than ${REDIS_MAXMEMORY_WARN_SHARE * 100} % of the container's memory limit (${env.datastores.redis.resources.limits.memory}): leave Redis room for its own structures`,
    });
  }
  return warnings;
}

/** Constraints across environment files: each environment has a namespace of its own. */
export function checkAcrossEnvironments(envs: readonly Environment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byNamespace = new Map<string, Environment>();
  for (const env of envs) {
    const first = byNamespace.get(env.namespace);
    if (first) problems.push({ file: env.file, key: 'namespace', message: `"${env.namespace}" is also the namespace of environment "${first.name}" (${first.file}): each environment needs its own` });
    else byNamespace.set(env.namespace, env);
  }
  return problems;
}

type ResourcesSettings = EnvironmentSettings['resources'];

function resourceViolations(section: string, resources: ResourcesSettings): KeyProblem[] {
  const violations: KeyProblem[] = [];
  for (const resource of ['cpu', 'memory'] as const) {
    for (const kind of ['requests', 'limits'] as const) {
      const problem = quantityProblem(resource, resources[kind][resource]);
      if (problem) violations.push({ key: `${section}.${kind}.${resource}`, message: problem });
    }
    const request = parseQuantity(resources.requests[resource]);
    const limit = parseQuantity(resources.limits[resource]);
    if (request !== undefined && limit !== undefined && request > limit) {
      violations.push({ key: `${section}.requests.${resource}`, message: `is ${resources.requests[resource]}, more than ${section}.limits.${resource} (${resources.limits[resource]})` });
    }
  }
  return violations;
}

/** Why a CPU, memory or storage quantity makes no sense, or undefined. */
function quantityProblem(resource: keyof typeof RESOURCE_BOUNDS, quantity: string): string | undefined {
  const value = parseQuantity(quantity);
  const bounds = RESOURCE_BOUNDS[resource];
  if (value === undefined) return `"${quantity}" is not a Kubernetes quantity`;
  if (!Number.isFinite(value)) return `"${quantity}" is not a finite quantity`;
  if (resource !== 'cpu' && !Number.isInteger(value)) return `"${quantity}" is a fraction of a byte (${resource === 'memory' ? 'memory' : 'storage'} takes Ki, Mi, Gi…; "m" means milli)`;
  if (value < bounds.min) return `"${quantity}" is below ${bounds.minText}: nothing runs with that little`;
  if (value > bounds.max) return `"${quantity}" is above ${bounds.maxText}: no node or volume offers that much; the pod would never start`;
  return undefined;
}

/** Why a CIDR is not valid for a NetworkPolicy ipBlock, or undefined (the address as net.isIP reads it, the prefix within its family). */
function cidrProblem(cidr: string): string | undefined {
  const [address, prefix, extra] = cidr.split('/');
  const family = net.isIP(address);
  if (extra !== undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix) || family === 0) return 'is not a CIDR such as "10.0.0.0/8" or "2001:db8::/32"';
  const max = family === 4 ? 32 : 128;
  if (Number(prefix) > max) return `has prefix length /${prefix}; an IPv${family} prefix is at most /${max}`;
  return undefined;
}

/** "30s", "5m", "1h", "2d" in seconds. */
function durationSeconds(duration: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(duration);
  if (!match) return NaN;
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

/** Redis maxmemory ("200mb", "1gb": Redis units are powers of 1024) in bytes. */
function redisMaxMemoryBytes(maxMemory: string): number {
  const match = /^(\d+)(mb|gb)$/.exec(maxMemory);
  return match ? Number(match[1]) * (match[2] === 'gb' ? 2 ** 30 : 2 ** 20) : NaN;
}

function get(value: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

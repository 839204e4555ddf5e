import { API, API_KEYS, API_VARIABLES } from '../api/constants';
import { TierPolicy, tierPolicy } from '../config/tier-policy';
import { BACKUP, POSTGRESQL, REDIS } from '../datastores/constants';
import { CANARY, HOOKS } from '../delivery/constants';
import { migrationCommand } from '../delivery/migration-command';
import { migrationTarget } from '../delivery/settings';
import { monitoringContext } from '../monitoring/context';
import { GRAFANA_SIDECAR } from '../monitoring/grafana-sidecar';
import { prometheusRuleGroups } from '../monitoring/prometheus-rule-groups';
import { deniesEveryAddress } from '../ingress/blocked-paths-ingress';
import { containersOf, describe as name, matches, podTemplates, RenderedPodTemplate } from '../manifests/rendered-pods';
import { ROLLOUT_HASH_SERIES_LABEL } from '../monitoring/canary-analysis';
import { ALERT_LABELS, LEVEL_NAMES } from '../monitoring/alert-spec';
import { METRICS } from '../monitoring/metrics';
import { Manifest } from '../synth/render';
import { LONG_RUNNING_KINDS } from '../validate/pod-fields';
import { selects } from '../validate/selectors';
import { ChecklistContext, CheckResult, fail, manual, pass, verdict } from './context';

/*
 * The checklist's own checks and summaries. What the validator knows is
 * proved by its rules (the item's `rules` in checklist.ts); what is here is
 * what it cannot say: the environment's config (its tier policy, what it
 * turned off), the repository's files, and facts of our constructs (names
 * and metrics they export). A `Summary` only describes what passed.
 */

type Check = (ctx: ChecklistContext) => CheckResult;
type Summary = (ctx: ChecklistContext) => string;

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const ofKind = (ctx: ChecklistContext, kind: string) => ctx.manifests.filter((m) => m.kind === kind);
const named = (ctx: ChecklistContext, kind: string, metadataName: string) => ctx.manifests.find((m) => m.kind === kind && m.metadata.name === metadataName);
const longRunning = (ctx: ChecklistContext) => podTemplates(ctx.manifests).filter((p) => LONG_RUNNING_KINDS.has(p.owner.kind));
const annotations = (m: Manifest) => m.metadata.annotations ?? {};
const NGINX = 'nginx.ingress.kubernetes.io';

/** The environment turned a feature off in its file (`key: false`), and its tier's policy allows that: the item is for a person. */
function allowedOff(ctx: ChecklistContext, off: string, key: string, required: (p: TierPolicy) => boolean, enabled: boolean): CheckResult | undefined {
  return !enabled && !required(tierPolicy(ctx.env.tier)) ? manual(`${off} (${key}: false), which ${ctx.env.tier} allows`) : undefined;
}

function apiPod(ctx: ChecklistContext): RenderedPodTemplate | undefined {
  return podTemplates(ctx.manifests).find((p) => p.owner.kind === 'Deployment' && p.owner.metadata.name === API.name);
}

/**
 * The API container's environment as the kubelet resolves it: its ConfigMaps of `envFrom`, a later one
 * over an earlier one, then `env` over them all. Each variable comes from a Secret or is a plain value.
 */
function apiVariables(ctx: ChecklistContext): Map<string, { source: 'secret' | 'plain'; value?: string }> {
  const vars = new Map<string, { source: 'secret' | 'plain'; value?: string }>();
  const container = apiPod(ctx)?.spec.containers[0];
  for (const from of container?.envFrom ?? []) {
    const data = (named(ctx, 'ConfigMap', from.configMapRef?.name ?? '')?.data ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(data)) vars.set(key, { source: 'plain', value });
  }
  for (const v of container?.env ?? []) vars.set(v.name, v.valueFrom?.secretKeyRef ? { source: 'secret' } : { source: 'plain', value: v.value });
  return vars;
}

/** The value the API container gets for a plain variable; undefined when unset or from a Secret. */
const apiSetting = (ctx: ChecklistContext, variable: string) => apiVariables(ctx).get(variable)?.value;

// Summaries of items the validator's rules prove.

export const probes: Summary = (ctx) => `readiness probes on ${plural(longRunning(ctx).length, 'long-running workload')}, liveness probes apart from them`;

export const resources: Summary = (ctx) => `CPU and memory requests and a memory limit on every container of ${plural(podTemplates(ctx.manifests).length, 'pod template')}`;

export const disruptionBudgets: Summary = (ctx) => `${plural(ofKind(ctx, 'PodDisruptionBudget').length, 'PodDisruptionBudget')}, one for each Deployment and StatefulSet`;

export const networkPolicies: Summary = (ctx) => `default deny plus a policy of its own for each of ${plural(podTemplates(ctx.manifests).length, 'pod template')}`;

export const pinnedImages: Summary = (ctx) => [...new Set(podTemplates(ctx.manifests).flatMap((p) => containersOf(p.spec).map((c) => c.image)))].sort().join(', ');

export const podSecurity: Summary = () => 'every pod restricted, read-only root, no unused token; Namespace enforces "restricted"';

export const noSecretsInGit: Summary = (ctx) => {
  const stores = ofKind(ctx, 'ExternalSecret').length;
  return stores ? `no Secret in dist/; ${stores} ExternalSecrets create them from the secret store` : 'no Secret in dist/; credentials are secretKeyRefs to Secrets that must exist in the cluster';
};

export const otherRules: Summary = (ctx) => `no other error in ${plural(ctx.manifests.length, 'object')}`;

// Checks of what the validator cannot say.

export const environmentVariables: Check = (ctx) => {
  const vars = apiVariables(ctx);
  const missing = Object.values(API_VARIABLES).filter((v) => !vars.has(v));
  return verdict(missing.map((v) => `the API gets no ${v}`), `all ${Object.values(API_VARIABLES).length} variables reach the API container`);
};

export const apiKeys: Check = (ctx) => {
  const vars = apiVariables(ctx);
  const problems = API_KEYS.filter((v) => vars.get(v)?.source !== 'secret').map((v) => `${v} is not read from a Secret`);
  return verdict(problems, `${API_KEYS.join(' and ')} from Secret keys`);
};

/** REDIS_URL carries the password of every Redis, so it comes from a Secret; an in-cluster Redis's own password is rule redis-auth's. */
export const redis: Check = (ctx) => {
  const source = apiVariables(ctx).get(API_VARIABLES.redisUrl)?.source;
  if (source === undefined) return fail(`the API gets no ${API_VARIABLES.redisUrl}`);
  if (source !== 'secret') return fail(`${API_VARIABLES.redisUrl} is a plain value: a URL with the password belongs in a Secret`);
  if (named(ctx, 'StatefulSet', REDIS.name)) return pass(`${API_VARIABLES.redisUrl} from a Secret; Redis StatefulSet rendered, with a password`);
  return pass(`${API_VARIABLES.redisUrl} from a Secret (managed Redis)`);
};

/** The tier policy's rule (lib/config/tier-policy.ts), on what the API really gets. */
export const logLevel: Check = (ctx) => {
  const level = apiSetting(ctx, API_VARIABLES.logLevel);
  if (!level) return fail(`${API_VARIABLES.logLevel} is not set`);
  if (tierPolicy(ctx.env.tier).forbiddenLogLevels.includes(level.toLowerCase())) return fail(`${API_VARIABLES.logLevel} is "${level}" in ${ctx.env.tier}`);
  return pass(`${API_VARIABLES.logLevel}=${level}`);
};

export const featureFlags: Check = (ctx) => {
  const flag = apiSetting(ctx, API_VARIABLES.enableReranking);
  if (flag === undefined) return fail(`${API_VARIABLES.enableReranking} is not set`);
  return ['true', 'false'].includes(flag) ? pass(`${API_VARIABLES.enableReranking}=${flag}`) : fail(`${API_VARIABLES.enableReranking} is "${flag}", neither true nor false`);
};

/** The Ingresses that serve clients: one that denies every address (taking /metrics back) has no TLS, rate limit or CORS to prove. */
const ingresses = (ctx: ChecklistContext) => ofKind(ctx, 'Ingress').filter((i) => !deniesEveryAddress(annotations(i)));

/** An environment configured without an Ingress, in a tier whose policy allows that: the ingress items are for a person. */
const notExposed = (ctx: ChecklistContext): CheckResult | undefined =>
  !ctx.env.ingress.enabled && !tierPolicy(ctx.env.tier).requireIngress ? manual(`no Ingress: ${ctx.env.tier} is not exposed (ingress.enabled is false)`) : undefined;

export const tls: Check = (ctx) => {
  const skip = notExposed(ctx);
  if (skip) return skip;
  if (ingresses(ctx).length === 0) return fail('no Ingress: nothing terminates TLS');
  const problems: string[] = [];
  for (const ing of ingresses(ctx)) {
    const spec = ing.spec as { tls?: { hosts: string[]; secretName?: string }[]; rules: { host: string }[] };
    const covered = new Set((spec.tls ?? []).flatMap((t) => t.hosts));
    problems.push(...spec.rules.filter((r) => !covered.has(r.host)).map((r) => `${r.host} has no TLS`));
    problems.push(...(spec.tls ?? []).filter((t) => !t.secretName).map((t) => `${name(ing)}: TLS for ${t.hosts.join(', ')} names no Secret for cert-manager to fill`));
    const issuer = annotations(ing)['cert-manager.io/cluster-issuer'];
    if (!issuer && !annotations(ing)['cert-manager.io/issuer']) problems.push(`${name(ing)} names no cert-manager issuer`);
    else if (issuer !== undefined && issuer !== ctx.env.ingress.clusterIssuer) problems.push(`${name(ing)} is signed by ${issuer}, not ingress.clusterIssuer ${ctx.env.ingress.clusterIssuer}`);
    if (annotations(ing)[`${NGINX}/force-ssl-redirect`] !== 'true') problems.push(`${name(ing)} does not redirect HTTP to HTTPS`);
  }
  return verdict(problems, ingresses(ctx).map((i) => `${(i.spec as { rules: { host: string }[] }).rules.map((r) => r.host).join(', ')} via ${annotations(i)['cert-manager.io/cluster-issuer']}`).join('; '));
};

const selectorOf = (service: Manifest) => (service.spec as { selector?: Record<string, string> }).selector ?? {};

export const loadBalancer: Check = (ctx) => {
  const svc = named(ctx, 'Service', API.name);
  if (!svc) return fail(`no Service/${API.name}`);
  if ((svc.spec as { type?: string }).type === 'LoadBalancer') return pass(`Service/${API.name} is a LoadBalancer`);
  // Any Service of the API pods counts: a canary's Ingress routes to the stable Service, which the Rollout narrows to the stable pods.
  const pod = apiPod(ctx);
  const apiServices = ofKind(ctx, 'Service').filter((s) => pod && Object.keys(selectorOf(s)).length > 0 && matches(selectorOf(s), pod.labels)).map((s) => s.metadata.name);
  type Backend = { service?: { name: string } };
  const backends = ingresses(ctx).flatMap((i) => (i.spec as { rules: { http: { paths: { backend: Backend }[] } }[] }).rules.flatMap((r) => r.http.paths.map((p) => p.backend.service?.name)));
  const routed = backends.find((b): b is string => b !== undefined && apiServices.includes(b));
  if (routed) return pass(`Ingress routes to Service/${routed}, spread over the API pods`);
  return notExposed(ctx) ?? fail(`nothing routes outside traffic to a Service of the API pods (${apiServices.join(', ') || 'none'})`);
};

type ScaleTarget = { scaleTargetRef: { kind: string; name: string }; minReplicas?: number; maxReplicas: number };
const apiAutoscaler = (ctx: ChecklistContext) => ofKind(ctx, 'HorizontalPodAutoscaler').map((h) => h.spec as ScaleTarget).find((s) => s.scaleTargetRef.name === API.name);

/** An HPA scales the API, no lower than the tier policy's minimum (the validator proves the HPA's target and range). */
export const autoscaling: Check = (ctx) => {
  const spec = apiAutoscaler(ctx);
  if (!spec) return fail(`no HorizontalPodAutoscaler scales ${API.name} (its Deployment, or its Rollout with a canary)`);
  const { minReplicas } = tierPolicy(ctx.env.tier);
  const min = spec.minReplicas ?? 1;
  if (min < minReplicas) return fail(`minReplicas is ${min}: ${ctx.env.tier} needs at least ${minReplicas}`);
  return pass(`HPA ${min}–${spec.maxReplicas} replicas on ${spec.scaleTargetRef.kind}/${API.name}`);
};

export const rateLimiting: Check = (ctx) => {
  const skip = notExposed(ctx);
  if (skip) return skip;
  if (ingresses(ctx).length === 0) return fail('no Ingress to rate-limit at');
  // ingress-nginx reads 0 (or a non-number) as no limit (internal/ingress/annotations/ratelimit).
  const limit = (i: Manifest, unit: 'rps' | 'rpm') => Number(annotations(i)[`${NGINX}/limit-${unit}`] ?? 0);
  const problems = ingresses(ctx).filter((i) => !(limit(i, 'rps') > 0) && !(limit(i, 'rpm') > 0)).map((i) => `${name(i)} has no request rate limit`);
  const i = ingresses(ctx)[0];
  const rate = limit(i, 'rps') > 0 ? `${limit(i, 'rps')} requests/s` : `${limit(i, 'rpm')} requests/min`;
  return verdict(problems, `${rate} per client, burst ×${annotations(i)[`${NGINX}/limit-burst-multiplier`] ?? '?'}, ${annotations(i)[`${NGINX}/limit-connections`] ?? '?'} connections`);
};

export const cors: Check = (ctx) => {
  const skip = notExposed(ctx);
  if (skip) return skip;
  if (ingresses(ctx).length === 0) return fail('no Ingress');
  const problems: string[] = [];
  const details: string[] = [];
  const wanted = [...ctx.env.ingress.cors.allowOrigins].sort().join(', ');
  for (const i of ingresses(ctx)) {
    const a = annotations(i);
    const origins = (a[`${NGINX}/cors-allow-origin`] ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '').sort().join(', ');
    if (a[`${NGINX}/enable-cors`] !== 'true') {
      if (wanted) problems.push(`${name(i)}: CORS off, but ingress.cors.allowOrigins is ${wanted}`);
      else details.push(`${name(i)}: CORS off (no cross-origin browser calls)`);
    } else if (!origins || origins.includes('*')) problems.push(`${name(i)} allows every origin`);
    else if (origins !== wanted) problems.push(`${name(i)} allows ${origins}, not ingress.cors.allowOrigins (${wanted || 'none'})`);
    // ingress-nginx allows credentials when cors-allow-credentials is missing (internal/ingress/annotations/cors/main.go).
    else details.push(`${name(i)}: origins ${a[`${NGINX}/cors-allow-origin`]}, credentials ${a[`${NGINX}/cors-allow-credentials`] === 'false' ? 'refused' : 'allowed'}`);
  }
  return verdict(problems, details.join('; '));
};

const backupsOff = (ctx: ChecklistContext) => allowedOff(ctx, 'backups are off', 'datastores.backup.enabled', (p) => p.requireBackups, ctx.env.datastores.backup.enabled);

/** In-cluster PostgreSQL is dumped by the backup CronJob, one run at a time; a managed one is the provider's. */
export const backups: Check = (ctx) => {
  if (!named(ctx, 'StatefulSet', POSTGRESQL.name)) return manual('the database is managed outside the cluster: confirm the provider\'s automated backups and point-in-time recovery');
  const cron = named(ctx, 'CronJob', BACKUP.name);
  if (!cron) return backupsOff(ctx) ?? fail(`in-cluster PostgreSQL has no CronJob/${BACKUP.name}`);
  const spec = cron.spec as { schedule: string; timeZone?: string; concurrencyPolicy?: string; suspend?: boolean };
  if (spec.suspend) return fail(`${name(cron)} is suspended: it makes no backup`);
  if (spec.concurrencyPolicy !== 'Forbid') return fail(`${name(cron)} may overlap (concurrencyPolicy is not Forbid)`);
  return pass(`${name(cron)} at "${spec.schedule}" (${spec.timeZone ?? 'the controller\'s time zone'}), concurrencyPolicy Forbid`);
};

export const backupStorage: Check = (ctx) => {
  const cron = named(ctx, 'CronJob', BACKUP.name);
  const inCluster = named(ctx, 'StatefulSet', POSTGRESQL.name) !== undefined;
  if (!cron && !inCluster) return manual('managed database: backup storage is the provider\'s');
  if (!cron) return backupsOff(ctx) ?? fail(`no CronJob/${BACKUP.name}`);
  const pod = podTemplates([cron])[0].spec;
  const claim = pod.volumes?.find((v) => v.name === BACKUP.volumeName)?.persistentVolumeClaim?.claimName;
  const pvc = claim === undefined ? undefined : named(ctx, 'PersistentVolumeClaim', claim);
  if (!pvc) return fail(`${name(cron)} writes its dumps to no PersistentVolumeClaim (volume "${BACKUP.volumeName}")`);
  const mounted = pod.containers.some((c) => (c.volumeMounts ?? []).some((m) => m.name === BACKUP.volumeName && m.mountPath === BACKUP.path && !m.readOnly));
  if (!mounted) return fail(`${name(cron)} does not mount volume "${BACKUP.volumeName}" writable at ${BACKUP.path}, where its script writes the dumps`);
  return pass(`PersistentVolumeClaim/${pvc.metadata.name} (${(pvc.spec as { resources: { requests: { storage: string } } }).resources.requests.storage}), never pruned nor deleted by Argo CD`);
};

/** An image whose name does not say pgvector may still ship it (a team's own build): a person confirms, the manifests cannot. */
export const unnamedPgvectorImage = (image: string) =>
  `${image}: its name does not say pgvector; confirm that it ships the extension (the init script's CREATE EXTENSION vector fails on an image without it, and the database is not created)`;

export const pgvector: Check = (ctx) => {
  const db = named(ctx, 'StatefulSet', POSTGRESQL.name);
  if (!db) return manual('managed database: confirm the "vector" extension is available (CREATE EXTENSION vector)');
  const pod = podTemplates([db])[0].spec;
  const image = pod.containers[0].image;
  // The image runs the scripts of its init directory when it creates the database (docker-entrypoint.sh).
  const initVolumes = new Set((pod.containers[0].volumeMounts ?? []).filter((m) => m.mountPath === POSTGRESQL.initDir).map((m) => m.name));
  const initMaps = (pod.volumes ?? []).filter((v) => initVolumes.has(v.name)).map((v) => v.configMap?.name);
  const init = ofKind(ctx, 'ConfigMap').some((c) => initMaps.includes(c.metadata.name) && Object.values((c.data ?? {}) as Record<string, string>).some((v) => v.includes(POSTGRESQL.initSql)));
  if (!init) return fail(`${image} without the pgvector init script mounted at ${POSTGRESQL.initDir}`);
  return /pgvector/.test(image) ? pass(`${image}; an init script creates the extension`) : manual(unnamedPgvectorImage(image));
};

const HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';

export const rollbackPrepared: Check = (ctx) => {
  const problems: string[] = [];
  if (!ctx.fileExists('docs/rollback.md')) problems.push('docs/rollback.md is missing');
  const migration = named(ctx, 'Job', HOOKS.migration.name);
  const off = allowedOff(ctx, 'the migration hook is off', 'migrations.enabled', (p) => p.requireMigrationHook, ctx.env.migrations.enabled);
  if (!migration && off) return problems.length ? fail(problems.join('; ')) : manual(`${off.detail}: roll back by hand`);
  if (!migration) problems.push(`no migration hook Job/${HOOKS.migration.name} (migrations.targetRevision cannot take effect)`);
  else {
    if (annotations(migration)[HOOK_DELETE_POLICY] !== 'BeforeHookCreation') problems.push('the migration hook is not recreated on each sync');
    const wanted = migrationCommand(migrationTarget(ctx.env));
    const command = podTemplates([migration])[0]?.spec.containers[0].command ?? [];
    if (JSON.stringify(command) !== JSON.stringify(wanted)) problems.push(`the migration hook runs ${JSON.stringify(command)}, not what migrations.targetRevision asks (${JSON.stringify(wanted)})`);
  }
  return verdict(problems, `docs/rollback.md; the migration hook goes to ${migrationTarget(ctx.env)} (migrations.targetRevision)`);
};

export const runbook: Check = (ctx) => (ctx.fileExists('docs/rollback.md') ? pass('docs/rollback.md') : fail('docs/rollback.md is missing'));

type AlertRule = { alert?: string; expr?: string; annotations?: Record<string, string> };
const alertRules = (ctx: ChecklistContext): AlertRule[] =>
  ofKind(ctx, 'PrometheusRule')
    .flatMap((r) => ((r.spec as { groups?: { rules?: AlertRule[] }[] }).groups ?? []).flatMap((g) => g.rules ?? []))
    .filter((r) => r.alert);

/** Every alert links a runbook page that exists in the repository (the validator proves the link is there). */
export const incidentResponse: Check = (ctx) => {
  const rules = alertRules(ctx);
  if (rules.length === 0) return fail('no alerts, so no runbooks');
  const problems = rules.flatMap((r) => {
    const page = /\/(docs\/runbooks\/[^/]+\.md)$/.exec(r.annotations?.runbook_url ?? '')?.[1];
    if (!page) return [`${r.alert} has no runbook_url into docs/runbooks/`];
    return ctx.fileExists(page) ? [] : [`${r.alert}: ${page} is missing`];
  });
  // Someone is told: an AlertmanagerConfig has a route for each level (the validator proves its receivers and matchers).
  type Route = { matchers?: { name: string; value: string }[] };
  const routed = new Set(ofKind(ctx, 'AlertmanagerConfig').flatMap((c) => ((c.spec as { route?: { routes?: Route[] } }).route?.routes ?? []).flatMap((r) => (r.matchers ?? []).filter((m) => m.name === ALERT_LABELS.level).map((m) => m.value))));
  const unrouted = LEVEL_NAMES.filter((l) => !routed.has(l));
  if (unrouted.length) problems.push(`no AlertmanagerConfig routes ${unrouted.join(', ')}: nobody is told`);
  return verdict(problems, `a runbook in docs/runbooks/ for each of ${plural(rules.length, 'alert')}; every level routed`);
};

/**
 * Objects kube-prometheus-stack does not pick up: without `monitoring.selectorLabels` its Prometheus
 * selects no ServiceMonitor or PrometheusRule (serviceMonitorSelector, ruleSelector), however right they are.
 */
function unselected(ctx: ChecklistContext, objects: readonly Manifest[]): string[] {
  const wanted = Object.entries(ctx.env.monitoring.selectorLabels);
  const text = wanted.map(([k, v]) => `${k}=${v}`).join(', ');
  return objects.filter((m) => !wanted.every(([k, v]) => m.metadata.labels?.[k] === v)).map((m) => `${name(m)} lacks the labels Prometheus selects by (monitoring.selectorLabels: ${text})`);
}

/** The dashboards of dist/: ConfigMaps the Grafana sidecar loads (the validator proves their JSON). */
const dashboards = (ctx: ChecklistContext) => ofKind(ctx, 'ConfigMap').filter((c) => c.metadata.labels?.[GRAFANA_SIDECAR.label] !== undefined);

/** Reranking spend is alerted on and shown (the seed's daily cost budget). */
export const costTracking: Check = (ctx) => {
  const metric = METRICS.rerankingCost.name;
  const alert = alertRules(ctx).find((r) => r.expr?.includes(metric));
  const panel = dashboards(ctx).some((c) => Object.values((c.data ?? {}) as Record<string, string>).some((v) => v.includes(metric)));
  const problems = [...(alert ? [] : [`no alert on ${metric}`]), ...(panel ? [] : [`no dashboard panel on ${metric}`])];
  return verdict(problems, `${alert?.alert} alert and a dashboard panel on ${metric}`);
};

/** A ServiceMonitor selects the API's Service (the validator proves each ServiceMonitor selects some Service). */
export const applicationMonitoring: Check = (ctx) => {
  const monitors = ofKind(ctx, 'ServiceMonitor');
  if (monitors.length === 0) return fail('no ServiceMonitor in dist/: Prometheus does not scrape the API');
  const svc = named(ctx, 'Service', API.name);
  const namespace = svc?.metadata.namespace;
  type Spec = { selector?: unknown; namespaceSelector?: { any?: boolean; matchNames?: string[] } };
  // An absent selector selects nothing here (`selects`); an empty one would select every Service: a ServiceMonitor must say what it scrapes.
  const scraping = monitors.filter((m) => {
    const spec = m.spec as Spec;
    const inNamespace = spec.namespaceSelector?.any === true || (spec.namespaceSelector?.matchNames ?? [m.metadata.namespace]).includes(namespace);
    const selector = spec.selector as { matchLabels?: object; matchExpressions?: unknown[] } | undefined;
    const says = Object.keys(selector?.matchLabels ?? {}).length > 0 || (selector?.matchExpressions?.length ?? 0) > 0;
    return inNamespace && says && selects(selector, svc?.metadata.labels ?? {});
  });
  if (scraping.length === 0) return fail(`no ServiceMonitor selects Service/${API.name} in namespace ${namespace}`);
  return verdict(unselected(ctx, scraping), `${scraping.map(name).join(', ')} scrape Service/${API.name}`);
};

/**
 * Every alert the catalog renders for the environment (HighLatency, HighErrorRate, LowCacheHitRate, …) is in dist/, by name:
 * a check against hand edits of dist/; the thresholds themselves are promtool's to prove (alerts.promtool.test.ts).
 */
export const alerts: Check = (ctx) => {
  const count = alertRules(ctx).length;
  if (count === 0) return fail('no PrometheusRule with alerts in dist/');
  const present = new Set(alertRules(ctx).map((r) => r.alert));
  const expected = prometheusRuleGroups(monitoringContext(ctx.env)).flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
  const missing = expected.filter((a) => !present.has(a));
  if (missing.length) return fail(`missing alerts: ${missing.join(', ')}`);
  return verdict(unselected(ctx, ofKind(ctx, 'PrometheusRule')), `${count} alerts in ${ofKind(ctx, 'PrometheusRule').map(name).join(', ')}`);
};

export const dashboard: Check = (ctx) => {
  // The sidecar loads the ConfigMaps whose label has its value ("1"), not any value.
  const found = dashboards(ctx).filter((c) => c.metadata.labels?.[GRAFANA_SIDECAR.label] === GRAFANA_SIDECAR.labelValue && Object.keys((c.data ?? {}) as object).some((k) => k.endsWith('.json')));
  return found.length > 0 ? pass(found.map(name).join(', ')) : fail(`no Grafana dashboard ConfigMap (label ${GRAFANA_SIDECAR.label}) in dist/`);
};

type RolloutSpec = {
  strategy?: { canary?: { analysis?: { templates?: { templateName?: string }[] }; steps?: { setWeight?: number; analysis?: { templates?: { templateName?: string }[] } }[] } };
};
type MetricSpec = { name: string; successCondition?: string; failureCondition?: string; provider?: { prometheus?: { query?: string } } };

/**
 * A canary judged by the SLO: background analysis and a gate, metrics with a
 * verdict that measure the canary's pods, the HPA on the Rollout. The
 * validator proves the references (templates, arguments, Services, the scrape label).
 */
export const canaryAnalysis: Check = (ctx) => {
  const rollout = named(ctx, 'Rollout', CANARY.rollout);
  if (!rollout) return manual('delivery.strategy is rolling: a bad release is found by the alerts and rolled back by hand (docs/rollback.md)');
  const canary = (rollout.spec as RolloutSpec).strategy?.canary;
  const problems: string[] = [];
  const background = canary?.analysis?.templates ?? [];
  const gates = (canary?.steps ?? []).flatMap((s) => s.analysis?.templates ?? []);
  if (background.length === 0) problems.push('no background analysis');
  if (gates.length === 0) problems.push('no analysis step (gate) before full promotion');
  for (const t of new Set([...background, ...gates].map((x) => x.templateName ?? ''))) {
    for (const m of ((named(ctx, 'AnalysisTemplate', t)?.spec as { metrics?: MetricSpec[] } | undefined)?.metrics ?? [])) {
      if (!m.successCondition || !m.failureCondition) problems.push(`AnalysisTemplate/${t} metric ${m.name} lacks a success or failure condition`);
      if (!m.provider?.prometheus?.query?.includes(ROLLOUT_HASH_SERIES_LABEL)) problems.push(`AnalysisTemplate/${t} metric ${m.name} does not select the canary's pods (${ROLLOUT_HASH_SERIES_LABEL})`);
    }
  }
  if (apiAutoscaler(ctx)?.scaleTargetRef.kind !== 'Rollout') problems.push('the HPA does not scale the Rollout');
  const weights = (canary?.steps ?? []).flatMap((s) => (s.setWeight !== undefined ? [`${s.setWeight}%`] : []));
  return verdict(problems, `Rollout/${CANARY.rollout}: ${weights.join(' → ')} → SLO gate → 100%, SLO analysis in the background; a failure rolls back by itself`);
};

/** Releases that migrate the schema run old and new versions on the new schema at once: the migration must be expand/contract. */
export const migrationCompatibility: Check = (ctx) => {
  if (!named(ctx, 'Job', HOOKS.migration.name)) return manual('no migration hook (migrations.enabled: false): a release that changes the schema is migrated by hand; check it is backward compatible (expand/contract): docs/delivery.md');
  const canary = ofKind(ctx, 'Rollout').length > 0;
  return manual(
    canary
      ? 'a release with a migration: the migration runs before the canary, then the old (stable) and new (canary) versions serve on the new schema for the whole canary, and an abort returns to the old one on it. Check the migration only adds (expand) and drops nothing the old version reads (contract in a later release): docs/delivery.md'
      : 'a release with a migration: old pods serve on the new schema until the rolling update ends. Check the migration is backward compatible (expand/contract): docs/delivery.md',
  );
};

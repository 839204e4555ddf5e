import { deniesEveryAddress } from '../ingress/blocked-paths-ingress';
import { API } from '../api/constants';
import { containersOf, Container, describe as name, matches, podTemplates, PodTemplate } from '../manifests/pods';
import { Manifest } from '../synth/render';
import { selects as labelSelectorSelects } from '../validate/selectors';
import { tierPolicy } from '../config/tier-policy';
import { unpinnedImage } from '../validate/practices/containers';
import { ChecklistContext, CheckResult, fail, manual, pass, verdict } from './context';

/* The automatic items of the checklist: each proves one thing from dist/<env>/. */

type Check = (ctx: ChecklistContext) => CheckResult;

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const ofKind = (ctx: ChecklistContext, kind: string) => ctx.manifests.filter((m) => m.kind === kind);
const workloads = (ctx: ChecklistContext) => podTemplates(ctx.manifests).filter((p) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(p.owner.kind));
const annotations = (m: Manifest) => m.metadata.annotations ?? {};
const NGINX = 'nginx.ingress.kubernetes.io';
const CREDENTIAL = /(KEY|PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|DATABASE_URL)/i;

function apiPod(ctx: ChecklistContext): PodTemplate | undefined {
  return podTemplates(ctx.manifests).find((p) => p.owner.kind === 'Deployment' && p.owner.metadata.name === API.name);
}

/** Names of the API container's environment variables, from env and from its ConfigMaps. */
function apiVariables(ctx: ChecklistContext): Map<string, 'secret' | 'plain'> {
  const vars = new Map<string, 'secret' | 'plain'>();
  const pod = apiPod(ctx);
  const container = pod?.spec.containers[0];
  for (const from of container?.envFrom ?? []) {
    const cm = ofKind(ctx, 'ConfigMap').find((c) => c.metadata.name === from.configMapRef?.name);
    for (const key of Object.keys((cm?.data ?? {}) as object)) vars.set(key, 'plain');
  }
  for (const v of container?.env ?? []) vars.set(v.name, v.valueFrom?.secretKeyRef ? 'secret' : 'plain');
  return vars;
}

export const probes: Check = (ctx) => {
  const problems = workloads(ctx).flatMap((p) =>
    p.spec.containers.flatMap((c) => [...(c.readinessProbe ? [] : [`${name(p.owner)}/${c.name} has no readiness probe`]), ...(c.livenessProbe ? [] : [`${name(p.owner)}/${c.name} has no liveness probe`])]),
  );
  return workloads(ctx).length === 0 ? fail('no Deployment or StatefulSet') : verdict(problems, `readiness and liveness probes on ${plural(workloads(ctx).length, 'workload')}`);
};

export const resources: Check = (ctx) => {
  const pods = podTemplates(ctx.manifests);
  const lacks = (c: Container) => ['requests', 'limits'].flatMap((k) => ['cpu', 'memory'].filter((r) => !(c.resources as Record<string, Record<string, unknown>> | undefined)?.[k]?.[r]).map((r) => `${k}.${r}`));
  const problems = pods.flatMap((p) => containersOf(p.spec).flatMap((c) => (lacks(c).length ? [`${name(p.owner)}/${c.name} lacks ${lacks(c).join(', ')}`] : [])));
  return verdict(problems, `CPU and memory requests and limits on every container of ${plural(pods.length, 'pod template')}`);
};

export const autoscaling: Check = (ctx) => {
  const hpas = ofKind(ctx, 'HorizontalPodAutoscaler');
  const problems: string[] = [];
  const api = hpas.find((h) => (h.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === API.name);
  if (!api) problems.push(`no HorizontalPodAutoscaler scales ${API.name} (its Deployment, or its Rollout with a canary)`);
  for (const h of hpas) {
    const ref = (h.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
    if (!ctx.manifests.some((m) => m.kind === ref.kind && m.metadata.name === ref.name)) problems.push(`${name(h)} scales ${ref.kind}/${ref.name}, which is not rendered`);
  }
  const spec = api?.spec as { minReplicas: number; maxReplicas: number } | undefined;
  const { minReplicas } = tierPolicy(ctx.env.tier);
  if (spec && spec.minReplicas < minReplicas) problems.push(`minReplicas is ${spec.minReplicas}: ${ctx.env.tier} needs at least ${minReplicas}`);
  const target = (api?.spec as { scaleTargetRef: { kind: string } } | undefined)?.scaleTargetRef.kind;
  return verdict(problems, spec ? `HPA ${spec.minReplicas}–${spec.maxReplicas} replicas on ${target}/${API.name}` : '');
};

export const disruptionBudgets: Check = (ctx) => {
  const pdbs = ofKind(ctx, 'PodDisruptionBudget').map((m) => (m.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels);
  const problems = workloads(ctx).filter((p) => !pdbs.some((s) => matches(s, p.labels))).map((p) => `${name(p.owner)} has no PodDisruptionBudget`);
  return verdict(problems, `a PodDisruptionBudget for each of ${plural(workloads(ctx).length, 'workload')}`);
};

export const networkPolicies: Check = (ctx) => {
  type Spec = { podSelector: { matchLabels?: Record<string, string> }; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
  const policies = ofKind(ctx, 'NetworkPolicy').map((m) => ({ m, spec: m.spec as Spec }));
  const problems: string[] = [];
  const deny = policies.find(({ spec }) => Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 && spec.policyTypes?.includes('Ingress') && spec.policyTypes?.includes('Egress') && !spec.ingress?.length && !spec.egress?.length);
  if (!deny) problems.push('no default-deny policy (empty pod selector, Ingress and Egress, no rules)');
  for (const pod of podTemplates(ctx.manifests)) {
    const own = policies.filter(({ spec }) => Object.keys(spec.podSelector.matchLabels ?? {}).length > 0 && matches(spec.podSelector.matchLabels ?? {}, pod.labels));
    if (own.length === 0) problems.push(`${name(pod.owner)} is selected by no policy of its own`);
  }
  return verdict(problems, `default deny plus a policy for each of ${plural(podTemplates(ctx.manifests).length, 'pod template')}`);
};

export const pinnedImages: Check = (ctx) => {
  const images = [...new Set(podTemplates(ctx.manifests).flatMap((p) => containersOf(p.spec).map((c) => c.image)))].sort();
  const problems = images.flatMap((i) => unpinnedImage(i) ?? []);
  return verdict(problems, images.join(', '));
};

export const podSecurity: Check = (ctx) => {
  const problems: string[] = [];
  for (const p of podTemplates(ctx.manifests)) {
    const pod = (p.spec.securityContext ?? {}) as { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
    if (pod.seccompProfile?.type !== 'RuntimeDefault' && pod.seccompProfile?.type !== 'Localhost') problems.push(`${name(p.owner)}: no seccomp profile`);
    for (const c of containersOf(p.spec)) {
      const sc = (c.securityContext ?? {}) as { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] }; runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; privileged?: boolean };
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${name(p.owner)}/${c.name}: privilege escalation allowed`);
      if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${name(p.owner)}/${c.name}: capabilities not dropped`);
      if (sc.runAsNonRoot !== true && pod.runAsNonRoot !== true) problems.push(`${name(p.owner)}/${c.name}: may run as root`);
      if (sc.privileged) problems.push(`${name(p.owner)}/${c.name}: privileged`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${name(p.owner)}/${c.name}: writable root filesystem`);
    }
    if (p.spec.automountServiceAccountToken !== false) problems.push(`${name(p.owner)}: mounts a ServiceAccount token`);
  }
  const ns = ofKind(ctx, 'Namespace')[0];
  if (ns?.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') problems.push('the Namespace does not enforce Pod Security "restricted"');
  return verdict(problems, `every pod restricted, read-only root, no token; Namespace enforces "restricted"`);
};

export const noSecretsInGit: Check = (ctx) => {
  const problems = ofKind(ctx, 'Secret').map((s) => `Secret/${s.metadata.name} is in dist/`);
  for (const p of podTemplates(ctx.manifests)) {
    for (const c of containersOf(p.spec)) {
      for (const v of c.env ?? []) if (CREDENTIAL.test(v.name) && v.value !== undefined) problems.push(`${name(p.owner)}/${c.name} has a literal ${v.name}`);
    }
  }
  const text = JSON.stringify(ctx.manifests);
  if (/sk-ant-[A-Za-z0-9_-]{8,}|\bsk-[A-Za-z0-9]{20,}|[a-z]+:\/\/[^/\s:@"]+:[^/\s@"]+@|PRIVATE KEY-----/.test(text)) problems.push('a value shaped like an API key, a password in a URL or a private key');
  const stores = ofKind(ctx, 'ExternalSecret').length;
  return verdict(problems, stores ? `no Secret in dist/; ${stores} ExternalSecrets create them from the secret store` : 'no Secret in dist/; credentials are secretKeyRefs to Secrets that must exist in the cluster');
};

export const environmentVariables: Check = (ctx) => {
  const vars = apiVariables(ctx);
  const missing = ['DATABASE_URL', 'REDIS_URL', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'ENABLE_RERANKING_DEFAULT', 'LOG_LEVEL'].filter((v) => !vars.has(v));
  return verdict(missing.map((v) => `the API gets no ${v}`), `all six variables reach the API container`);
};

export const apiKeys: Check = (ctx) => {
  const vars = apiVariables(ctx);
  const problems = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'].filter((v) => vars.get(v) !== 'secret').map((v) => `${v} is not read from a Secret`);
  return verdict(problems, 'ANTHROPIC_API_KEY and OPENAI_API_KEY from Secret keys');
};

export const redis: Check = (ctx) => {
  const vars = apiVariables(ctx);
  if (!vars.has('REDIS_URL')) return fail('the API gets no REDIS_URL');
  const inCluster = ofKind(ctx, 'StatefulSet').some((s) => s.metadata.name === 'redis');
  return pass(inCluster ? 'REDIS_URL set; Redis StatefulSet rendered' : `REDIS_URL ${vars.get('REDIS_URL') === 'secret' ? 'from a Secret (managed Redis)' : 'set'}`);
};

export const logLevel: Check = (ctx) => {
  const cm = ofKind(ctx, 'ConfigMap').find((c) => c.metadata.name === `${API.name}-config`);
  const level = (cm?.data as Record<string, string> | undefined)?.LOG_LEVEL;
  if (!level) return fail('LOG_LEVEL is not set');
  if (tierPolicy(ctx.env.tier).forbiddenLogLevels.includes(level)) return fail(`LOG_LEVEL is "${level}" in ${ctx.env.tier}`);
  return pass(`LOG_LEVEL=${level}`);
};

export const featureFlags: Check = (ctx) => {
  const cm = ofKind(ctx, 'ConfigMap').find((c) => c.metadata.name === `${API.name}-config`);
  const flag = (cm?.data as Record<string, string> | undefined)?.ENABLE_RERANKING_DEFAULT;
  return flag === undefined ? fail('ENABLE_RERANKING_DEFAULT is not set') : pass(`ENABLE_RERANKING_DEFAULT=${flag}`);
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
    const spec = ing.spec as { tls?: { hosts: string[]; secretName: string }[]; rules: { host: string }[] };
    const covered = new Set((spec.tls ?? []).flatMap((t) => t.hosts));
    problems.push(...spec.rules.filter((r) => !covered.has(r.host)).map((r) => `${r.host} has no TLS`));
    if (!annotations(ing)['cert-manager.io/cluster-issuer'] && !annotations(ing)['cert-manager.io/issuer']) problems.push(`${name(ing)} names no cert-manager issuer`);
    if (annotations(ing)[`${NGINX}/force-ssl-redirect`] !== 'true') problems.push(`${name(ing)} does not redirect HTTP to HTTPS`);
  }
  return verdict(problems, ingresses(ctx).map((i) => `${(i.spec as { rules: { host: string }[] }).rules.map((r) => r.host).join(', ')} via ${annotations(i)['cert-manager.io/cluster-issuer']}`).join('; '));
};

export const loadBalancer: Check = (ctx) => {
  const svc = ctx.manifests.find((m) => m.kind === 'Service' && m.metadata.name === API.name);
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

const selectorOf = (service: Manifest) => (service.spec as { selector?: Record<string, string> }).selector ?? {};

export const rateLimiting: Check = (ctx) => {
  const skip = notExposed(ctx);
  if (skip) return skip;
  if (ingresses(ctx).length === 0) return fail('no Ingress to rate-limit at');
  const problems = ingresses(ctx).filter((i) => !annotations(i)[`${NGINX}/limit-rps`] && !annotations(i)[`${NGINX}/limit-rpm`]).map((i) => `${name(i)} has no request rate limit`);
  const i = ingresses(ctx)[0];
  return verdict(problems, `${annotations(i)[`${NGINX}/limit-rps`]} requests/s per client, burst ×${annotations(i)[`${NGINX}/limit-burst-multiplier`] ?? '?'}, ${annotations(i)[`${NGINX}/limit-connections`] ?? '?'} connections`);
};

export const cors: Check = (ctx) => {
  const skip = notExposed(ctx);
  if (skip) return skip;
  if (ingresses(ctx).length === 0) return fail('no Ingress');
  const problems: string[] = [];
  const details: string[] = [];
  for (const i of ingresses(ctx)) {
    const a = annotations(i);
    if (a[`${NGINX}/enable-cors`] !== 'true') details.push(`${name(i)}: CORS off (no cross-origin browser calls)`);
    else if (!a[`${NGINX}/cors-allow-origin`] || a[`${NGINX}/cors-allow-origin`].includes('*')) problems.push(`${name(i)} allows every origin`);
    // ingress-nginx allows credentials when cors-allow-credentials is missing (internal/ingress/annotations/cors/main.go).
    else details.push(`${name(i)}: origins ${a[`${NGINX}/cors-allow-origin`]}, credentials ${a[`${NGINX}/cors-allow-credentials`] === 'false' ? 'refused' : 'allowed'}`);
  }
  return verdict(problems, details.join('; '));
};

export const backups: Check = (ctx) => {
  const db = ofKind(ctx, 'StatefulSet').find((s) => s.metadata.name === 'postgresql');
  if (!db) return manual('the database is managed outside the cluster: confirm the provider\'s automated backups and point-in-time recovery');
  const cron = ofKind(ctx, 'CronJob').find((c) => JSON.stringify(c.spec).includes('pg_dump'));
  if (!cron && !ctx.env.datastores.backup.enabled && !tierPolicy(ctx.env.tier).requireBackups) return manual(`backups are off (datastores.backup.enabled: false), which ${ctx.env.tier} allows`);
  if (!cron) return fail('in-cluster PostgreSQL has no pg_dump CronJob');
  const spec = cron.spec as { schedule: string; concurrencyPolicy?: string };
  const problems = spec.concurrencyPolicy === 'Forbid' ? [] : [`${name(cron)} may overlap (concurrencyPolicy is not Forbid)`];
  return verdict(problems, `${name(cron)} at "${spec.schedule}" (UTC), concurrencyPolicy Forbid`);
};

export const backupStorage: Check = (ctx) => {
  const cron = ofKind(ctx, 'CronJob').find((c) => JSON.stringify(c.spec).includes('pg_dump'));
  const inCluster = ofKind(ctx, 'StatefulSet').some((s) => s.metadata.name === 'postgresql');
  if (!cron && inCluster && !ctx.env.datastores.backup.enabled && !tierPolicy(ctx.env.tier).requireBackups) return manual(`backups are off (datastores.backup.enabled: false), which ${ctx.env.tier} allows`);
  if (!cron) return inCluster ? fail('no backup CronJob') : manual('managed database: backup storage is the provider\'s');
  const claim = podTemplates([cron])[0].spec.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName;
  const pvc = ofKind(ctx, 'PersistentVolumeClaim').find((p) => p.metadata.name === claim);
  if (!pvc) return fail(`${name(cron)} writes to no PersistentVolumeClaim of dist/`);
  return pass(`PersistentVolumeClaim/${pvc.metadata.name} (${(pvc.spec as { resources: { requests: { storage: string } } }).resources.requests.storage}), never pruned by Argo CD`);
};

export const pgvector: Check = (ctx) => {
  const db = ofKind(ctx, 'StatefulSet').find((s) => s.metadata.name === 'postgresql');
  if (!db) return manual('managed database: confirm the "vector" extension is available (CREATE EXTENSION vector)');
  const init = ofKind(ctx, 'ConfigMap').some((c) => Object.values((c.data ?? {}) as Record<string, string>).some((v) => /CREATE EXTENSION IF NOT EXISTS vector/.test(v)));
  const image = podTemplates([db])[0].spec.containers[0].image;
  return init && /pgvector/.test(image) ? pass(`${image}; an init script creates the extension`) : fail(`${image} without the pgvector init script`);
};

export const rollbackPrepared: Check = (ctx) => {
  const problems: string[] = [];
  if (!ctx.fileExists('docs/rollback.md')) problems.push('docs/rollback.md is missing');
  const migration = ofKind(ctx, 'Job').find((j) => j.metadata.name === 'ai-odoo-finder-migrate');
  if (!migration && !ctx.env.migrations.enabled && !tierPolicy(ctx.env.tier).requireMigrationHook) return manual(`the migration hook is off (migrations.enabled: false), which ${ctx.env.tier} allows: roll back by hand`);
  if (!migration) problems.push('no migration hook (migrations.targetRevision cannot take effect)');
  else if (annotations(migration)['argocd.argoproj.io/hook-delete-policy'] !== 'BeforeHookCreation') problems.push('the migration hook is not recreated on each sync');
  return verdict(problems, 'docs/rollback.md; the migration hook goes to migrations.targetRevision when it is set');
};

export const runbook: Check = (ctx) => (ctx.fileExists('docs/rollback.md') ? pass('docs/rollback.md') : fail('docs/rollback.md is missing'));

type AlertRule = { alert?: string; expr?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
const alertRules = (ctx: ChecklistContext): AlertRule[] =>
  ofKind(ctx, 'PrometheusRule')
    .flatMap((r) => ((r.spec as { groups?: { rules?: AlertRule[] }[] }).groups ?? []).flatMap((g) => g.rules ?? []))
    .filter((r) => r.alert);

/** Every alert links a runbook page that exists in the repository (the seed's incident playbook, per alert). */
export const incidentResponse: Check = (ctx) => {
  const rules = alertRules(ctx);
  if (rules.length === 0) return fail('no alerts, so no runbooks');
  const problems = rules.flatMap((r) => {
    const page = /\/(docs\/runbooks\/[^/]+\.md)$/.exec(r.annotations?.runbook_url ?? '')?.[1];
    if (!page) return [`${r.alert} has no runbook_url into docs/runbooks/`];
    return ctx.fileExists(page) ? [] : [`${r.alert}: ${page} is missing`];
  });
  return verdict(problems, `a runbook in docs/runbooks/ for each of ${plural(rules.length, 'alert')}`);
};

/** Reranking spend is alerted on and shown (the seed's daily cost budget). */
export const costTracking: Check = (ctx) => {
  const alert = alertRules(ctx).find((r) => r.expr?.includes('reranking_cost_dollars_total'));
  const panel = ofKind(ctx, 'ConfigMap').some((c) => Object.values((c.data ?? {}) as Record<string, string>).some((v) => v.includes('reranking_cost_dollars_total')));
  const problems = [...(alert ? [] : ['no alert on reranking_cost_dollars_total']), ...(panel ? [] : ['no dashboard panel on reranking_cost_dollars_total'])];
  return verdict(problems, `${alert?.alert} alert and a dashboard panel on reranking_cost_dollars_total`);
};

type LabelSelector = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };

/** An absent or empty selector selects nothing here: a ServiceMonitor must say what it scrapes. */
function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector || (!Object.keys(selector.matchLabels ?? {}).length && !selector.matchExpressions?.length)) return false;
  return labelSelectorSelects(selector, labels);
}

export const applicationMonitoring: Check = (ctx) => {
  const monitors = ofKind(ctx, 'ServiceMonitor');
  if (monitors.length === 0) return fail('no ServiceMonitor in dist/: Prometheus does not scrape the API');
  const svc = ctx.manifests.find((m) => m.kind === 'Service' && m.metadata.name === API.name);
  const namespace = svc?.metadata.namespace;
  type Spec = { selector?: LabelSelector; namespaceSelector?: { any?: boolean; matchNames?: string[] } };
  const scraping = monitors.filter((m) => {
    const spec = m.spec as Spec;
    const inNamespace = spec.namespaceSelector?.any === true || (spec.namespaceSelector?.matchNames ?? [m.metadata.namespace]).includes(namespace);
    return inNamespace && selects(spec.selector, svc?.metadata.labels ?? {});
  });
  return scraping.length > 0 ? pass(`${scraping.map(name).join(', ')} scrape Service/${API.name}`) : fail(`no ServiceMonitor selects Service/${API.name} in namespace ${namespace}`);
};

export const alerts: Check = (ctx) => {
  const count = alertRules(ctx).length;
  return count > 0 ? pass(`${count} alerts in ${ofKind(ctx, 'PrometheusRule').map(name).join(', ')}`) : fail('no PrometheusRule with alerts in dist/');
};

export const dashboard: Check = (ctx) => {
  const dashboards = ofKind(ctx, 'ConfigMap').filter((c) =>
    Object.values((c.data ?? {}) as Record<string, string>).some((v) => {
      try {
        const json = JSON.parse(v) as { panels?: unknown[]; dashboard?: { panels?: unknown[] } };
        return Array.isArray(json.panels ?? json.dashboard?.panels);
      } catch {
        return false;
      }
    }),
  );
  return dashboards.length > 0 ? pass(dashboards.map(name).join(', ')) : fail('no Grafana dashboard ConfigMap in dist/');
};

type RolloutSpec = {
  workloadRef?: { name?: string };
  strategy?: { canary?: { analysis?: { templates?: { templateName?: string }[] }; steps?: { setWeight?: number; analysis?: { templates?: { templateName?: string }[] } }[] } };
};
type MetricSpec = { name: string; successCondition?: string; failureCondition?: string; provider?: { prometheus?: { query?: string } } };

/** A canary Rollout judged by the SLO: background analysis and a gate, on templates that query the canary's pods. */
export const canaryAnalysis: Check = (ctx) => {
  const rollout = ofKind(ctx, 'Rollout').find((r) => r.metadata.name === API.name);
  if (!rollout) return manual('delivery.strategy is rolling: a bad release is found by the alerts and rolled back by hand (docs/rollback.md)');
  const canary = (rollout.spec as RolloutSpec).strategy?.canary;
  const problems: string[] = [];
  const background = canary?.analysis?.templates ?? [];
  const gates = (canary?.steps ?? []).flatMap((s) => s.analysis?.templates ?? []);
  if (background.length === 0) problems.push('no background analysis');
  if (gates.length === 0) problems.push('no analysis step (gate) before full promotion');
  const templates = [...background, ...gates].map((t) => t.templateName ?? '');
  for (const t of new Set(templates)) {
    const template = ofKind(ctx, 'AnalysisTemplate').find((a) => a.metadata.name === t);
    const metrics = ((template?.spec as { metrics?: MetricSpec[] } | undefined)?.metrics ?? []);
    if (!template) problems.push(`AnalysisTemplate/${t} is not rendered`);
    else if (metrics.length === 0) problems.push(`AnalysisTemplate/${t} has no metric`);
    for (const m of metrics) {
      if (!m.successCondition || !m.failureCondition) problems.push(`AnalysisTemplate/${t} metric ${m.name} lacks a success or failure condition`);
      if (!m.provider?.prometheus?.query?.includes('rollouts_pod_template_hash')) problems.push(`AnalysisTemplate/${t} metric ${m.name} does not select the canary's pods`);
    }
  }
  const hpa = ofKind(ctx, 'HorizontalPodAutoscaler').find((h) => (h.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef.name === API.name);
  if ((hpa?.spec as { scaleTargetRef: { kind: string } } | undefined)?.scaleTargetRef.kind !== 'Rollout') problems.push('the HPA does not scale the Rollout');
  const weights = (canary?.steps ?? []).flatMap((s) => (s.setWeight !== undefined ? [`${s.setWeight}%`] : []));
  return verdict(problems, `Rollout/${API.name}: ${weights.join(' → ')} → SLO gate → 100%, SLO analysis in the background; a failure rolls back by itself`);
};

/** Releases that migrate the schema run old and new versions on the new schema at once: the migration must be expand/contract. */
export const migrationCompatibility: Check = (ctx) => {
  const migration = ofKind(ctx, 'Job').find((j) => annotations(j)['argocd.argoproj.io/hook'] !== undefined && j.metadata.name.endsWith('-migrate'));
  if (!migration) return pass('no migration hook: a release does not change the schema');
  const canary = ofKind(ctx, 'Rollout').length > 0;
  return manual(
    canary
      ? 'a release with a migration: the migration runs before the canary, then the old (stable) and new (canary) versions serve on the new schema for the whole canary, and an abort returns to the old one on it. Check the migration only adds (expand) and drops nothing the old version reads (contract in a later release): docs/delivery.md'
      : 'a release with a migration: old pods serve on the new schema until the rolling update ends. Check the migration is backward compatible (expand/contract): docs/delivery.md',
  );
};

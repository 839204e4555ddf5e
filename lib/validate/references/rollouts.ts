import { METRIC_REFUSED, MetricLimits, metricLimitsProblem } from '../../delivery/analysis-metric-limits';
import { promqlErrors } from '../../promql';
import { arrayAt, get, isObject, numberAt, objectAt, stringAt, stringMap } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { PodTemplateFields, podTemplateOf } from '../pod-fields';
import { finding, Resource } from '../resource';
import { mapSelects, selects } from '../selectors';

/*
 * Argo Rollouts objects refer to each other and to core objects by name; the
 * controller reports a missing one only at run time (InvalidSpec, or an
 * AnalysisRun that cannot be created). These checks find them in dist/.
 */

const ROLLOUTS_GROUP = 'argoproj.io/';
/** rollouts-pod-template-hash as a Prometheus label, after prometheus-operator's podTargetLabels relabelling. */
const HASH_SERIES_LABEL = 'rollouts_pod_template_hash';
const HASH_POD_LABEL = 'rollouts-pod-template-hash';
const SCALE_DOWN = ['never', 'onsuccess', 'progressively'];

/** Rollouts, their Deployment, Services, Ingress and AnalysisTemplates; the HPA and ServiceMonitor around them. */
export function checkRollouts(folder: Folder): Finding[] {
  const rollouts = ofGroup(folder, 'Rollout');
  const findings: Finding[] = [];
  for (const rollout of rollouts) {
    const pods = rolloutPods(folder, rollout, findings);
    findings.push(...checkServices(folder, rollout, pods), ...checkIngress(folder, rollout), ...checkAnalysisRefs(folder, rollout), ...checkGateCounts(folder, rollout));
  }
  for (const template of ofGroup(folder, 'AnalysisTemplate')) findings.push(...checkAnalysisTemplate(folder, template));
  findings.push(...checkHpas(folder, rollouts), ...checkScrapedServices(folder, rollouts));
  return findings;
}

function ofGroup(folder: Folder, kind: string): Resource[] {
  return folder.ofKind(kind).filter((r) => r.apiVersion.startsWith(ROLLOUTS_GROUP));
}

/** The pod template the Rollout runs: its own, or its workloadRef Deployment's (`rollout-workload`). */
function rolloutPods(folder: Folder, rollout: Resource, findings: Finding[]): PodTemplateFields | undefined {
  const ref = objectAt(rollout.object, 'spec', 'workloadRef');
  const own = get(rollout.object, 'spec', 'template') !== undefined;
  if (own === (ref !== undefined)) {
    findings.push(finding(rollout, 'error', 'rollout-workload', ['spec'], 'give exactly one of spec.template and spec.workloadRef (Argo Rollouts marks the Rollout InvalidSpec)'));
    return undefined;
  }
  let template: PodTemplateFields | undefined;
  if (own) {
    template = podTemplateOf(rollout);
  } else {
    const kind = stringAt(ref, 'kind') ?? '';
    const name = stringAt(ref, 'name') ?? '';
    const target = kind === 'Deployment' ? folder.find('Deployment', rollout.namespace, name) : undefined;
    if (!target) {
      findings.push(finding(rollout, 'error', 'rollout-workload', ['spec', 'workloadRef'], `workloadRef: ${kind} "${name}" does not exist in namespace "${rollout.namespace}" (a Deployment is expected)`));
      return undefined;
    }
    const scaleDown = stringAt(ref, 'scaleDown');
    if (scaleDown !== undefined && !SCALE_DOWN.includes(scaleDown)) {
      findings.push(finding(rollout, 'error', 'rollout-workload', ['spec', 'workloadRef', 'scaleDown'], `scaleDown "${scaleDown}" is none of ${SCALE_DOWN.join(', ')}`));
    }
    // The controller takes only the pod template and the selector from the workload
    // (argo-rollouts rollout/templateref.go, TemplatePath/SelectorPath): the Deployment's
    // minReadySeconds is not the Rollout's, whose pods would count as available once ready.
    const minReady = numberAt(target.object, 'spec', 'minReadySeconds') ?? 0;
    const own = numberAt(rollout.object, 'spec', 'minReadySeconds');
    if ((own ?? 0) < minReady) {
      findings.push(
        finding(rollout, 'error', 'rollout-workload', ['spec', 'minReadySeconds'],
          `is ${own === undefined ? 'not set' : own}, but Deployment "${name}" sets minReadySeconds ${minReady}: the controller takes only the pod template and selector from its workloadRef, so the Rollout's pods would count as available sooner than the Deployment's`),
      );
    }
    template = podTemplateOf(target);
  }
  if (template && !selects(get(rollout.object, 'spec', 'selector'), template.labels)) {
    findings.push(finding(rollout, 'error', 'rollout-workload', ['spec', 'selector'], `does not select the labels of its pod template (${template.resource.kind} "${template.resource.name}")`));
  }
  return template;
}

/** canaryService and stableService exist, differ, and select the Rollout's pods (`rollout-service`). */
function checkServices(folder: Folder, rollout: Resource, pods: PodTemplateFields | undefined): Finding[] {
  const findings: Finding[] = [];
  const canary = objectAt(rollout.object, 'spec', 'strategy', 'canary');
  if (!canary) return findings;
  const routed = get(canary, 'trafficRouting') !== undefined;
  const names: Record<string, string | undefined> = { canaryService: stringAt(canary, 'canaryService'), stableService: stringAt(canary, 'stableService') };
  for (const [field, name] of Object.entries(names)) {
    const path = ['spec', 'strategy', 'canary', field];
    if (name === undefined) {
      // docs/features/specification.md: "Required for traffic routing."
      if (routed) findings.push(finding(rollout, 'error', 'rollout-service', ['spec', 'strategy', 'canary'], `${field} is required with trafficRouting`));
      continue;
    }
    const service = folder.find('Service', rollout.namespace, name);
    if (!service) {
      findings.push(finding(rollout, 'error', 'rollout-service', path, `Service "${name}" does not exist in namespace "${rollout.namespace}"`));
    } else if (pods && !mapSelects(stringMap(service.object, 'spec', 'selector'), pods.labels)) {
      findings.push(finding(rollout, 'error', 'rollout-service', path, `Service "${name}" does not select the Rollout's pods (the controller only adds ${HASH_POD_LABEL} to its selector)`));
    }
  }
  if (names.canaryService !== undefined && names.canaryService === names.stableService) {
    findings.push(finding(rollout, 'error', 'rollout-service', ['spec', 'strategy', 'canary', 'canaryService'], 'canaryService and stableService are the same Service'));
  }
  return findings;
}

/**
 * The nginx stable Ingress exists and routes to the stable Service: the
 * controller copies only the rules whose backend is stableService into the
 * canary Ingress and fails with "ingress … has no rules using service …
 * backend" otherwise (argo-rollouts rollout/trafficrouting/nginx/nginx.go).
 * It handles Ingresses of class "nginx" only unless started with
 * --nginx-ingress-classes (docs/features/traffic-management/nginx.md). (`rollout-ingress`)
 */
function checkIngress(folder: Folder, rollout: Resource): Finding[] {
  const nginx = objectAt(rollout.object, 'spec', 'strategy', 'canary', 'trafficRouting', 'nginx');
  if (!nginx) return [];
  const findings: Finding[] = [];
  const stableService = stringAt(rollout.object, 'spec', 'strategy', 'canary', 'stableService');
  const single = stringAt(nginx, 'stableIngress');
  const names = single !== undefined ? [single] : arrayAt(nginx, 'stableIngresses').filter((n): n is string => typeof n === 'string');
  const base = ['spec', 'strategy', 'canary', 'trafficRouting', 'nginx'];
  if (names.length === 0) findings.push(finding(rollout, 'error', 'rollout-ingress', base, 'give stableIngress or stableIngresses'));
  names.forEach((name, i) => {
    const path = single !== undefined ? [...base, 'stableIngress'] : [...base, 'stableIngresses', i];
    const ingress = folder.find('Ingress', rollout.namespace, name);
    if (!ingress) {
      findings.push(finding(rollout, 'error', 'rollout-ingress', path, `Ingress "${name}" does not exist in namespace "${rollout.namespace}"`));
      return;
    }
    const backends = arrayAt(ingress.object, 'spec', 'rules').flatMap((rule) => arrayAt(rule, 'http', 'paths').map((p) => stringAt(p, 'backend', 'service', 'name')));
    if (stableService !== undefined && !backends.includes(stableService)) {
      findings.push(finding(rollout, 'error', 'rollout-ingress', path, `Ingress "${name}" has no rule with the stable Service "${stableService}" as backend: the controller cannot build the canary Ingress`));
    }
    const className = stringAt(ingress.object, 'spec', 'ingressClassName') ?? stringAt(ingress.object, 'metadata', 'annotations', 'kubernetes.io/ingress.class');
    if (className !== 'nginx') {
      findings.push(finding(rollout, 'warning', 'rollout-ingress', path, `Ingress "${name}" has class ${JSON.stringify(className ?? null)}: the controller handles class "nginx" only, unless started with --nginx-ingress-classes`));
    }
  });
  return findings;
}

/**
 * Every analysis (background and steps) names an AnalysisTemplate of the
 * namespace, gives every argument the template leaves without a value, and no
 * argument the template does not declare: the controller merges by name and
 * silently drops an unknown one, then cannot resolve the missing one
 * (argo-rollouts utils/analysis/helpers.go MergeArgs, ResolveArgs). (`rollout-analysis`)
 */
function checkAnalysisRefs(folder: Folder, rollout: Resource): Finding[] {
  const findings: Finding[] = [];
  const analyses: [(string | number)[], unknown][] = [];
  const canary = ['spec', 'strategy', 'canary'];
  if (get(rollout.object, ...canary, 'analysis') !== undefined) analyses.push([[...canary, 'analysis'], get(rollout.object, ...canary, 'analysis')]);
  arrayAt(rollout.object, ...canary, 'steps').forEach((step, i) => {
    if (isObject(step) && step.analysis !== undefined) analyses.push([[...canary, 'steps', i, 'analysis'], step.analysis]);
  });
  for (const [path, analysis] of analyses) {
    const given = arrayAt(analysis, 'args').map((a) => stringAt(a, 'name')).filter((n): n is string => n !== undefined);
    const declared = new Set<string>();
    let complete = true;
    arrayAt(analysis, 'templates').forEach((ref, i) => {
      if (get(ref, 'clusterScope') === true) {
        complete = false; // a ClusterAnalysisTemplate is outside dist/
        return;
      }
      const name = stringAt(ref, 'templateName') ?? '';
      const template = namespacedTemplate(folder, rollout, ref);
      if (!template) {
        complete = false;
        findings.push(finding(rollout, 'error', 'rollout-analysis', [...path, 'templates', i, 'templateName'], `AnalysisTemplate "${name}" does not exist in namespace "${rollout.namespace}"`));
        return;
      }
      for (const arg of arrayAt(template.object, 'spec', 'args')) {
        const argName = stringAt(arg, 'name');
        if (argName === undefined) continue;
        declared.add(argName);
        if (get(arg, 'value') === undefined && get(arg, 'valueFrom') === undefined && !given.includes(argName)) {
          findings.push(finding(rollout, 'error', 'rollout-analysis', [...path, 'args'], `AnalysisTemplate "${name}" needs argument "${argName}", which this analysis does not give`));
        }
      }
    });
    if (complete) {
      given.filter((g) => !declared.has(g)).forEach((g) =>
        findings.push(finding(rollout, 'warning', 'rollout-analysis', [...path, 'args'], `argument "${g}" is declared by none of the templates: Argo Rollouts ignores it`)),
      );
    }
  }
  return findings;
}

/**
 * A step analysis (a gate) must end, and must need a success to promote.
 * - Argo Rollouts refuses a step template metric with an `interval` and no
 *   `count` ("runs indefinitely": pkg/apis/rollouts/validation/validation_references.go
 *   ValidateAnalysisTemplateWithType, Metric.EffectiveCount; the Rollout is
 *   InvalidSpec). (`rollout-analysis`)
 * - It calls a metric that reaches its count Successful unless its failed or
 *   inconclusive measurements already exceeded their limits (analysis/analysis.go
 *   assessMetricStatus, assessMetricFailureInconclusiveOrError; failureLimit and
 *   inconclusiveLimit default to 0, a negative failureLimit counts no failure).
 *   So `count <= failureLimit + inconclusiveLimit` passes with no successful
 *   measurement at all: an idle canary is promoted. Unless
 *   consecutiveSuccessLimit decides instead. (`analysis-gate-success`)
 */
function checkGateCounts(folder: Folder, rollout: Resource): Finding[] {
  const findings: Finding[] = [];
  arrayAt(rollout.object, 'spec', 'strategy', 'canary', 'steps').forEach((step, i) => {
    arrayAt(step, 'analysis', 'templates').forEach((ref) => {
      const template = namespacedTemplate(folder, rollout, ref);
      if (!template) return; // rollout-analysis reports a missing one
      arrayAt(template.object, 'spec', 'metrics').forEach((metric, m) => {
        const limits = metricLimits(metric);
        if (!limits) return; // a {{args.x}} placeholder, resolved at run time
        const countPath = ['spec', 'metrics', m, 'count'];
        if (limits.count === 0 && limits.hasInterval) {
          findings.push(
            finding(template, 'error', 'rollout-analysis', countPath,
              `has an interval and no count, and Rollout "${rollout.name}" gates step ${i} on it: Argo Rollouts refuses a step analysis that runs indefinitely (validation_references.go ValidateAnalysisTemplateWithType), the Rollout is InvalidSpec`),
          );
          return;
        }
        if (limits.consecutiveSuccessLimit > 0) return;
        const count = limits.count === 0 ? 1 : limits.count; // Metric.EffectiveCount: one measurement without an interval
        const { failureLimit, inconclusiveLimit } = limits;
        const tolerated = failureLimit < 0 ? Infinity : failureLimit + inconclusiveLimit;
        if (count > tolerated) return;
        const limitsText = failureLimit < 0 ? `failureLimit ${failureLimit} (no failure counts)` : `failureLimit + inconclusiveLimit (${failureLimit} + ${inconclusiveLimit})`;
        findings.push(
          finding(template, 'error', 'analysis-gate-success', countPath,
            `count ${count} is not more than ${limitsText}, and Rollout "${rollout.name}" gates step ${i} on it: Argo Rollouts calls a metric that reaches its count within the limits Successful, so this gate promotes without one successful measurement (an idle canary passes)`),
        );
      });
    });
  });
  return findings;
}

/** The AnalysisTemplate of the Rollout's namespace an analysis reference names; undefined for a ClusterAnalysisTemplate (outside dist/) or a missing one. */
function namespacedTemplate(folder: Folder, rollout: Resource, ref: unknown): Resource | undefined {
  if (get(ref, 'clusterScope') === true) return undefined;
  const name = stringAt(ref, 'templateName') ?? '';
  return folder.ofKind('AnalysisTemplate', rollout.namespace).find((t) => t.name === name && t.apiVersion.startsWith(ROLLOUTS_GROUP));
}

/** An int-or-string field of Argo Rollouts as a number; undefined when absent or not a plain integer (e.g. `{{args.n}}`). */
function intOrString(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * AnalysisTemplate: every metric has limits Argo Rollouts accepts
 * (`analysis-metric-spec`); every `{{args.x}}` placeholder is a declared argument
 * (`analysis-args`); every Prometheus query parses with the placeholders filled
 * in (`promql`); a query on the canary's pod template hash needs a
 * ServiceMonitor or PodMonitor that copies that pod label onto the series
 * (`analysis-scrape-label`); otherwise it never matches a series.
 */
function checkAnalysisTemplate(folder: Folder, template: Resource): Finding[] {
  const findings: Finding[] = [];
  const declared = new Set(arrayAt(template.object, 'spec', 'args').map((a) => stringAt(a, 'name')));
  const monitors = ['ServiceMonitor', 'PodMonitor'].flatMap((k) => folder.ofKind(k, template.namespace));
  const copiesHash = monitors.some((m) => arrayAt(m.object, 'spec', 'podTargetLabels').includes(HASH_POD_LABEL));
  arrayAt(template.object, 'spec', 'metrics').forEach((metric, i) => {
    const path = ['spec', 'metrics', i];
    for (const [field, value] of Object.entries(stringFields(metric))) {
      for (const m of value.matchAll(/\{\{\s*args\.([^}\s]+)\s*\}\}/g)) {
        if (!declared.has(m[1])) findings.push(finding(template, 'error', 'analysis-args', [...path, ...field.split('.')], `{{args.${m[1]}}} is not a declared argument (spec.args)`));
      }
    }
    const limits = metricLimits(metric);
    const refused = limits && metricLimitsProblem(limits);
    if (refused) findings.push(finding(template, 'error', 'analysis-metric-spec', [...path, refused.field], `${refused.text}: ${METRIC_REFUSED}`));
    const query = stringAt(metric, 'provider', 'prometheus', 'query');
    if (query === undefined) return;
    const queryPath = [...path, 'provider', 'prometheus', 'query'];
    const filled = query.replace(/\{\{[^}]*\}\}/g, 'x');
    for (const e of promqlErrors(filled)) findings.push(finding(template, 'error', 'promql', queryPath, `PromQL ${e.message}`));
    if (new RegExp(`\\b${HASH_SERIES_LABEL}\\s*=`).test(query) && !copiesHash) {
      findings.push(finding(template, 'error', 'analysis-scrape-label', queryPath,
        `selects ${HASH_SERIES_LABEL}, but no ServiceMonitor or PodMonitor in namespace "${template.namespace}" copies the pod label ${HASH_POD_LABEL} (spec.podTargetLabels): the query matches nothing`));
    }
  });
  return findings;
}

/** The metric's limits as `metricLimitsProblem` judges them; undefined while one is an `{{args.x}}` placeholder (resolved only at run time). */
function metricLimits(metric: unknown): MetricLimits | undefined {
  const value = (field: string) => {
    const raw = get(metric, field);
    return raw === undefined ? 0 : intOrString(raw);
  };
  const values = ['count', 'failureLimit', 'inconclusiveLimit', 'consecutiveSuccessLimit', 'consecutiveErrorLimit'].map(value);
  if (values.includes(undefined)) return undefined;
  const [count, failureLimit, inconclusiveLimit, consecutiveSuccessLimit, consecutiveErrorLimit] = values as number[];
  return { count, failureLimit, inconclusiveLimit, consecutiveSuccessLimit, consecutiveErrorLimit, hasInterval: Boolean(stringAt(metric, 'interval')) }; // factory.go: metric.Interval == "" is none
}

/** The string values of an object, by dotted path. */
function stringFields(value: unknown, prefix = ''): Record<string, string> {
  if (typeof value === 'string') return { [prefix]: value };
  if (!isObject(value) && !Array.isArray(value)) return {};
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return Object.assign({}, ...entries.map(([k, v]) => stringFields(v, prefix ? `${prefix}.${k}` : k)));
}

/**
 * An HPA must scale the Rollout, not the Deployment it takes its template
 * from: the controller scales that Deployment to 0 (workloadRef scaleDown),
 * and an HPA does not scale a target at 0 replicas. (`rollout-hpa`)
 */
function checkHpas(folder: Folder, rollouts: Resource[]): Finding[] {
  const findings: Finding[] = [...rollouts.flatMap((r) => checkStartingReplicas(folder, r))];
  for (const hpa of folder.ofKind('HorizontalPodAutoscaler')) {
    const kind = stringAt(hpa.object, 'spec', 'scaleTargetRef', 'kind');
    const name = stringAt(hpa.object, 'spec', 'scaleTargetRef', 'name');
    const owner = rollouts.find((r) => r.namespace === hpa.namespace && stringAt(r.object, 'spec', 'workloadRef', 'kind') === kind && stringAt(r.object, 'spec', 'workloadRef', 'name') === name);
    if (kind === 'Deployment' && owner) {
      findings.push(finding(hpa, 'error', 'rollout-hpa', ['spec', 'scaleTargetRef'], `scales Deployment "${name}", whose pods Rollout "${owner.name}" runs: scale the Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout)`));
    }
  }
  return findings;
}

/**
 * A Rollout that scales its workloadRef Deployment down must say how many pods
 * it starts with, at least the floor of the HPA that scales it. Left out, the
 * controller sets 1 (argo-rollouts rollout/controller.go, "Defaulting
 * .spec.replica to 1"), and on the Rollout's first revision it scales the
 * Deployment to `spec.replicas - readyReplicas`, to 0 once it is Healthy
 * (rollout/replicaset.go reconcileNewReplicaSet, `progressively`; `onsuccess`
 * scales it to 0 then too): switching to canary leaves one pod serving until
 * the HPA's next pass. The HPA owns the count afterwards. (`rollout-replicas`)
 */
function checkStartingReplicas(folder: Folder, rollout: Resource): Finding[] {
  const scaleDown = stringAt(rollout.object, 'spec', 'workloadRef', 'scaleDown');
  if (scaleDown !== 'progressively' && scaleDown !== 'onsuccess') return [];
  const hpas = folder
    .ofKind('HorizontalPodAutoscaler', rollout.namespace)
    .filter((h) => stringAt(h.object, 'spec', 'scaleTargetRef', 'kind') === 'Rollout' && stringAt(h.object, 'spec', 'scaleTargetRef', 'name') === rollout.name);
  const floor = Math.max(1, ...hpas.map((h) => numberAt(h.object, 'spec', 'minReplicas') ?? 1));
  const replicas = numberAt(rollout.object, 'spec', 'replicas');
  if (replicas !== undefined && replicas >= floor) return [];
  const hpa = hpas.length > 0 ? `, at least the minReplicas ${floor} of HorizontalPodAutoscaler "${hpas[0].name}"` : '';
  const now = replicas === undefined ? 'without spec.replicas the controller starts it with 1 pod' : `it starts with ${replicas} pod(s)`;
  return [
    finding(
      rollout,
      'error',
      'rollout-replicas',
      ['spec', 'replicas'],
      `${now} and scales Deployment "${stringAt(rollout.object, 'spec', 'workloadRef', 'name')}" down to what is missing (workloadRef scaleDown ${scaleDown}): set spec.replicas${hpa}`,
    ),
  ];
}

/**
 * A ServiceMonitor must not scrape through a Rollout's stable or canary
 * Service: the controller adds the pod template hash to their selectors, so
 * the canary's pods move between them (and the series change job) during an
 * update, and every pod is scraped twice once the update is done. Scrape
 * through a Service that selects every pod of the Rollout. (`servicemonitor-rollout-service`)
 */
function checkScrapedServices(folder: Folder, rollouts: Resource[]): Finding[] {
  const findings: Finding[] = [];
  const managed = new Map<string, string>();
  for (const r of rollouts) {
    for (const field of ['canaryService', 'stableService']) {
      const name = stringAt(r.object, 'spec', 'strategy', 'canary', field);
      if (name) managed.set(`${r.namespace}/${name}`, r.name);
    }
  }
  for (const monitor of folder.ofKind('ServiceMonitor').filter((m) => m.apiVersion.startsWith('monitoring.coreos.com/'))) {
    for (const service of folder.ofKind('Service', monitor.namespace)) {
      const rollout = managed.get(`${service.namespace}/${service.name}`);
      if (rollout && selects(get(monitor.object, 'spec', 'selector'), stringMap(service.object, 'metadata', 'labels'))) {
        findings.push(finding(monitor, 'error', 'servicemonitor-rollout-service', ['spec', 'selector'], `selects Service "${service.name}", whose selector Rollout "${rollout}" changes during an update`));
      }
    }
  }
  return findings;
}

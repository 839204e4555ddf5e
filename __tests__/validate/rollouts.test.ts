import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { parseEnvironment } from '../../lib/config/load';
import { committedEnvironment, manifestsOf, ROOT } from '../support/env';
import { findingsOf, Obj, summarize } from './fixtures';

// The Argo Rollouts rules on the real canary of production: clean as rendered, and each broken in one way.
const rendered = JSON.stringify(manifestsOf(committedEnvironment('production')));
const R = 'Rollout/odoo-finder/ai-odoo-finder';
const T = 'AnalysisTemplate/odoo-finder/ai-odoo-finder-slo';

function after(change: (get: (kind: string, name: string) => Obj, objects: Obj[]) => void): string[] {
  const objects = JSON.parse(rendered) as Obj[];
  const get = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in production`);
    return found;
  };
  change(get, objects);
  return summarize(findingsOf(objects, { folder: 'production' }));
}
const remove = (objects: Obj[], kind: string, name: string) => objects.splice(objects.findIndex((o) => o.kind === kind && o.metadata.name === name), 1);
const canary = (get: (kind: string, name: string) => Obj) => get('Rollout', 'ai-odoo-finder').spec.strategy.canary;

describe('Argo Rollouts references', () => {
  it('the rendered canary of production is clean', () => {
    expect(after(() => undefined)).toEqual([]);
  });

  it.each([
    ['staging switched to canary (in-cluster datastores, Ingress)', (text: string) => `${text}delivery:\n  strategy: canary\n`],
    ['staging switched to canary without an Ingress (replica-weighted)', (text: string) => `${text.replace(/^ingress:\n(  .*\n)+/m, '')}delivery:\n  strategy: canary\n`],
  ])('%s is clean too', (_name, edit) => {
    const text = edit(fs.readFileSync(path.join(ROOT, 'config/environments/staging.yaml'), 'utf8'));
    const parsed = parseEnvironment('config/environments/staging.yaml', text);
    if ('problems' in parsed) throw new Error(stringify(parsed.problems));
    const objects = JSON.parse(JSON.stringify(manifestsOf(parsed.environment))) as Obj[];
    expect(objects.filter((o) => o.kind === 'Rollout')).toHaveLength(1);
    expect(summarize(findingsOf(objects, { folder: 'staging' }))).toEqual([]);
  });

  it('the Rollout and AnalysisTemplate are checked against their CRD schemas', () => {
    expect(after((get) => (canary(get).stepz = []))).toEqual([`schema ${R} spec.strategy.canary.stepz: error: unknown field "stepz" (did you mean "steps"?)`]);
    expect(after((get) => (get('AnalysisTemplate', 'ai-odoo-finder-slo').spec.metrics[0].interval = 5))).toEqual([
      `schema ${T} spec.metrics[0].interval: error: must be string, not number 5`,
    ]);
  });

  it('rollout-workload: the workloadRef Deployment exists and the selector selects its pods', () => {
    expect(after((get) => (get('Rollout', 'ai-odoo-finder').spec.workloadRef.name = 'api'))).toEqual([
      `rollout-workload ${R} spec.workloadRef: error: workloadRef: Deployment "api" does not exist in namespace "odoo-finder" (a Deployment is expected)`,
    ]);
    expect(after((get) => (get('Rollout', 'ai-odoo-finder').spec.selector.matchLabels['app.kubernetes.io/component'] = 'web'))).toEqual([
      `rollout-workload ${R} spec.selector: error: does not select the labels of its pod template (Deployment "ai-odoo-finder")`,
    ]);
    // rollout/templateref.go: only the template and selector come from the Deployment.
    expect(after((get) => delete get('Rollout', 'ai-odoo-finder').spec.minReadySeconds)).toEqual([
      `rollout-workload ${R} spec.minReadySeconds: error: is not set, but Deployment "ai-odoo-finder" sets minReadySeconds 5: the controller takes only the pod template and selector from its workloadRef, so the Rollout's pods would count as available sooner than the Deployment's`,
    ]);
    expect(after((get) => (get('Rollout', 'ai-odoo-finder').spec.minReadySeconds = 0))).toEqual([expect.stringContaining('spec.minReadySeconds: error: is 0, but Deployment "ai-odoo-finder" sets minReadySeconds 5')]);
    expect(after((get) => {
      delete get('Rollout', 'ai-odoo-finder').spec.minReadySeconds;
      delete get('Deployment', 'ai-odoo-finder').spec.minReadySeconds;
    })).toEqual([]);
    expect(after((get) => (get('Rollout', 'ai-odoo-finder').spec.template = get('Deployment', 'ai-odoo-finder').spec.template))).toContain(
      `rollout-workload ${R} spec: error: give exactly one of spec.template and spec.workloadRef (Argo Rollouts marks the Rollout InvalidSpec)`,
    );
  });

  it('rollout-service: both Services exist, differ and select the Rollout pods', () => {
    expect(after((get, objects) => remove(objects, 'Service', 'ai-odoo-finder-canary'))).toEqual([
      `rollout-service ${R} spec.strategy.canary.canaryService: error: Service "ai-odoo-finder-canary" does not exist in namespace "odoo-finder"`,
    ]);
    expect(after((get) => (get('Service', 'ai-odoo-finder-stable').spec.selector['app.kubernetes.io/component'] = 'api-stable'))).toEqual([
      `rollout-service ${R} spec.strategy.canary.stableService: error: Service "ai-odoo-finder-stable" does not select the Rollout's pods (the controller only adds rollouts-pod-template-hash to its selector)`,
      'service-selector Service/odoo-finder/ai-odoo-finder-stable spec.selector: error: selects no pods: no pod template in namespace "odoo-finder" has the labels {"app.kubernetes.io/component":"api-stable","app.kubernetes.io/instance":"ai-odoo-finder-production","app.kubernetes.io/name":"ai-odoo-finder"}',
    ]);
    expect(after((get) => (canary(get).canaryService = 'ai-odoo-finder-stable'))).toEqual([
      `rollout-service ${R} spec.strategy.canary.canaryService: error: canaryService and stableService are the same Service`,
    ]);
  });

  it('rollout-ingress: the nginx stable Ingress routes to the stable Service (the Ingress before the canary did not)', () => {
    expect(after((get) => (get('Ingress', 'ai-odoo-finder').spec.rules[0].http.paths[0].backend.service.name = 'ai-odoo-finder'))).toEqual([
      `rollout-ingress ${R} spec.strategy.canary.trafficRouting.nginx.stableIngress: error: Ingress "ai-odoo-finder" has no rule with the stable Service "ai-odoo-finder-stable" as backend: the controller cannot build the canary Ingress`,
    ]);
    // Both Ingresses move to the other class: the one taking /metrics back must share the class (ingress-metrics-exposed).
    expect(after((get) => ['ai-odoo-finder', 'ai-odoo-finder-internal'].forEach((n) => (get('Ingress', n).spec.ingressClassName = 'traefik')))).toEqual([
      `rollout-ingress ${R} spec.strategy.canary.trafficRouting.nginx.stableIngress: warning: Ingress "ai-odoo-finder" has class "traefik": the controller handles class "nginx" only, unless started with --nginx-ingress-classes`,
    ]);
    expect(after((get) => (canary(get).trafficRouting.nginx.stableIngress = 'web'))).toEqual([
      `rollout-ingress ${R} spec.strategy.canary.trafficRouting.nginx.stableIngress: error: Ingress "web" does not exist in namespace "odoo-finder"`,
    ]);
  });

  it('rollout-analysis: templates exist and get every argument they need, and only those', () => {
    expect(after((get) => (canary(get).steps.at(-1).analysis.templates[0].templateName = 'ai-odoo-finder-gate'))).toEqual([
      `rollout-analysis ${R} spec.strategy.canary.steps[6].analysis.templates[0].templateName: error: AnalysisTemplate "ai-odoo-finder-gate" does not exist in namespace "odoo-finder"`,
    ]);
    expect(after((get) => (canary(get).analysis.args[0].name = 'canary-hash-value'))).toEqual([
      `rollout-analysis ${R} spec.strategy.canary.analysis.args: error: AnalysisTemplate "ai-odoo-finder-slo" needs argument "canary-hash", which this analysis does not give`,
      `rollout-analysis ${R} spec.strategy.canary.analysis.args: warning: argument "canary-hash-value" is declared by none of the templates: Argo Rollouts ignores it`,
    ]);
  });

  it('analysis-gate-success: a gate must need one successful measurement (argo-rollouts analysis/analysis.go assessMetricStatus)', () => {
    const G = 'AnalysisTemplate/odoo-finder/ai-odoo-finder-slo-gate';
    // Without consecutiveSuccessLimit (the gate before it had one), reaching the count within the limits passes.
    const gate = (get: (kind: string, name: string) => Obj) => {
      const metric = get('AnalysisTemplate', 'ai-odoo-finder-slo-gate').spec.metrics[1];
      delete metric.consecutiveSuccessLimit;
      return metric;
    };
    expect(after((get) => (gate(get).count = 4))).toEqual([
      `analysis-gate-success ${G} spec.metrics[1].count: error: count 4 is not more than failureLimit + inconclusiveLimit (1 + 3), and Rollout "ai-odoo-finder" gates step 6 on it: Argo Rollouts calls a metric that reaches its count within the limits Successful, so this gate promotes without one successful measurement (an idle canary passes)`,
    ]);
    // (and with no consecutiveSuccessLimit either, Argo Rollouts refuses it outright)
    expect(after((get) => (gate(get).failureLimit = -1))).toEqual([expect.stringContaining('failureLimit -1 (no failure counts)'), expect.stringMatching(/^analysis-metric-spec .*both are disabled/)]);
    expect(after((get) => {
      const metric = gate(get);
      delete metric.failureLimit;
      Object.assign(metric, { count: '2', inconclusiveLimit: '2' });
    })).toEqual([expect.stringContaining('count 2 is not more than failureLimit + inconclusiveLimit (0 + 2)')]);
    // consecutiveSuccessLimit decides instead; the background template has no count and gates nothing.
    expect(after((get) => Object.assign(gate(get), { count: 4, consecutiveSuccessLimit: 3 }))).toEqual([]);
    expect(after((get) => (get('AnalysisTemplate', 'ai-odoo-finder-slo').spec.metrics[0].count = 3))).toEqual([]);
    // A limit given as an argument is resolved at run time: not judged (it was read as 0).
    expect(after((get) => {
      const template = get('AnalysisTemplate', 'ai-odoo-finder-slo-gate');
      template.spec.args.push({ name: 'successes' });
      Object.assign(template.spec.metrics[1], { count: 4, consecutiveSuccessLimit: '{{args.successes}}' });
      canary(get).steps.at(-1).analysis.args.push({ name: 'successes', value: '3' });
    })).toEqual([]);
    // Without a count but with an interval the gate would never end: Argo Rollouts refuses the Rollout.
    expect(after((get) => delete get('AnalysisTemplate', 'ai-odoo-finder-slo-gate').spec.metrics[1].count)).toEqual([
      `rollout-analysis ${G} spec.metrics[1].count: error: has an interval and no count, and Rollout "ai-odoo-finder" gates step 6 on it: Argo Rollouts refuses a step analysis that runs indefinitely (validation_references.go ValidateAnalysisTemplateWithType), the Rollout is InvalidSpec`,
    ]);
  });

  it('analysis-metric-spec: limits Argo Rollouts accepts (utils/analysis/factory.go ValidateMetric), or every canary aborts', () => {
    const G = 'AnalysisTemplate/odoo-finder/ai-odoo-finder-slo-gate';
    const B = 'AnalysisTemplate/odoo-finder/ai-odoo-finder-slo';
    const gate = (get: (kind: string, name: string) => Obj) => get('AnalysisTemplate', 'ai-odoo-finder-slo-gate').spec.metrics[0];
    const background = (get: (kind: string, name: string) => Obj) => get('AnalysisTemplate', 'ai-odoo-finder-slo').spec.metrics[1];
    const refused = 'Argo Rollouts refuses the metric (utils/analysis/factory.go ValidateMetric), the AnalysisRun is an Error and the rollout aborts';
    expect(after((get) => (gate(get).count = 3))).toEqual([
      `analysis-metric-spec ${G} spec.metrics[0].count: error: count 3 is less than failureLimit + consecutiveSuccessLimit (1 + 3): ${refused}`,
    ]);
    expect(after((get) => Object.assign(gate(get), { count: 4, inconclusiveLimit: 5 }))).toEqual([
      `analysis-metric-spec ${G} spec.metrics[0].count: error: count 4 is less than inconclusiveLimit 5: ${refused}`,
    ]);
    expect(after((get) => Object.assign(gate(get), { failureLimit: -1, count: 2 }))).toEqual([
      `analysis-metric-spec ${G} spec.metrics[0].count: error: count 2 is less than consecutiveSuccessLimit 3: ${refused}`,
    ]);
    expect(after((get) => (background(get).failureLimit = -1))).toEqual([
      `analysis-metric-spec ${B} spec.metrics[1].failureLimit: error: failureLimit -1 and no consecutiveSuccessLimit: both are disabled, nothing could end the metric: ${refused}`,
    ]);
    expect(after((get) => (background(get).failureLimit = -2))).toEqual([expect.stringContaining('failureLimit -2 is less than -1')]);
    expect(after((get) => (background(get).consecutiveErrorLimit = -1))).toEqual([expect.stringContaining('consecutiveErrorLimit -1 is negative')]);
    expect(after((get) => Object.assign(background(get), { count: 5, interval: undefined }))).toEqual([expect.stringContaining('count 5 without an interval')]);
    expect(after((get) => Object.assign(background(get), { count: 5, interval: '' }))).toEqual([expect.stringContaining('count 5 without an interval')]);
    // What the controller resolves only at run time is not judged here; the schema refuses a negative count.
    expect(after((get) => (gate(get).count = '{{args.n}}'))).toEqual([expect.stringContaining('{{args.n}} is not a declared argument')]);
  });

  it('analysis-args and promql: placeholders are declared, queries parse', () => {
    expect(after((get) => {
      const metric = get('AnalysisTemplate', 'ai-odoo-finder-slo').spec.metrics[0];
      metric.provider.prometheus.query = metric.provider.prometheus.query.replace('{{args.canary-hash}}', '{{args.hash}}');
    })).toEqual([`analysis-args ${T} spec.metrics[0].provider.prometheus.query: error: {{args.hash}} is not a declared argument (spec.args)`]);
    expect(after((get) => (get('AnalysisTemplate', 'ai-odoo-finder-slo').spec.metrics[1].provider.prometheus.query = 'sum(rate(x[5m])'))).toEqual([
      `promql ${T} spec.metrics[1].provider.prometheus.query: error: PromQL syntax error at character 16 near "end of expression"`,
    ]);
  });

  it('analysis-scrape-label: the canary hash label must be copied onto the series (the ServiceMonitor before the canary did not)', () => {
    const findings = after((get) => delete get('ServiceMonitor', 'ai-odoo-finder').spec.podTargetLabels);
    expect(findings).toHaveLength(4); // two metrics in each of the two templates
    expect(findings[0]).toBe(
      'analysis-scrape-label AnalysisTemplate/odoo-finder/ai-odoo-finder-slo-gate spec.metrics[0].provider.prometheus.query: error: selects rollouts_pod_template_hash, but no ServiceMonitor or PodMonitor in namespace "odoo-finder" copies the pod label rollouts-pod-template-hash (spec.podTargetLabels): the query matches nothing',
    );
  });

  it('rollout-hpa: the HPA scales the Rollout, not its Deployment (as it did before the canary)', () => {
    expect(after((get) => (get('HorizontalPodAutoscaler', 'ai-odoo-finder').spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ai-odoo-finder' }))).toEqual([
      'rollout-hpa HorizontalPodAutoscaler/odoo-finder/ai-odoo-finder spec.scaleTargetRef: error: scales Deployment "ai-odoo-finder", whose pods Rollout "ai-odoo-finder" runs: scale the Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout)',
    ]);
    expect(after((get) => (get('HorizontalPodAutoscaler', 'ai-odoo-finder').spec.scaleTargetRef.apiVersion = 'argoproj.io/v1'))).toEqual([
      'hpa-target HorizontalPodAutoscaler/odoo-finder/ai-odoo-finder spec.scaleTargetRef.apiVersion: error: Rollout "ai-odoo-finder" is argoproj.io/v1alpha1, not argoproj.io/v1',
    ]);
  });

  it('rollout-replicas: the Rollout starts with the HPA\'s floor, not the controller\'s 1 (as rendered before this rule)', () => {
    const message = (now: string) =>
      `rollout-replicas ${R} spec.replicas: error: ${now} and scales Deployment "ai-odoo-finder" down to what is missing (workloadRef scaleDown progressively): set spec.replicas, at least the minReplicas 3 of HorizontalPodAutoscaler "ai-odoo-finder"`;
    expect(after((get) => delete get('Rollout', 'ai-odoo-finder').spec.replicas)).toEqual([message('without spec.replicas the controller starts it with 1 pod')]);
    expect(after((get) => (get('Rollout', 'ai-odoo-finder').spec.replicas = 2))).toEqual([message('it starts with 2 pod(s)')]);
    expect(after((get) => (get('Rollout', 'ai-odoo-finder').spec.workloadRef.scaleDown = 'never'))).toEqual([]);
  });

  it('servicemonitor-rollout-service: the ServiceMonitor does not scrape through a Service the Rollout re-points', () => {
    expect(after((get) => (get('Service', 'ai-odoo-finder-canary').metadata.labels['app.kubernetes.io/component'] = 'api'))).toEqual([
      'servicemonitor-rollout-service ServiceMonitor/odoo-finder/ai-odoo-finder spec.selector: error: selects Service "ai-odoo-finder-canary", whose selector Rollout "ai-odoo-finder" changes during an update',
    ]);
  });
});

describe('docs/validate.md', () => {
  it('documents every rule of the Argo Rollouts checks', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../lib/validate/references/rollouts.ts'), 'utf8');
    const rules = [...new Set([...source.matchAll(/'(?:error|warning)', '([a-z-]+)'/g)].map((m) => m[1]))];
    expect(rules.length).toBeGreaterThanOrEqual(8);
    const docs = fs.readFileSync(path.join(__dirname, '../../docs/validate.md'), 'utf8');
    expect(rules.filter((r) => !docs.includes(`\`${r}\``))).toEqual([]);
  });
});

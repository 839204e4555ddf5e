import { stringify } from 'yaml';
import { parseEnvironment } from '../../lib/config/load';
import { DEFAULT_CANARY_STEPS } from '../../config/delivery-schema';
import { Manifest } from '../../lib/synth/render';
import { argocdManifests, waveOf } from '../support/delivery';
import { committedEnvironment, find, findAll, manifestsOf, minimalEnvironment } from '../support/env';
import { selects } from '../../lib/validate/selectors';

const spec = (m: Manifest) => m.spec as any;
const base = { tier: 'staging', namespace: 'odoo-finder-test', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' } };

function problems(settings: object): string[] {
  const result = parseEnvironment('config/environments/test.yaml', stringify(settings));
  if (!('problems' in result)) throw new Error('expected the file to be refused');
  return result.problems.map((p) => `${p.key}: ${p.message}`);
}

describe('delivery.strategy', () => {
  test('rolling is the default; the committed production ships canaries, staging rolls', () => {
    expect(minimalEnvironment().delivery.strategy).toBe('rolling');
    expect(committedEnvironment('staging').delivery.strategy).toBe('rolling');
    expect(committedEnvironment('production').delivery.strategy).toBe('canary');
    expect(findAll(manifestsOf(committedEnvironment('staging')), 'Rollout')).toEqual([]);
    expect(findAll(manifestsOf(committedEnvironment('staging')), 'AnalysisTemplate')).toEqual([]);
  });

  test('one line switches an environment, and changes nothing of the pods', () => {
    const rolling = manifestsOf(minimalEnvironment({ ingress: { enabled: true, host: 'x.example.com' } }));
    const canary = manifestsOf(minimalEnvironment({ ingress: { enabled: true, host: 'x.example.com' }, delivery: { strategy: 'canary' } }));
    expect(findAll(canary, 'Rollout').map((m) => m.metadata.name)).toEqual(['ai-odoo-finder']);
    expect(findAll(rolling, 'Rollout')).toEqual([]);
    // The Deployment (its template, selector, strategy) is byte for byte the same: switching rolls no pod by itself.
    expect(find(canary, 'Deployment', 'ai-odoo-finder')).toEqual(find(rolling, 'Deployment', 'ai-odoo-finder'));
    const added = canary.filter((m) => !rolling.some((r) => r.kind === m.kind && r.metadata.name === m.metadata.name)).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(added.sort()).toEqual([
      'AnalysisTemplate/ai-odoo-finder-slo',
      'AnalysisTemplate/ai-odoo-finder-slo-gate',
      'Rollout/ai-odoo-finder',
      'Service/ai-odoo-finder-canary',
      'Service/ai-odoo-finder-stable',
    ]);
  });

  test('canary settings have defaults, and bad ones are refused with their key', () => {
    const env = minimalEnvironment({ delivery: { strategy: 'canary' } });
    expect(env.delivery.canary.steps).toEqual(DEFAULT_CANARY_STEPS);
    expect(env.delivery.canary.analysis).toMatchObject({ interval: '1m', window: '5m', minRequests: 50, failureLimit: 1, inconclusiveLimit: 3, gateMeasurements: 5, gateConsecutiveSuccesses: 3 });
    expect(problems({ ...base, delivery: { strategy: 'blue-green' } })).toEqual([expect.stringMatching(/^delivery\.strategy: .*rolling.*canary/)]);
    expect(problems({ ...base, delivery: { canary: { steps: [{ weight: 50, pause: '5m' }, { weight: 25, pause: '5m' }] } } })).toEqual([
      'delivery.canary.steps.1.weight: is 25, not more than the step before (50): weights must increase',
    ]);
    expect(problems({ ...base, delivery: { canary: { steps: [{ weight: 100, pause: '5m' }] } } })).toEqual([expect.stringMatching(/^delivery\.canary\.steps\.0\.weight: /)]);
    expect(problems({ ...base, delivery: { canary: { steps: [{ weight: 10, pause: 'forever' }] } } })).toEqual([expect.stringMatching(/^delivery\.canary\.steps\.0\.pause: /)]);
    // utils/analysis/factory.go ValidateMetric: what Argo Rollouts would refuse at every AnalysisRun.
    expect(problems({ ...base, delivery: { canary: { analysis: { gateMeasurements: 3 } } } })).toEqual([
      'delivery.canary.analysis.gateMeasurements: gateMeasurements 3 is less than failureLimit + gateConsecutiveSuccesses (1 + 3): Argo Rollouts refuses such a gate (utils/analysis/factory.go ValidateMetric), its AnalysisRun is an Error and every canary aborts. Give at least 4',
    ]);
    expect(problems({ ...base, delivery: { canary: { analysis: { gateMeasurements: 4, inconclusiveLimit: 6 } } } })).toEqual([
      'delivery.canary.analysis.gateMeasurements: gateMeasurements 4 is less than inconclusiveLimit 6: Argo Rollouts refuses such a gate (utils/analysis/factory.go ValidateMetric), its AnalysisRun is an Error and every canary aborts. Give at least 6',
    ]);
    expect(problems({ ...base, delivery: { canary: { analysis: { gateConsecutiveSuccesses: 0 } } } })).toEqual([expect.stringMatching(/^delivery\.canary\.analysis\.gateConsecutiveSuccesses: /)]);
    // A gate of 4 with 1 failure and 3 inconclusive tolerated is fine now: it passes only on 3 successes in a row.
    expect(minimalEnvironment({ delivery: { strategy: 'canary', canary: { analysis: { gateMeasurements: 4 } } } }).delivery.canary.analysis.gateMeasurements).toBe(4);
    expect(minimalEnvironment({ delivery: { strategy: 'canary', canary: { analysis: { gateMeasurements: 1, gateConsecutiveSuccesses: 1, inconclusiveLimit: 0, failureLimit: 0 } } } }).delivery.canary.analysis.gateMeasurements).toBe(1);
    expect(problems({ ...base, monitoring: { scrapeInterval: '45s' }, delivery: { canary: { analysis: { window: '1m' } } } })).toEqual([
      'delivery.canary.analysis.window: is 1m, less than two scrapes (monitoring.scrapeInterval 45s): rate() needs two samples in the window',
    ]);
  });
});

describe('the canary of production', () => {
  const env = committedEnvironment('production');
  const manifests = manifestsOf(env);
  const rollout = find(manifests, 'Rollout', 'ai-odoo-finder');
  const canary = spec(rollout).strategy.canary;
  const deployment = find(manifests, 'Deployment', 'ai-odoo-finder');
  const podLabels = spec(deployment).template.metadata.labels as Record<string, string>;

  test('the Rollout runs the Deployment\'s template, scaling the Deployment down as its own pods come up', () => {
    expect(spec(rollout).workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ai-odoo-finder', scaleDown: 'progressively' });
    expect(spec(rollout).template).toBeUndefined();
    // Created with the HPA's floor (the HPA owns it afterwards; Argo CD ignores /spec/replicas): left out,
    // the controller would start it with 1 pod and scale the Deployment to 0 once that pod is ready.
    expect(spec(rollout).replicas).toBe(spec(find(manifests, 'HorizontalPodAutoscaler', 'ai-odoo-finder')).minReplicas);
    expect(spec(rollout).replicas).toBeGreaterThan(1);
    expect(spec(rollout).selector).toEqual(spec(deployment).selector);
    expect(spec(rollout).progressDeadlineAbort).toBe(true);
  });

  test('steps: each weight and pause of the config, then the SLO gate; the background analysis covers the whole update', () => {
    expect(canary.steps).toEqual([
      { setWeight: 10 }, { pause: { duration: '5m' } },
      { setWeight: 25 }, { pause: { duration: '10m' } },
      { setWeight: 50 }, { pause: { duration: '10m' } },
      { analysis: { templates: [{ templateName: 'ai-odoo-finder-slo-gate' }], args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } },
    ]);
    expect(canary.analysis).toEqual({ templates: [{ templateName: 'ai-odoo-finder-slo' }], args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] });
    const manual = manifestsOf(minimalEnvironment({ delivery: { strategy: 'canary', canary: { steps: [{ weight: 20, pause: 'manual' }] } } }));
    expect(spec(find(manual, 'Rollout')).strategy.canary.steps.slice(0, 2)).toEqual([{ setWeight: 20 }, { pause: {} }]);
  });

  test('traffic: ingress-nginx splits it through the Ingress on the stable Service; without an Ingress the canary is replica-weighted', () => {
    expect(canary.trafficRouting).toEqual({ nginx: { stableIngress: 'ai-odoo-finder' } });
    const ingress = find(manifests, 'Ingress', 'ai-odoo-finder');
    expect(spec(ingress).rules[0].http.paths[0].backend.service.name).toBe(canary.stableService);
    const noIngress = manifestsOf(minimalEnvironment({ delivery: { strategy: 'canary' } }));
    expect(spec(find(noIngress, 'Rollout')).strategy.canary.trafficRouting).toBeUndefined();
  });

  test('stable and canary Services select the API pods; the ServiceMonitor scrapes neither, but the Service of every pod', () => {
    for (const name of [canary.stableService, canary.canaryService]) {
      const service = find(manifests, 'Service', name);
      expect(spec(service).selector).toEqual(spec(deployment).selector.matchLabels);
      const monitor = find(manifests, 'ServiceMonitor', 'ai-odoo-finder');
      expect(selects(spec(monitor).selector, service.metadata.labels ?? {})).toBe(false);
      expect(selects(spec(monitor).selector, find(manifests, 'Service', 'ai-odoo-finder').metadata.labels ?? {})).toBe(true);
      expect(spec(monitor).podTargetLabels).toEqual(['rollouts-pod-template-hash']);
    }
  });

  test('HPA, PDB and NetworkPolicy keep pointing at the pods the Rollout runs (the Deployment\'s template labels)', () => {
    expect(spec(find(manifests, 'HorizontalPodAutoscaler', 'ai-odoo-finder')).scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'ai-odoo-finder' });
    expect(selects(spec(find(manifests, 'PodDisruptionBudget', 'ai-odoo-finder')).selector, podLabels)).toBe(true);
    expect(selects(spec(find(manifests, 'NetworkPolicy', 'ai-odoo-finder')).podSelector, podLabels)).toBe(true);
    // Pods of every revision spread on their own, for both controllers' hash labels.
    expect(spec(deployment).template.spec.topologySpreadConstraints.every((c: any) => c.matchLabelKeys.includes('rollouts-pod-template-hash'))).toBe(true);
  });

  test('the AnalysisTemplates query the configured Prometheus, and exist before the Rollout (sync waves)', () => {
    for (const name of ['ai-odoo-finder-slo', 'ai-odoo-finder-slo-gate']) {
      const template = find(manifests, 'AnalysisTemplate', name);
      expect(spec(template).metrics.map((m: any) => m.provider.prometheus.address)).toEqual([env.delivery.canary.analysis.prometheusAddress, env.delivery.canary.analysis.prometheusAddress]);
      expect(waveOf(template)).toBeLessThan(waveOf(rollout));
    }
    for (const name of [canary.stableService, canary.canaryService]) expect(waveOf(find(manifests, 'Service', name))).toBeLessThan(waveOf(rollout));
  });

  test('Argo CD leaves the Rollout\'s replica count to the HPA, and the project allows the new kinds', () => {
    const m = argocdManifests([env, committedEnvironment('staging')]);
    const app = spec(find(m, 'Application', 'ai-odoo-finder-production'));
    expect(app.ignoreDifferences).toContainEqual({ group: 'argoproj.io', kind: 'Rollout', name: 'ai-odoo-finder', jsonPointers: ['/spec/replicas'] });
    expect(spec(find(m, 'Application', 'ai-odoo-finder-staging')).ignoreDifferences.some((d: any) => d.kind === 'Rollout')).toBe(false);
    const kinds = spec(find(m, 'AppProject')).namespaceResourceWhitelist;
    expect(kinds).toEqual(expect.arrayContaining([{ group: 'argoproj.io', kind: 'Rollout' }, { group: 'argoproj.io', kind: 'AnalysisTemplate' }]));
  });
});

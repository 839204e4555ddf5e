import { Construct } from 'constructs';
import { Environment } from '../config/schema';
import { ApiService } from '../lib/api/api-service';
import { API } from '../lib/api/constants';
import { CanaryRollout } from '../lib/delivery/canary-rollout';
import { CANARY } from '../lib/delivery/constants';
import { isCanary } from '../lib/delivery/settings';
import { SloAnalysisTemplate } from '../lib/delivery/slo-analysis-template';
import { SYNC_WAVE, syncWave } from '../lib/argocd/sync';
import { imageVersion } from '../lib/image';
import { recommendedLabels, selectorLabels } from '../lib/labels';
import { canarySlis } from '../lib/monitoring/canary-analysis';
import { monitoringContext } from '../lib/monitoring/context';
import { EnvironmentChart } from './environment-chart';

/**
 * The canary of the API (delivery.strategy "canary"): the Rollout, its stable
 * and canary Services, and the SLO AnalysisTemplates. The Deployment, the
 * Service `ai-odoo-finder` (every API pod, scraped by the ServiceMonitor),
 * HPA and PDB stay in the API chart.
 */
export class CanaryChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id, env);
    if (!isCanary(env)) return;
    const version = imageVersion(env.image);
    const selector = selectorLabels(env, API.identity);
    const { canary } = env.delivery;
    const { analysis } = canary;
    // Before the Rollout (wave 0), so that it never refers to a missing Service or template.
    const prerequisite = syncWave(SYNC_WAVE.prerequisites);

    const service = (id: string, s: (typeof CANARY)['stableService' | 'canaryService']) =>
      new ApiService(this, id, {
        metadata: { name: s.name, labels: recommendedLabels(env, s.identity, version), annotations: prerequisite },
        selector,
      });
    const stable = service('StableService', CANARY.stableService);
    const canaryService = service('CanaryService', CANARY.canaryService);

    const slis = canarySlis(monitoringContext(env), { window: analysis.window, minRequests: analysis.minRequests });
    const template = (id: string, name: string, extra: { count?: number; consecutiveSuccessLimit?: number; initialDelay?: string }) =>
      new SloAnalysisTemplate(this, id, {
        metadata: { name, labels: recommendedLabels(env, API.identity, version), annotations: prerequisite },
        prometheusAddress: analysis.prometheusAddress,
        slis,
        interval: analysis.interval,
        failureLimit: analysis.failureLimit,
        inconclusiveLimit: analysis.inconclusiveLimit,
        consecutiveErrorLimit: analysis.consecutiveErrorLimit,
        ...extra,
      });
    // The background run starts with the first canary pod: its first measurement waits for one window of traffic.
    const background = template('BackgroundAnalysis', CANARY.backgroundAnalysis, { initialDelay: analysis.window });
    // The gate passes on good measurements in a row, not on the absence of bad ones.
    const gate = template('GateAnalysis', CANARY.gateAnalysis, { count: analysis.gateMeasurements, consecutiveSuccessLimit: analysis.gateConsecutiveSuccesses });

    new CanaryRollout(this, 'Rollout', {
      metadata: { name: CANARY.rollout, labels: recommendedLabels(env, API.identity, version) },
      deploymentName: API.name,
      // The HPA's floor when Argo CD creates the Rollout; the HPA owns the count from then on.
      replicas: env.autoscaling.minReplicas,
      minReadySeconds: API.minReadySeconds,
      selector,
      stableService: stable.name,
      canaryService: canaryService.name,
      stableIngress: env.ingress.enabled ? API.name : undefined,
      steps: canary.steps,
      backgroundAnalysis: background.name,
      gateAnalysis: gate.name,
    });
  }
}

import { CanaryRollout, CanaryRolloutProps } from '../../../lib/delivery/canary-rollout';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: CanaryRolloutProps = {
  metadata: WORKLOAD.metadata,
  selector: WORKLOAD.selector,
  deploymentName: 'demo',
  stableService: 'demo-stable',
  canaryService: 'demo-canary',
  replicas: 3,
  minReadySeconds: 7,
  steps: [{ weight: 10, pause: '5m' }, { weight: 50, pause: 'manual' }],
  backgroundAnalysis: 'demo-slo',
  gateAnalysis: 'demo-slo-gate',
};
const render = (p: Partial<CanaryRolloutProps> = {}) => only(synthConstruct((chart) => new CanaryRollout(chart, 'Rollout', { ...props, ...p })), 'Rollout');

describe('CanaryRollout', () => {
  const rollout = render();
  const canary = at(rollout, 'spec', 'strategy', 'canary');

  it('renders one Rollout', () => {
    expect(rollout).toMatchSnapshot();
  });

  it('runs the Deployment\'s template by reference, scaling the Deployment down as its own pods get ready', () => {
    expect(at(rollout, 'spec', 'workloadRef')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', scaleDown: 'progressively' });
    // Created with the HPA's floor: left out, the controller sets 1 and scales the Deployment to 0 once that pod is ready.
    expect(at(rollout, 'spec', 'replicas')).toBe(3);
    expect(at(rollout, 'spec', 'progressDeadlineAbort')).toBe(true);
    // The controller takes only template and selector from the Deployment (rollout/templateref.go).
    expect(at(rollout, 'spec', 'minReadySeconds')).toBe(7);
  });

  it('steps through the weights and pauses, then the gate analysis; the background analysis runs throughout', () => {
    expect(canary.steps).toEqual([
      { setWeight: 10 },
      { pause: { duration: '5m' } },
      { setWeight: 50 },
      { pause: {} },
      { analysis: { templates: [{ templateName: 'demo-slo-gate' }], args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } },
    ]);
    expect(canary.analysis.templates).toEqual([{ templateName: 'demo-slo' }]);
  });

  it('routes through ingress-nginx only when given the stable Ingress', () => {
    expect(canary).not.toHaveProperty('trafficRouting');
    expect(at(render({ stableIngress: 'demo' }), 'spec', 'strategy', 'canary', 'trafficRouting')).toEqual({ nginx: { stableIngress: 'demo' } });
  });

  it('refuses no step, a weight of 100 and a pause that is neither a duration nor manual', () => {
    expectPropsError(() => render({ steps: [] }), 'CanaryRollout', 'steps');
    expectPropsError(() => render({ steps: [{ weight: 100, pause: '5m' }] }), 'CanaryRollout', 'steps[0].weight');
    expectPropsError(() => render({ steps: [{ weight: 10, pause: 'later' }] }), 'CanaryRollout', 'steps[0].pause');
    expectPropsError(() => render({ canaryService: 'demo-stable' }), 'CanaryRollout', 'canaryService');
    expectPropsError(() => render({ minReadySeconds: -1 }), 'CanaryRollout', 'minReadySeconds');
  });
});

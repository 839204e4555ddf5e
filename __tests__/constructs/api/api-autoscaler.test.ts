import { ApiAutoscaler, ApiAutoscalerProps } from '../../../lib/api/api-autoscaler';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: ApiAutoscalerProps = {
  metadata: WORKLOAD.metadata,
  target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' },
  minReplicas: 2,
  maxReplicas: 10,
  targetCPUUtilization: 70,
};
const render = (p: Partial<ApiAutoscalerProps> = {}) => only(synthConstruct((chart) => new ApiAutoscaler(chart, 'Autoscaler', { ...props, ...p })), 'HorizontalPodAutoscaler');

describe('ApiAutoscaler', () => {
  const hpa = render();

  it('renders one autoscaling/v2 HPA', () => {
    expect(hpa).toMatchSnapshot();
  });

  it('scales its target on CPU between the bounds', () => {
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(at(hpa, 'spec', 'scaleTargetRef')).toEqual(props.target);
    expect(at(hpa, 'spec')).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(at(hpa, 'spec', 'metrics', 0, 'resource')).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } });
  });

  it('scales up at once and down slowly', () => {
    expect(at(hpa, 'spec', 'behavior', 'scaleUp', 'stabilizationWindowSeconds')).toBe(0);
    expect(at(hpa, 'spec', 'behavior', 'scaleDown', 'stabilizationWindowSeconds')).toBe(300);
  });

  it('comes in its target\'s sync wave, the default: a change to it is applied at once, during a canary too (rule argocd-hpa-order)', () => {
    expect(at(hpa, 'metadata', 'annotations')?.['argocd.argoproj.io/sync-wave']).toBeUndefined();
  });

  it('refuses no replicas, a maximum below the minimum and a zero target', () => {
    expectPropsError(() => render({ minReplicas: 0 }), 'ApiAutoscaler', 'minReplicas');
    expectPropsError(() => render({ minReplicas: 3, maxReplicas: 2 }), 'ApiAutoscaler', 'maxReplicas');
    expectPropsError(() => render({ targetCPUUtilization: 0 }), 'ApiAutoscaler', 'targetCPUUtilization');
  });
});

import { ApiServiceMonitor, ApiServiceMonitorProps } from '../../../lib/monitoring/api-service-monitor';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: ApiServiceMonitorProps = { metadata: WORKLOAD.metadata, serviceSelector: WORKLOAD.selector, portName: 'http' };
const render = (p: Partial<ApiServiceMonitorProps> = {}) => only(synthConstruct((chart) => new ApiServiceMonitor(chart, 'Monitor', { ...props, ...p })), 'ServiceMonitor');

describe('ApiServiceMonitor', () => {
  const monitor = render();

  it('renders one ServiceMonitor', () => {
    expect(monitor).toMatchSnapshot();
  });

  it('scrapes the named port of the selected Service at /metrics every 30s, without jobLabel', () => {
    expect(at(monitor, 'spec', 'selector')).toEqual({ matchLabels: WORKLOAD.selector });
    expect(at(monitor, 'spec', 'endpoints')).toEqual([{ port: 'http', path: '/metrics', interval: '30s', scheme: 'http' }]);
    expect(at(monitor, 'spec')).not.toHaveProperty('jobLabel');
  });

  it('copies pod labels onto the series only when asked', () => {
    expect(at(monitor, 'spec')).not.toHaveProperty('podTargetLabels');
    expect(at(render({ podTargetLabels: ['rollouts-pod-template-hash'] }), 'spec', 'podTargetLabels')).toEqual(['rollouts-pod-template-hash']);
  });

  it('refuses an empty Service selector and an interval Prometheus would not read', () => {
    expectPropsError(() => render({ serviceSelector: {} }), 'ApiServiceMonitor', 'serviceSelector');
    expectPropsError(() => render({ interval: '30 seconds' }), 'ApiServiceMonitor', 'interval');
  });
});

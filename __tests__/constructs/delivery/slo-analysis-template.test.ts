import { SloAnalysisTemplate, SloAnalysisTemplateProps } from '../../../lib/delivery/slo-analysis-template';
import { CanarySli } from '../../../lib/monitoring/canary-analysis';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const sli: CanarySli = {
  name: 'errors',
  sli: 'availability',
  query: 'sum(rate(errors{hash="{{args.canary-hash}}"}[5m]))',
  successCondition: 'result[0] <= 0.01',
  failureCondition: 'result[0] > 0.05',
  passAtMost: 0.01,
  failAbove: 0.05,
};
const props: SloAnalysisTemplateProps = {
  metadata: { name: 'demo-slo', labels: WORKLOAD.metadata.labels },
  prometheusAddress: 'http://prometheus.monitoring:9090',
  slis: [sli],
  interval: '1m',
  failureLimit: 1,
  inconclusiveLimit: 2,
  consecutiveErrorLimit: 3,
};
const render = (p: Partial<SloAnalysisTemplateProps> = {}) => only(synthConstruct((chart) => new SloAnalysisTemplate(chart, 'Template', { ...props, ...p })), 'AnalysisTemplate');

describe('SloAnalysisTemplate', () => {
  const template = render();
  const metric = at(template, 'spec', 'metrics', 0);

  it('renders one AnalysisTemplate', () => {
    expect(template).toMatchSnapshot();
  });

  it('measures each SLI with its conditions and limits, taking the canary hash as argument', () => {
    expect(at(template, 'spec', 'args')).toEqual([{ name: 'canary-hash' }]);
    expect(metric).toMatchObject({ name: 'errors', interval: '1m', successCondition: sli.successCondition, failureCondition: sli.failureCondition, failureLimit: 1, inconclusiveLimit: 2, consecutiveErrorLimit: 3 });
    expect(metric.provider).toEqual({ prometheus: { address: props.prometheusAddress, query: sli.query } });
  });

  it('runs until the rollout ends unless given a count', () => {
    expect(metric).not.toHaveProperty('count');
    expect(at(render({ count: 3 }), 'spec', 'metrics', 0, 'count')).toBe(3);
  });

  it('passes on successes in a row only when given a consecutiveSuccessLimit', () => {
    expect(metric).not.toHaveProperty('consecutiveSuccessLimit');
    expect(at(render({ count: 5, consecutiveSuccessLimit: 3 }), 'spec', 'metrics', 0)).toMatchObject({ count: 5, consecutiveSuccessLimit: 3 });
    expectPropsError(() => render({ count: 5, consecutiveSuccessLimit: 0 }), 'SloAnalysisTemplate', 'consecutiveSuccessLimit');
  });

  it('refuses no SLI, a negative limit and an address that is not a URL', () => {
    expectPropsError(() => render({ slis: [] }), 'SloAnalysisTemplate', 'slis');
    expectPropsError(() => render({ failureLimit: -1 }), 'SloAnalysisTemplate', 'failureLimit');
    expectPropsError(() => render({ prometheusAddress: 'prometheus:9090' }), 'SloAnalysisTemplate', 'prometheusAddress');
  });
});

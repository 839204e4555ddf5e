import { ApiPrometheusRule, ApiPrometheusRuleProps } from '../../../lib/monitoring/api-prometheus-rule';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: ApiPrometheusRuleProps = {
  metadata: WORKLOAD.metadata,
  groups: [
    { name: 'demo.rules', rules: [{ record: 'demo:requests:rate5m', expr: 'sum(rate(requests_total[5m]))' }] },
    { name: 'demo.alerts', rules: [{ alert: 'DemoDown', expr: 'up == 0', for: '5m', labels: { severity: 'critical' } }] },
  ],
};
const render = (p: Partial<ApiPrometheusRuleProps> = {}) => only(synthConstruct((chart) => new ApiPrometheusRule(chart, 'Rules', { ...props, ...p })), 'PrometheusRule');

describe('ApiPrometheusRule', () => {
  const rule = render();

  it('renders one PrometheusRule', () => {
    expect(rule).toMatchSnapshot();
  });

  it('writes the groups and their rules in order, expressions as strings', () => {
    expect(at(rule, 'spec', 'groups').map((g: { name: string }) => g.name)).toEqual(['demo.rules', 'demo.alerts']);
    expect(at(rule, 'spec', 'groups', 1, 'rules', 0)).toEqual({ alert: 'DemoDown', expr: 'up == 0', for: '5m', labels: { severity: 'critical' } });
  });

  it('refuses no group, a group without rules and two groups of one name (Prometheus refuses the file)', () => {
    expectPropsError(() => render({ groups: [] }), 'ApiPrometheusRule', 'groups');
    expectPropsError(() => render({ groups: [{ name: 'x', rules: [] }] }), 'ApiPrometheusRule', 'groups["x"].rules');
    expectPropsError(() => render({ groups: [props.groups[0], props.groups[0]] }), 'ApiPrometheusRule', 'groups');
  });
});

import { DisruptionBudget, DisruptionBudgetProps } from '../../lib/disruption-budget';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../support/constructs';

const props: DisruptionBudgetProps = { metadata: WORKLOAD.metadata, selector: WORKLOAD.selector };
const render = (p: Partial<DisruptionBudgetProps> = {}) => only(synthConstruct((chart) => new DisruptionBudget(chart, 'Pdb', { ...props, ...p })), 'PodDisruptionBudget');

describe('DisruptionBudget', () => {
  const pdb = render();

  it('renders one PodDisruptionBudget', () => {
    expect(pdb).toMatchSnapshot();
  });

  it('lets one pod go at a time and never protects crash-looping pods, so a drain always proceeds', () => {
    expect(at(pdb, 'spec')).toEqual({ maxUnavailable: 1, selector: { matchLabels: WORKLOAD.selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(at(render({ maxUnavailable: 2 }), 'spec', 'maxUnavailable')).toBe(2);
  });

  it('refuses 0 (it would block every drain) and an empty selector', () => {
    expectPropsError(() => render({ maxUnavailable: 0 }), 'DisruptionBudget', 'maxUnavailable');
    expectPropsError(() => render({ selector: {} }), 'DisruptionBudget', 'selector');
  });
});

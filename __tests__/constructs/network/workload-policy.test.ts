import { WorkloadPolicy, WorkloadPolicyProps } from '../../../lib/network/workload-policy';
import { DNS_EGRESS, pods, tcp } from '../../../lib/network/peers';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: WorkloadPolicyProps = { metadata: WORKLOAD.metadata, podSelector: WORKLOAD.selector, egress: [DNS_EGRESS], ingress: [{ from: [pods({ app: 'client' })], ports: tcp(8000) }] };
const render = (p: Partial<WorkloadPolicyProps> = {}) => only(synthConstruct((chart) => new WorkloadPolicy(chart, 'Policy', { ...props, ...p })), 'NetworkPolicy');

describe('WorkloadPolicy', () => {
  const policy = render();

  it('renders one NetworkPolicy', () => {
    expect(policy).toMatchSnapshot();
  });

  it('governs both directions, so what it leaves out is denied, and is in place before the hooks', () => {
    expect(at(policy, 'spec', 'policyTypes')).toEqual(['Ingress', 'Egress']);
    expect(policy.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-10' });
    const denyAll = render({ podSelector: {}, ingress: undefined, egress: undefined });
    expect(at(denyAll, 'spec')).toEqual({ podSelector: { matchLabels: {} }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
  });

  it('refuses a pod selector with a label the API server would refuse', () => {
    expectPropsError(() => render({ podSelector: { app: 'a b' } }), 'WorkloadPolicy', 'podSelector.app');
  });
});

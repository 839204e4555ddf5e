import { TokenlessServiceAccount } from '../../lib/service-account';
import { expectPropsError, only, synthConstruct, WORKLOAD } from '../support/constructs';

const render = (name = 'demo') => only(synthConstruct((chart) => new TokenlessServiceAccount(chart, 'Sa', { metadata: { ...WORKLOAD.metadata, name } })), 'ServiceAccount');

describe('TokenlessServiceAccount', () => {
  it('renders one ServiceAccount', () => {
    expect(render()).toMatchSnapshot();
  });

  it('never mounts its token', () => {
    expect(render().automountServiceAccountToken).toBe(false);
  });

  it('refuses a name the API server would refuse', () => {
    expectPropsError(() => render('Demo'), 'TokenlessServiceAccount', 'metadata.name');
  });
});

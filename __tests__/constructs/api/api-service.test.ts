import { ApiService, ApiServiceProps } from '../../../lib/api/api-service';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: ApiServiceProps = { metadata: WORKLOAD.metadata, selector: WORKLOAD.selector };
const render = (p: Partial<ApiServiceProps> = {}) => only(synthConstruct((chart) => new ApiService(chart, 'Service', { ...props, ...p })), 'Service');

describe('ApiService', () => {
  const service = render();

  it('renders one Service', () => {
    expect(service).toMatchSnapshot();
  });

  it('serves port 80 to the pods\' named http port, ClusterIP unless told', () => {
    expect(at(service, 'spec', 'type')).toBe('ClusterIP');
    expect(at(service, 'spec', 'selector')).toEqual(WORKLOAD.selector);
    expect(at(service, 'spec', 'ports')).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(at(render({ type: 'LoadBalancer' }), 'spec', 'type')).toBe('LoadBalancer');
  });

  it('refuses an empty selector and a name that is not a Service name', () => {
    expectPropsError(() => render({ selector: {} }), 'ApiService', 'selector');
    expectPropsError(() => render({ metadata: { name: '1-api' } }), 'ApiService', 'metadata.name');
  });
});

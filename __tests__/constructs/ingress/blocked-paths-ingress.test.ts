import { BlockedPathsIngress, BlockedPathsIngressProps, deniesEveryAddress } from '../../../lib/ingress/blocked-paths-ingress';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: BlockedPathsIngressProps = { metadata: { ...WORKLOAD.metadata, name: 'demo-internal' }, host: 'search.example.com', paths: ['/metrics'], service: { name: 'demo', portName: 'http' } };
const render = (p: Partial<BlockedPathsIngressProps> = {}) => only(synthConstruct((chart) => new BlockedPathsIngress(chart, 'Internal', { ...props, ...p })), 'Ingress');

describe('BlockedPathsIngress', () => {
  const ingress = render();

  it('renders one Ingress', () => {
    expect(ingress).toMatchSnapshot();
  });

  it('denies every IPv4 and IPv6 client on its paths of the host, as Prefix paths', () => {
    expect(deniesEveryAddress(ingress.metadata.annotations!)).toBe(true);
    expect(at(ingress, 'spec', 'rules')).toEqual([
      { host: 'search.example.com', http: { paths: [{ path: '/metrics', pathType: 'Prefix', backend: { service: { name: 'demo', port: { name: 'http' } } } }] } },
    ]);
  });

  it('refuses no path, the root and paths that are not below / without a trailing slash', () => {
    expectPropsError(() => render({ paths: [] }), 'BlockedPathsIngress', 'paths');
    for (const p of ['/', 'metrics', '/metrics/']) expect(() => render({ paths: [p] })).toThrow(`BlockedPathsIngress "demo-internal": paths has "${p}", not a path below /`);
  });
});

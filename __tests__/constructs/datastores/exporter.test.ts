import { Exporter, ExporterProps } from '../../../lib/datastores/exporter';
import { REDIS_EXPORTER } from '../../../lib/datastores/exporters';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: ExporterProps = {
  ...WORKLOAD,
  facts: REDIS_EXPORTER,
  image: 'oliver006/redis_exporter:v1.62.0',
  env: [{ name: 'REDIS_ADDR', value: 'redis://redis:6379' }],
};
const render = (p: Partial<ExporterProps> = {}) => synthConstruct((chart) => new Exporter(chart, 'Exporter', { ...props, ...p }));

describe('Exporter', () => {
  const manifests = render();
  const container = at(only(manifests, 'Deployment'), 'spec', 'template', 'spec', 'containers', 0);

  it('renders a Deployment, its Service and a PodDisruptionBudget', () => {
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget']);
    expect(manifests).toMatchSnapshot();
  });

  it('never queries the datastore from a probe: liveness is the port, readiness a page that answers alone', () => {
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'metrics' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'metrics' });
  });

  it('runs as the image user and serves on its port through the Service', () => {
    expect(container.securityContext).toMatchObject({ runAsUser: 59000, readOnlyRootFilesystem: true });
    expect(at(only(manifests, 'Service'), 'spec', 'ports')).toEqual([{ name: 'metrics', port: 9121, targetPort: 'metrics', protocol: 'TCP' }]);
  });

  it('refuses pods its selector would not select', () => {
    expectPropsError(() => render({ selector: { other: 'x' } }), 'Exporter', 'podLabels');
  });
});

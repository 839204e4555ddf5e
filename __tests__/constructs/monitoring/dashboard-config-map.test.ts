import { DashboardConfigMap, DashboardConfigMapProps } from '../../../lib/monitoring/dashboard-config-map';
import { expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: DashboardConfigMapProps = { metadata: { ...WORKLOAD.metadata, name: 'demo-dashboard' }, dashboard: { title: 'Demo', panels: [] }, fileName: 'demo.json', folder: 'AI-OdooFinder' };
const render = (p: Partial<DashboardConfigMapProps> = {}) => only(synthConstruct((chart) => new DashboardConfigMap(chart, 'Dashboard', { ...props, ...p })), 'ConfigMap');

describe('DashboardConfigMap', () => {
  const configMap = render();

  it('renders one ConfigMap', () => {
    expect(configMap).toMatchSnapshot();
  });

  it('carries the Grafana sidecar\'s label and folder annotation, and the dashboard as indented JSON', () => {
    expect(configMap.metadata.labels).toMatchObject({ ...WORKLOAD.metadata.labels, grafana_dashboard: '1' });
    expect(configMap.metadata.annotations).toEqual({ grafana_folder: 'AI-OdooFinder' });
    expect(configMap.data).toEqual({ 'demo.json': `${JSON.stringify(props.dashboard, null, 2)}\n` });
  });

  it('refuses a file name Grafana would not load', () => {
    expectPropsError(() => render({ fileName: 'demo.yaml' }), 'DashboardConfigMap', 'fileName');
  });
});

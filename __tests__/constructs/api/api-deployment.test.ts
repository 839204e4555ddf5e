import { ApiDeployment, ApiDeploymentProps } from '../../../lib/api/api-deployment';
import { at, expectPropsError, only, RESOURCES, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: ApiDeploymentProps = {
  ...WORKLOAD,
  image: 'ghcr.io/ai-odoofinder/api:1.0.0',
  configMapName: 'demo-config',
  configChecksum: 'abc123',
  secretEnv: { DATABASE_URL: { name: 'db-credentials', key: 'url' } },
  resources: RESOURCES,
};
const render = (p: Partial<ApiDeploymentProps> = {}) => only(synthConstruct((chart) => new ApiDeployment(chart, 'Deployment', { ...props, ...p })), 'Deployment');

describe('ApiDeployment', () => {
  const deployment = render();
  const container = at(deployment, 'spec', 'template', 'spec', 'containers', 0);

  it('renders one Deployment', () => {
    expect(deployment).toMatchSnapshot();
  });

  it('leaves spec.replicas to the HPA and never takes a pod down before its replacement is ready', () => {
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(at(deployment, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable')).toBe(0);
  });

  it('rolls the pods when the ConfigMap changes and reads secrets by reference only', () => {
    expect(at(deployment, 'spec', 'template', 'metadata', 'annotations')).toEqual({ 'checksum/config': 'abc123' });
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'demo-config' } }]);
    expect(container.env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'url' } } }]);
  });

  it('drains before SIGTERM: the grace period covers the preStop sleep and the shutdown', () => {
    const custom = render({ drainSeconds: 7, shutdownSeconds: 20 });
    expect(at(custom, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds')).toBe(27);
    expect(at(custom, 'spec', 'template', 'spec', 'containers', 0, 'lifecycle', 'preStop', 'exec', 'command')).toEqual(['sleep', '7']);
  });

  it('spreads the pods it selects, one revision at a time', () => {
    expect.hasAssertions();
    for (const spread of at(deployment, 'spec', 'template', 'spec', 'topologySpreadConstraints')) {
      expect(spread.labelSelector).toEqual({ matchLabels: WORKLOAD.selector });
      expect(spread.matchLabelKeys).toEqual(['pod-template-hash', 'rollouts-pod-template-hash']);
    }
  });

  it('refuses pods its selector would not select, a negative drain and an empty image', () => {
    expectPropsError(() => render({ podLabels: { other: 'x' } }), 'ApiDeployment', 'podLabels');
    expectPropsError(() => render({ drainSeconds: -1 }), 'ApiDeployment', 'drainSeconds');
    expectPropsError(() => render({ image: '' }), 'ApiDeployment', 'image');
  });
});

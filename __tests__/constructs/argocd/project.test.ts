import { EnvironmentsProject, EnvironmentsProjectProps } from '../../../lib/argocd/project';
import { at, expectPropsError, only, synthConstruct } from '../../support/constructs';

const props: EnvironmentsProjectProps = {
  metadata: { name: 'ai-odoo-finder' },
  description: 'demo',
  sourceRepos: ['https://git.example.com/deploy.git'],
  namespaces: ['odoo-finder-demo'],
  clusterKinds: [{ group: '', kind: 'Namespace' }],
  namespacedKinds: [{ group: 'apps', kind: 'Deployment' }],
};
const render = (p: Partial<EnvironmentsProjectProps> = {}) => only(synthConstruct((chart) => new EnvironmentsProject(chart, 'Project', { ...props, ...p })), 'AppProject');

describe('EnvironmentsProject', () => {
  const project = render();

  it('renders one AppProject', () => {
    expect(project).toMatchSnapshot();
  });

  it('allows exactly these repositories, namespaces on the in-cluster server and kinds', () => {
    expect(at(project, 'spec', 'sourceRepos')).toEqual(props.sourceRepos);
    expect(at(project, 'spec', 'destinations')).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'odoo-finder-demo' }]);
    expect(at(project, 'spec', 'clusterResourceWhitelist')).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(at(project, 'spec', 'namespaceResourceWhitelist')).toEqual([{ group: 'apps', kind: 'Deployment' }]);
  });

  it('refuses no repository and a namespace that is not a name', () => {
    expectPropsError(() => render({ sourceRepos: [] }), 'EnvironmentsProject', 'sourceRepos');
    expectPropsError(() => render({ namespaces: ['Odoo'] }), 'EnvironmentsProject', 'namespaces');
  });
});

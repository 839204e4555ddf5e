import { EnvironmentApplication, EnvironmentApplicationProps } from '../../../lib/argocd/application';
import { at, expectPropsError, only, synthConstruct } from '../../support/constructs';

const props: EnvironmentApplicationProps = {
  metadata: { name: 'ai-odoo-finder-demo' },
  project: 'ai-odoo-finder',
  repoURL: 'https://git.example.com/deploy.git',
  targetRevision: 'main',
  path: 'dist/demo',
  namespace: 'odoo-finder-demo',
  autoSync: true,
  retry: { limit: 2, backoffDuration: '10s', backoffFactor: 2, backoffMaxDuration: '3m' },
};
const render = (p: Partial<EnvironmentApplicationProps> = {}) => only(synthConstruct((chart) => new EnvironmentApplication(chart, 'App', { ...props, ...p })), 'Application');

describe('EnvironmentApplication', () => {
  const app = render();

  it('renders one Application', () => {
    expect(app).toMatchSnapshot();
  });

  it('deploys one folder without creating the Namespace, pruning last, with explicit retries', () => {
    expect(at(app, 'spec', 'source')).toMatchObject({ path: 'dist/demo' });
    // No directory block without include/exclude: Argo CD would strip it from the live Application (rule argocd-normalized-source).
    expect(at(app, 'spec', 'source')).not.toHaveProperty('directory');
    expect(at(app, 'spec', 'syncPolicy', 'syncOptions')).toEqual(['CreateNamespace=false', 'PruneLast=true', 'RespectIgnoreDifferences=true']);
    expect(at(app, 'spec', 'syncPolicy', 'retry')).toEqual({ limit: 2, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } });
    expect(app.metadata).not.toHaveProperty('finalizers');
  });

  it('syncs by hand without autoSync, and writes a retry limit of 0 as it is', () => {
    const manual = render({ autoSync: false, retry: { ...props.retry, limit: 0 } });
    expect(at(manual, 'spec', 'syncPolicy')).not.toHaveProperty('automated');
    expect(at(manual, 'spec', 'syncPolicy', 'retry')).toEqual({ limit: 0 });
  });

  it('writes included or excluded files as one glob', () => {
    expect(at(render({ excludeFiles: ['b.yaml', 'a.yaml'] }), 'spec', 'source', 'directory', 'exclude')).toBe('{a.yaml,b.yaml}');
    expect(at(render({ includeFiles: ['a.yaml'] }), 'spec', 'source', 'directory', 'include')).toBe('a.yaml');
  });

  it('refuses a file name that is not plain, both include and exclude, and a path outside the repository', () => {
    expectPropsError(() => render({ includeFiles: ['*.yaml'] }), 'EnvironmentApplication', 'includeFiles');
    expectPropsError(() => render({ includeFiles: ['a.yaml'], excludeFiles: ['b.yaml'] }), 'EnvironmentApplication', 'includeFiles');
    expectPropsError(() => render({ path: '../elsewhere' }), 'EnvironmentApplication', 'path');
  });
});

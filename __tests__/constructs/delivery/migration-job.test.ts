import { MigrationJob, MigrationJobProps } from '../../../lib/delivery/migration-job';
import { at, expectPropsError, only, POD, RESOURCES, synthConstruct } from '../../support/constructs';

const props: MigrationJobProps = {
  ...POD,
  image: 'ghcr.io/ai-odoofinder/api:1.0.0',
  databaseUrl: { name: 'db-credentials', key: 'url' },
  resources: RESOURCES,
};
const render = (p: Partial<MigrationJobProps> = {}) => only(synthConstruct((chart) => new MigrationJob(chart, 'Migration', { ...props, ...p })), 'Job');

describe('MigrationJob', () => {
  const job = render();
  const container = at(job, 'spec', 'template', 'spec', 'containers', 0);

  it('renders one Job', () => {
    expect(job).toMatchSnapshot();
  });

  it('is a Sync hook in the wave before the API, replaced on the next sync, never retried', () => {
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '-1',
    });
    expect(at(job, 'spec')).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 900 });
  });

  it('upgrades to head unless given a revision, with DATABASE_URL from its Secret', () => {
    expect(container.command).toEqual(['alembic', 'upgrade', 'head']);
    expect(at(render({ targetRevision: 'abc123' }), 'spec', 'template', 'spec', 'containers', 0, 'command').slice(-2)).toEqual(['migrate', 'abc123']);
    expect(container.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'url' } } });
  });

  it('refuses a relative revision and no deadline', () => {
    expect(() => render({ targetRevision: '-1' })).toThrow('not an alembic revision: "-1"');
    expectPropsError(() => render({ activeDeadlineSeconds: 0 }), 'MigrationJob', 'activeDeadlineSeconds');
  });
});

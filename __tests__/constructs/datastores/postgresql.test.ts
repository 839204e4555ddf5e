import { Postgresql, PostgresqlProps } from '../../../lib/datastores/postgresql';
import { at, expectPropsError, only, RESOURCES, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: PostgresqlProps = {
  ...WORKLOAD,
  metadata: { ...WORKLOAD.metadata, name: 'postgresql' },
  claimLabels: { 'app.kubernetes.io/name': 'demo' },
  image: 'pgvector/pgvector:0.8.0-pg16',
  database: 'odoofinder',
  user: 'odoofinder',
  password: { name: 'postgresql', key: 'password' },
  storage: '10Gi',
  resources: RESOURCES,
};
const render = (p: Partial<PostgresqlProps> = {}) => synthConstruct((chart) => new Postgresql(chart, 'Postgresql', { ...props, ...p }));

describe('Postgresql', () => {
  const manifests = render();
  const pod = at(only(manifests, 'StatefulSet'), 'spec', 'template', 'spec');

  it('renders the init scripts, the StatefulSet and its Service', () => {
    expect(manifests.map((m) => m.kind)).toEqual(['ConfigMap', 'Service', 'StatefulSet']);
    expect(manifests).toMatchSnapshot();
  });

  it('creates the vector extension on first start and keeps PGDATA below the volume root', () => {
    expect(only(manifests, 'ConfigMap').data).toEqual({ '10-pgvector.sql': 'CREATE EXTENSION IF NOT EXISTS vector;\n' });
    expect(pod.containers[0].env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(pod.containers[0].env).toContainEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgresql', key: 'password' } } });
  });

  it('mounts the backup claim read-only only when given one', () => {
    expect(pod.volumes.map((v: { name: string }) => v.name)).not.toContain('backups');
    const withBackup = at(only(render({ backupClaimName: 'postgresql-backup' }), 'StatefulSet'), 'spec', 'template', 'spec');
    expect(withBackup.containers[0].volumeMounts).toContainEqual({ name: 'backups', mountPath: '/backups', readOnly: true });
    expect(withBackup.volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'postgresql-backup' } });
  });

  it('refuses a database or user the image would not create as given', () => {
    expectPropsError(() => render({ database: 'odoo-finder' }), 'Postgresql', 'database');
    expectPropsError(() => render({ user: '' }), 'Postgresql', 'user');
    expectPropsError(() => render({ storage: '0' }), 'Postgresql', 'storage');
  });
});

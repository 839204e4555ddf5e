import { BackupCronJob, BackupCronJobProps } from '../../../lib/datastores/backup-cronjob';
import { at, expectPropsError, only, POD, synthConstruct } from '../../support/constructs';

const props: BackupCronJobProps = {
  ...POD,
  image: 'pgvector/pgvector:0.8.0-pg16',
  host: 'postgresql',
  database: 'odoofinder',
  user: 'odoofinder',
  password: { name: 'postgresql', key: 'password' },
  schedule: '0 3 * * *',
  keep: 7,
  claimName: 'postgresql-backup',
  sameNodeAs: { 'app.kubernetes.io/name': 'postgresql' },
};
const render = (p: Partial<BackupCronJobProps> = {}) => only(synthConstruct((chart) => new BackupCronJob(chart, 'Backup', { ...props, ...p })), 'CronJob');

describe('BackupCronJob', () => {
  const cronJob = render();
  const pod = at(cronJob, 'spec', 'jobTemplate', 'spec', 'template', 'spec');

  it('renders one CronJob', () => {
    expect(cronJob).toMatchSnapshot();
  });

  it('never overlaps a slow dump, in UTC', () => {
    expect(at(cronJob, 'spec')).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
  });

  it('gives its Jobs the pods\' labels: the CronJob controller copies only jobTemplate.metadata.labels to a Job', () => {
    expect(at(cronJob, 'spec', 'jobTemplate', 'metadata', 'labels')).toEqual(POD.podLabels);
    expect(at(cronJob, 'spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels')).toEqual(POD.podLabels);
  });

  it('dumps to the claim on the node of the pods that mount it, keeping `keep` dumps', () => {
    expect(pod.volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'postgresql-backup' } });
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: props.sameNodeAs }, topologyKey: 'kubernetes.io/hostname' },
    ]);
    expect(pod.containers[0].command.slice(3)).toEqual(['backup', '7']);
    expect(pod.restartPolicy).toBe('Never');
  });

  it('refuses a schedule the API server would refuse, no retention and no node to follow', () => {
    expect(() => render({ schedule: '0 3 * *' })).toThrow('BackupCronJob "demo": schedule "0 3 * *" has 4 fields');
    expectPropsError(() => render({ keep: 0 }), 'BackupCronJob', 'keep');
    expectPropsError(() => render({ sameNodeAs: {} }), 'BackupCronJob', 'sameNodeAs');
    expectPropsError(() => render({ metadata: { name: 'b'.repeat(53) } }), 'BackupCronJob', 'metadata.name');
  });
});

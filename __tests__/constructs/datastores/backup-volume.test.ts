import { BackupVolume, BackupVolumeProps } from '../../../lib/datastores/backup-volume';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: BackupVolumeProps = { metadata: WORKLOAD.metadata, storage: '20Gi' };
const render = (p: Partial<BackupVolumeProps> = {}) => only(synthConstruct((chart) => new BackupVolume(chart, 'Volume', { ...props, ...p })), 'PersistentVolumeClaim');

describe('BackupVolume', () => {
  const claim = render();

  it('renders one PersistentVolumeClaim', () => {
    expect(claim).toMatchSnapshot();
  });

  it('is synced with the datastores that mount it and is never pruned or deleted by Argo CD', () => {
    expect(claim.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-5', 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
  });

  it('takes the cluster default StorageClass unless told', () => {
    expect(at(claim, 'spec')).not.toHaveProperty('storageClassName');
    expect(at(render({ storageClassName: 'slow' }), 'spec', 'storageClassName')).toBe('slow');
  });

  it('refuses a size that is not a quantity', () => {
    expectPropsError(() => render({ storage: '20 GB' }), 'BackupVolume', 'storage');
  });
});

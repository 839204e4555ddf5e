import { SingleInstanceStatefulSet, SingleInstanceStatefulSetProps } from '../../../lib/datastores/stateful-set';
import { at, expectPropsError, only, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: SingleInstanceStatefulSetProps = {
  ...WORKLOAD,
  claimLabels: { 'app.kubernetes.io/name': 'demo' },
  uid: 999,
  container: { name: 'db', image: 'db:1.0.0' },
  port: { name: 'db', port: 5432 },
  data: { name: 'data', mountPath: '/data', storage: '1Gi' },
  scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '16Mi' }],
};
const render = (p: Partial<SingleInstanceStatefulSetProps> = {}) => synthConstruct((chart) => new SingleInstanceStatefulSet(chart, 'Db', { ...props, ...p }));

describe('SingleInstanceStatefulSet', () => {
  const manifests = render();
  const statefulSet = only(manifests, 'StatefulSet');
  const service = only(manifests, 'Service');

  it('renders a StatefulSet and its headless Service', () => {
    expect(manifests).toMatchSnapshot();
  });

  it('runs one pod behind a headless Service of the same name, before the migration wave', () => {
    expect(at(statefulSet, 'spec', 'replicas')).toBe(1);
    expect(at(statefulSet, 'spec', 'serviceName')).toBe('demo');
    expect(at(service, 'spec', 'clusterIP')).toBe('None');
    expect(statefulSet.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('-5');
    expect(service.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('-10');
  });

  it('keeps its data: never pruned or deleted by Argo CD, claims retained, claims without the tracking label', () => {
    expect(statefulSet.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    expect(at(statefulSet, 'spec', 'persistentVolumeClaimRetentionPolicy')).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(at(statefulSet, 'spec', 'volumeClaimTemplates', 0, 'metadata', 'labels')).toEqual({ 'app.kubernetes.io/name': 'demo' });
  });

  it('mounts the claim and the scratch directories on a read-only root', () => {
    const container = at(statefulSet, 'spec', 'template', 'spec', 'containers', 0);
    expect(container.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }]);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsUser: 999 });
  });

  it('refuses claim labels with the Argo CD tracking label, root, bad storage and a volume name used twice', () => {
    expect(() => render({ claimLabels: { 'app.kubernetes.io/instance': 'x' } })).toThrow(
      'SingleInstanceStatefulSet "demo": claimLabels must not hold app.kubernetes.io/instance: Argo CD would prune the PVCs made from the volumeClaimTemplate',
    );
    expectPropsError(() => render({ uid: 0 }), 'SingleInstanceStatefulSet', 'uid');
    expectPropsError(() => render({ data: { ...props.data, storage: 'lots' } }), 'SingleInstanceStatefulSet', 'data.storage');
    expectPropsError(() => render({ scratch: [{ name: 'data', mountPath: '/x', sizeLimit: '1Mi' }] }), 'SingleInstanceStatefulSet', 'volumes');
  });
});

import { StoreSecret, StoreSecretProps } from '../../../lib/secrets/external-secret';
import { at, expectPropsError, only, synthConstruct } from '../../support/constructs';

const props: StoreSecretProps = { metadata: { name: 'db-credentials' }, store: 'vault', remoteKey: 'ai-odoo-finder/demo/db-credentials', keys: ['url'] };
const render = (p: Partial<StoreSecretProps> = {}) => only(synthConstruct((chart) => new StoreSecret(chart, 'Secret', { ...props, ...p })), 'ExternalSecret');

describe('StoreSecret', () => {
  const secret = render();

  it('renders one ExternalSecret', () => {
    expect(secret).toMatchSnapshot();
  });

  it('creates and owns the Secret of its own name, keeps it when the store fails, one property per key', () => {
    expect(at(secret, 'spec', 'target')).toEqual({ name: 'db-credentials', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    expect(at(secret, 'spec', 'data')).toEqual([{ secretKey: 'url', remoteRef: { key: props.remoteKey, property: 'url' } }]);
    expect(at(secret, 'spec', 'secretStoreRef')).toEqual({ kind: 'ClusterSecretStore', name: 'vault' });
    expect(secret.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-10' });
  });

  it('refuses no key and a key a Secret cannot hold', () => {
    expectPropsError(() => render({ keys: [] }), 'StoreSecret', 'keys');
    expectPropsError(() => render({ keys: ['a/b'] }), 'StoreSecret', 'keys');
  });
});

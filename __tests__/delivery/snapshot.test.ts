import { renderEnvironments } from '../../lib/synth/synthesize';
import { App } from 'cdk8s';
import { ArgoCdChart } from '../../charts/argocd-chart';
import { DatastoresChart } from '../../charts/datastores-chart';
import { HooksChart } from '../../charts/hooks-chart';
import { IngressChart } from '../../charts/ingress-chart';
import { NetworkChart } from '../../charts/network-chart';
import { SecretsChart } from '../../charts/secrets-chart';
import { renderManifests, toFiles } from '../../lib/synth/render';
import { secretKeyReferences } from '../../lib/secrets/secret-references';
import { committedEnvironment, manifestsOf } from '../support/env';
import { COMMITTED } from '../support/delivery';

// For review only: every invariant has a targeted assertion in the other tests of this folder.
describe.each(COMMITTED.map((n) => [n]))('delivery objects of %s (snapshot)', (name) => {
  test('render as reviewed', () => {
    const env = committedEnvironment(name);
    const files = toFiles(
      renderManifests((app: App) => {
        new NetworkChart(app, 'network', env);
        new SecretsChart(app, 'secrets', env, secretKeyReferences(manifestsOf(env)));
        new DatastoresChart(app, 'datastores', env);
        new HooksChart(app, 'hooks', env);
        new IngressChart(app, 'ingress', env);
      }),
    );
    expect(Object.fromEntries(files)).toMatchSnapshot();
  });
});

test('dist/argocd/ renders as reviewed (snapshot)', () => {
  const files = toFiles(renderManifests((app: App) => new ArgoCdChart(app, 'argocd', renderEnvironments(COMMITTED.map(committedEnvironment)))));
  expect(Object.fromEntries(files)).toMatchSnapshot();
});

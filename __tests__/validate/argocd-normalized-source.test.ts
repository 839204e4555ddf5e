import { Obj } from './fixtures';
import { stagingArgoCdFindings } from './staging-argocd';

// Rule argocd-normalized-source on the committed dist/argocd/: Argo CD's controller rewrites an Application's
// source without its zero-valued blocks (util/argo/argo.go NormalizeSource), and the app-of-apps that syncs it
// from Git would find it changed forever.

const PRODUCTION = 'argocd/application-ai-odoo-finder-production.yaml';
const CRON = 'argocd/application-ai-odoo-finder-staging-cron.yaml';

const findings = (change?: (files: Map<string, Obj>) => void) => stagingArgoCdFindings(['argocd-normalized-source'], change);

describe('argocd-normalized-source: no source block Argo CD normalizes away', () => {
  it('the committed dist/argocd/ is clean: a directory block only with include or exclude', () => {
    expect(findings()).toEqual([]);
  });

  it('fails on the old output: production\'s directory {recurse: false}', () => {
    expect(findings((files) => (files.get(PRODUCTION)!.spec.source.directory = { recurse: false }))).toEqual([
      expect.stringMatching(/^dist\/argocd\/application-ai-odoo-finder-production\.yaml:\d+: Application\/argocd\/ai-odoo-finder-production: spec\.source\.directory: error: \{"recurse":false\} says nothing Argo CD keeps: .*NormalizeSource.*OutOfSync forever/),
    ]);
  });

  it('a block Argo CD keeps passes (include, exclude, recurse: true); an empty helm or kustomize block fails', () => {
    expect(findings((files) => (files.get(CRON)!.spec.source.directory = { include: 'x.yaml', recurse: false }))).toEqual([]);
    expect(findings((files) => (files.get(PRODUCTION)!.spec.source.directory = { recurse: true }))).toEqual([]);
    expect(findings((files) => (files.get(PRODUCTION)!.spec.source.helm = {}))).toEqual([expect.stringContaining('spec.source.helm: error: an empty helm block')]);
  });
});

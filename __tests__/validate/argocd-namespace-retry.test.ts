import * as path from 'path';
import { ROOT } from '../support/env';
import { committedObjects } from '../support/files';
import { Obj } from './fixtures';
import { stagingArgoCdFindings } from './staging-argocd';

// Rule argocd-namespace-retry on the committed dist/argocd/ and dist/staging/: the backup CronJob's Application
// syncs into the namespace the environment's Application creates.

const CRON = 'argocd/application-ai-odoo-finder-staging-cron.yaml';
const MAIN = 'argocd/application-ai-odoo-finder-staging.yaml';

const findings = (change?: (files: Map<string, Obj>) => void) => stagingArgoCdFindings(['argocd-namespace-retry'], change);

describe('argocd-namespace-retry: an Application that syncs into a namespace another one creates retries its first sync', () => {
  it('the committed dist/ is clean: the CronJob\'s Application retries, the environment\'s creates its Namespace (and must not retry: it has the migration hook)', () => {
    expect(findings()).toEqual([]);
  });

  it('fails on the old output: the CronJob\'s Application without a retry', () => {
    expect(findings((files) => (files.get(CRON)!.spec.syncPolicy.retry = { limit: 0 }))).toEqual([
      expect.stringMatching(/^dist\/argocd\/application-ai-odoo-finder-staging-cron\.yaml:\d+: Application\/argocd\/ai-odoo-finder-staging-cron: spec\.syncPolicy\.retry\.limit: error: syncs into namespace "odoo-finder-staging" without creating it .*Give it a retry/),
    ]);
  });

  it('an Application that creates the namespace itself (CreateNamespace=true, or the Namespace among its objects), or syncs by hand, needs none', () => {
    const noRetry = (files: Map<string, Obj>) => (files.get(CRON)!.spec.syncPolicy.retry = { limit: 0 });
    expect(findings((files) => {
      noRetry(files);
      files.get(CRON)!.spec.syncPolicy.syncOptions = ['CreateNamespace=true'];
    })).toEqual([]);
    expect(findings((files) => {
      noRetry(files);
      delete files.get(CRON)!.spec.syncPolicy.automated;
    })).toEqual([]);
    expect(files(MAIN).spec.syncPolicy.retry).toEqual({ limit: 0 });
  });
});

function files(file: string): Obj {
  return committedObjects(ROOT, path.dirname(file)).get(path.basename(file))!;
}

import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ROOT } from '../support/env';
import { Obj } from './fixtures';
import { stagingArgoCdFindings } from './staging-argocd';

const RULES = ['argocd-cronjob-health', 'argocd-ownership'];
const MAIN = 'argocd/application-ai-odoo-finder-staging.yaml';
const CRON = 'argocd/application-ai-odoo-finder-staging-cron.yaml';

/** The committed dist/argocd/ and dist/staging/ (and config/), changed, validated; the findings of the rules under test. */
const findings = (change?: (files: Map<string, Obj>) => void) => stagingArgoCdFindings(RULES, change);

describe('Argo CD: the backup CronJob cannot fail the environment\'s syncs', () => {
  it('the committed dist/ deploys the CronJob with an Application of its own, of one step, and every object with exactly one Application', () => {
    expect(findings()).toEqual([]);
    const main = parse(fs.readFileSync(path.join(ROOT, 'dist', MAIN), 'utf8'));
    const cron = parse(fs.readFileSync(path.join(ROOT, 'dist', CRON), 'utf8'));
    expect(main.spec.source.directory).toEqual({ exclude: 'cronjob-postgresql-backup.yaml' });
    expect(cron.spec.source).toMatchObject({ path: 'dist/staging', directory: { include: 'cronjob-postgresql-backup.yaml' } });
    // No PruneLast: it would add a step, and the CronJob would be waited for again.
    expect(cron.spec.syncPolicy.syncOptions).not.toContain('PruneLast=true');
    expect(cron.spec.syncPolicy.automated).toEqual(main.spec.syncPolicy.automated);
  });

  it('fails on the old output: the CronJob in the Application of waves and hooks', () => {
    const old = findings((files) => {
      files.delete(CRON);
      delete files.get(MAIN)!.spec.source.directory.exclude;
    });
    expect(old).toHaveLength(1);
    expect(old[0]).toMatch(
      /^dist\/staging\/cronjob-postgresql-backup\.yaml:\d+: CronJob\/odoo-finder-staging\/postgresql-backup: kind: error: Application "ai-odoo-finder-staging" syncs it in a sync of \d+ steps \(wave -20, wave -10, wave -5, wave -1, wave 0, PostSync wave 0, pruning last\): Argo CD 3\.2 and later report a CronJob whose last run failed as Degraded .* \(argocd-cronjob-health\)$/,
    );
  });

  it('an object of two Applications, or of none, is an error', () => {
    const both = findings((files) => delete files.get(MAIN)!.spec.source.directory.exclude);
    expect(both).toEqual([
      expect.stringMatching(/cronjob-postgresql-backup\.yaml.*argocd-cronjob-health/),
      expect.stringMatching(/cronjob-postgresql-backup\.yaml.*Applications "ai-odoo-finder-staging" and "ai-odoo-finder-staging-cron" both deploy it.*\(argocd-ownership\)$/),
    ]);
    const none = findings((files) => files.delete(CRON));
    expect(none).toEqual([expect.stringMatching(/cronjob-postgresql-backup\.yaml.*no Application deploys it: "ai-odoo-finder-staging" exclude/)]);
  });

  it('the CronJob Application with PruneLast, or with a second object, has more than one step', () => {
    const pruneLast = findings((files) => files.get(CRON)!.spec.syncPolicy.syncOptions.push('PruneLast=true'));
    expect(pruneLast).toEqual([]); // one object: nothing else could be pruned after it
    const withHook = findings((files) => {
      files.get(CRON)!.spec.source.directory.include = '{cronjob-postgresql-backup.yaml,job-ai-odoo-finder-smoke-test.yaml}';
      files.get(MAIN)!.spec.source.directory.exclude = '{cronjob-postgresql-backup.yaml,job-ai-odoo-finder-smoke-test.yaml}';
    });
    expect(withHook).toEqual([expect.stringMatching(/syncs it in a sync of 2 steps \(wave 0, PostSync wave 0\)/)]);
  });

  it('reads include and exclude as Argo CD\'s globs: *, ?, [..] and {a,b}', () => {
    expect(findings((files) => (files.get(MAIN)!.spec.source.directory.exclude = 'cronjob-*.yaml'))).toEqual([]);
    expect(findings((files) => (files.get(MAIN)!.spec.source.directory.exclude = '{cronjob-postgresql-backup.yaml,nothing.yaml}'))).toEqual([]);
    expect(findings((files) => (files.get(MAIN)!.spec.source.directory.exclude = 'cronjob-postgresql-backup.yam?'))).toEqual([]);
    expect(findings((files) => (files.get(MAIN)!.spec.source.directory.exclude = '[c]ronjob-postgresql-backup.yaml'))).toEqual([]);
    // A pattern that matches nothing leaves the CronJob to both Applications.
    expect(findings((files) => (files.get(MAIN)!.spec.source.directory.exclude = 'cronjob.yaml'))).toHaveLength(2);
  });
});

import { committedEnvironment, manifestsOf } from '../support/env';
import { findingsOf, Obj, summarize } from './fixtures';

// Rule pdb-scale on production as rendered, then with the migration hook's pods labelled like the API's.

const rendered = JSON.stringify(manifestsOf(committedEnvironment('production')));

function pdbScale(change: (get: (kind: string, name: string) => Obj) => void): string[] {
  const objects = JSON.parse(rendered) as Obj[];
  change((kind, name) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in production`);
    return found;
  });
  return summarize(findingsOf(objects, { folder: 'production' })).filter((l) => l.startsWith('pdb-scale '));
}
const labelMigrationLikeTheApi = (get: (kind: string, name: string) => Obj) => {
  get('Job', 'ai-odoo-finder-migrate').spec.template.metadata.labels['app.kubernetes.io/component'] = 'api';
};

describe('pdb-scale: a budget that counts expected pods selects only pods of controllers with replicas', () => {
  it('as rendered: each budget selects its workload only', () => {
    expect(pdbScale(() => undefined)).toEqual([]);
  });

  it('the API budget (maxUnavailable) selecting the migration hook\'s pods: a Job has no /scale', () => {
    expect(pdbScale(labelMigrationLikeTheApi)).toEqual([
      expect.stringMatching(/^pdb-scale PodDisruptionBudget\/odoo-finder\/ai-odoo-finder spec\.selector: error: selects the pods of Job "ai-odoo-finder-migrate", whose controller has no \/scale: with maxUnavailable .*SyncFailed/),
    ]);
  });

  it('a percentage minAvailable counts expected pods too; an integer one does not', () => {
    const withBudget = (budget: Obj) => (get: (kind: string, name: string) => Obj) => {
      labelMigrationLikeTheApi(get);
      const spec = get('PodDisruptionBudget', 'ai-odoo-finder').spec;
      delete spec.maxUnavailable;
      Object.assign(spec, budget);
    };
    expect(pdbScale(withBudget({ minAvailable: '50%' }))).toEqual([expect.stringContaining('with a percentage minAvailable')]);
    expect(pdbScale(withBudget({ minAvailable: 1 }))).toEqual([]);
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { validateDist } from '../../lib/validate/validate';
import { schemaStore } from './fixtures';
import { TempProject } from './temp-project';

/**
 * `npm run validate` on the dist/ files that held the defects of issue 8
 * (copied unchanged into fixtures/before-issue-8/): each defect is an error,
 * named by its rule. (The copy holds only the files these defects are in, so
 * cross-reference rules report the objects left out; they are not asserted.)
 */
const FIXTURE = path.join(__dirname, 'fixtures', 'before-issue-8');

describe('validate on the dist/ of before issue 8', () => {
  let p: TempProject;
  let errors: string[];

  beforeAll(() => {
    p = new TempProject();
    p.write('config/environments/staging.yaml', 'tier: staging\n');
    for (const folder of fs.readdirSync(FIXTURE)) {
      for (const file of fs.readdirSync(path.join(FIXTURE, folder))) p.write(`dist/${folder}/${file}`, fs.readFileSync(path.join(FIXTURE, folder, file), 'utf8'));
    }
    errors = validateDist(p.root, undefined, schemaStore())
      .findings.filter((f) => f.severity === 'error')
      .map((f) => `${f.rule} ${f.file}:${f.line} ${f.object}`);
  });
  afterAll(() => p.dispose());

  it('1: redis args yes/no, which Kubernetes reads as booleans (yaml-typing)', () => {
    expect(errors.filter((e) => e.startsWith('yaml-typing '))).toEqual([
      'yaml-typing dist/staging/statefulset-redis.yaml:46 StatefulSet/odoo-finder-staging/redis',
      'yaml-typing dist/staging/statefulset-redis.yaml:48 StatefulSet/odoo-finder-staging/redis',
    ]);
  });

  it('2: the backup claim only the CronJob mounts, which holds the first sync (argocd-health)', () => {
    expect(errors.filter((e) => e.startsWith('argocd-health '))).toEqual(['argocd-health dist/staging/persistentvolumeclaim-postgresql-backup.yaml:14 PersistentVolumeClaim/odoo-finder-staging/postgresql-backup']);
  });

  it('3: volumeClaimTemplates with the tracking label, StatefulSets Argo CD may prune (argocd-claim-tracking, argocd-keep-data)', () => {
    expect(errors.filter((e) => e.startsWith('argocd-claim-tracking '))).toEqual([
      'argocd-claim-tracking dist/staging/statefulset-postgresql.yaml:147 StatefulSet/odoo-finder-staging/postgresql',
      'argocd-claim-tracking dist/staging/statefulset-redis.yaml:123 StatefulSet/odoo-finder-staging/redis',
    ]);
  });

  it('4: the Namespace, the StatefulSets and the backup claim without Delete=false (argocd-keep-data)', () => {
    expect(errors.filter((e) => e.startsWith('argocd-keep-data '))).toEqual([
      'argocd-keep-data dist/staging/namespace-odoo-finder-staging.yaml:4 Namespace/odoo-finder-staging',
      'argocd-keep-data dist/staging/persistentvolumeclaim-postgresql-backup.yaml:4 PersistentVolumeClaim/odoo-finder-staging/postgresql-backup',
      'argocd-keep-data dist/staging/statefulset-postgresql.yaml:4 StatefulSet/odoo-finder-staging/postgresql',
      'argocd-keep-data dist/staging/statefulset-redis.yaml:4 StatefulSet/odoo-finder-staging/redis',
    ]);
  });

  it('8: retries that re-run the migration hook (argocd-retry-hooks)', () => {
    expect(errors.filter((e) => e.startsWith('argocd-retry-hooks '))).toEqual(['argocd-retry-hooks dist/argocd/application-ai-odoo-finder-staging.yaml:44 Application/argocd/ai-odoo-finder-staging']);
  });
});

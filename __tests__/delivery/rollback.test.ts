import * as fs from 'fs';
import * as path from 'path';
import { HOOKS } from '../../lib/delivery/constants';
import { migrationCommand } from '../../lib/delivery/migration-command';
import { toYaml } from '../../lib/yaml/writer';
import { committedEnvironment, environmentFrom, find, manifestsOf, ROOT } from '../support/env';
import { parse } from 'yaml';

const commandOf = (manifests: ReturnType<typeof manifestsOf>) =>
  (find(manifests, 'Job', HOOKS.migration.name).spec as { template: { spec: { containers: { command: string[] }[] } } }).template.spec.containers[0].command;

/** The committed production file with a schema rollback pinned, as the runbook tells an operator to write it. */
function productionPinnedTo(revision: string) {
  const file = path.join(ROOT, 'config', 'environments', 'production.yaml');
  const settings = parse(fs.readFileSync(file, 'utf8'));
  return environmentFrom({ ...settings, migrations: { ...settings.migrations, targetRevision: revision } }, 'production');
}

describe('rollback through the environment config', () => {
  test('by default the hook upgrades to head', () => {
    expect(commandOf(manifestsOf(committedEnvironment('production')))).toEqual(['alembic', 'upgrade', 'head']);
  });

  test('pinning migrations.targetRevision makes the hook go to exactly that revision, from either side', () => {
    const command = commandOf(manifestsOf(productionPinnedTo('3f2a1b9c8d7e')));
    expect(command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(command.slice(3)).toEqual(['migrate', '3f2a1b9c8d7e']);
    const script = command[2];
    expect(script).toContain('alembic downgrade "$target"');
    expect(script).toContain('exec alembic upgrade "$target"');
    expect(script).toContain('not a valid downgrade target');
    // Never a relative step: it would step again on every sync.
    expect(script).not.toMatch(/downgrade\s+-1|[-+]\d/);
  });

  test('pinning the revision changes only the migration Job: the rest of production is byte-identical', () => {
    const before = manifestsOf(committedEnvironment('production'));
    const after = manifestsOf(productionPinnedTo('3f2a1b9c8d7e'));
    const changed = after.filter((m, i) => toYaml(m) !== toYaml(before[i])).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(after.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(before.map((m) => `${m.kind}/${m.metadata.name}`));
    expect(changed).toEqual([`Job/${HOOKS.migration.name}`]);
  });

  test('the command builder refuses anything that is not a revision id', () => {
    for (const bad of ['-1', 'head-1', '+1', 'a b', '$(rm -rf /)', '']) expect(() => migrationCommand(bad)).toThrow(/not an alembic revision/);
  });

  test('the runbook exists and documents the revert and the config key it relies on', () => {
    const runbook = fs.readFileSync(path.join(ROOT, 'docs', 'rollback.md'), 'utf8');
    expect(runbook).toMatch(/git revert/);
    expect(runbook).toMatch(/migrations:\s*\n\s+targetRevision:/);
    expect(runbook).toMatch(/argocd app sync/);
  });

  test('a runbook step that scales the API Deployment to 0 scales it back by hand: the HPA leaves a target at 0 alone', () => {
    // kubernetes pkg/controller/podautoscaler/horizontal.go: replicas 0 and minReplicas != 0 is "ScalingDisabled";
    // and no sync sets spec.replicas (absent from the manifest, ignored by the Application).
    const runbook = fs.readFileSync(path.join(ROOT, 'docs', 'rollback.md'), 'utf8');
    const toZero = runbook.split(/\n(?=##? )/).filter((section) => /scale the\s+Deployment to 0|scale deployment ai-odoo-finder --replicas=0/.test(section));
    expect(toZero.length).toBeGreaterThan(0);
    for (const section of toZero) expect(section).toMatch(/scale deployment\s+ai-odoo-finder --replicas=<autoscaling\.minReplicas>/);
  });

  test('a restore drops the database with the dump (--clean --create), stops what connects first, and matches Git to the dump before any sync', () => {
    // pg_restore --clean alone drops only the objects in the archive: tables newer than the dump stay, and the
    // migration hook replaying the newer migrations fails on them ("already exists") or repeats the one that lost data.
    const runbook = fs.readFileSync(path.join(ROOT, 'docs', 'rollback.md'), 'utf8');
    const restores = runbook.split(/\n(?=##? )/).filter((section) => section.includes('pg_restore'));
    expect(restores.length).toBeGreaterThan(0);
    for (const section of restores) {
      for (const command of section.match(/pg_restore [^\n]*/g) ?? []) expect(command).toMatch(/--clean --if-exists --create .*--dbname=postgres /);
      expect(section).toMatch(/scale deployment postgresql-exporter --replicas=0/);
      expect(section).toMatch(/Before any sync[^]*targetRevision/);
    }
  });
});

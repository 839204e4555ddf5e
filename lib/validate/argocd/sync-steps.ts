import { arrayAt } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { finding, Resource } from '../resource';
import { applicationResources, applicationsIn, distFolderOf } from './applications';
import { compareSteps, describeStep, hookPhasesOf, syncOptionsOf, syncStepOf } from './sync-options';

const parse = (key: string) => {
  const [phase, wave] = key.split(' ').map(Number);
  return { phase, wave };
};

/**
 * Rules on which Application deploys what, read from the Applications in the
 * validated folders (so only when dist/argocd/ is validated too):
 *
 * `argocd-ownership`: every object of a folder an Application deploys is
 * deployed by exactly one. Two would fight over it (each overwrites the
 * other's tracking, and a pruning one deletes it); none leaves it unsynced.
 *
 * `argocd-cronjob-health`: no CronJob in an Application whose sync has more
 * than one step. Since Argo CD 3.2 a CronJob whose last run failed is Degraded
 * (argo-cd resource_customizations/batch/CronJob/health.lua), and gitops-engine
 * checks the health of the objects a step applied before it starts the next:
 * a Degraded one fails the sync ("one or more synchronization tasks completed
 * unsuccessfully", gitops-engine/pkg/sync/sync_context.go `Sync`). Only the
 * last step's objects are not waited for. So one failed backup would fail
 * every sync of the Application, releases included, until a backup succeeds.
 * `argocd.argoproj.io/ignore-healthcheck` does not change this: Argo CD reads
 * it for the Application's health only (controller/health.go).
 */
export function checkSyncSteps(folders: readonly Folder[]): Finding[] {
  const findings: Finding[] = [];
  const deployedBy = new Map<Resource, Resource[]>();
  for (const app of applicationsIn(folders)) {
    const folder = folders.find((f) => f.name === distFolderOf(app) && !f.shared);
    if (!folder) continue;
    const resources = applicationResources(app, folder);
    for (const r of resources) deployedBy.set(r, [...(deployedBy.get(r) ?? []), app]);
    const steps = stepsOf(app, resources);
    if (steps.length < 2) continue;
    for (const cronJob of resources.filter((r) => r.kind === 'CronJob' && hookPhasesOf(r).length === 0)) {
      findings.push(
        finding(cronJob, 'error', 'argocd-cronjob-health', ['kind'],
          `Application "${app.name}" syncs it in a sync of ${steps.length} steps (${steps.join(', ')}): Argo CD 3.2 and later report a CronJob whose last run failed as Degraded ` +
            '(resource_customizations/batch/CronJob/health.lua) and fail a sync whose earlier step left a Degraded object (gitops-engine pkg/sync/sync_context.go), ' +
            'so one failed run would fail every sync. Deploy it with an Application of its own, of one step (spec.source.directory.include/exclude); ' +
            'argocd.argoproj.io/ignore-healthcheck only affects the Application\'s health, not the sync',
        ),
      );
    }
  }
  for (const folder of folders.filter((f) => !f.shared)) {
    const apps = applicationsIn(folders).filter((a) => distFolderOf(a) === folder.name);
    if (apps.length === 0) continue;
    for (const r of folder.resources) {
      const by = deployedBy.get(r) ?? [];
      if (by.length === 1) continue;
      findings.push(
        finding(r, 'error', 'argocd-ownership', ['metadata', 'name'],
          by.length === 0
            ? `no Application deploys it: ${apps.map((a) => `"${a.name}"`).join(', ')} exclude it (spec.source.directory)`
            : `Applications ${by.map((a) => `"${a.name}"`).sort().join(' and ')} both deploy it: they would overwrite each other's tracking and one may prune it; give it to one (spec.source.directory.include/exclude)`,
        ),
      );
    }
  }
  return findings;
}

/**
 * The steps of an Application's sync: each phase and wave that holds an
 * object or a hook, and a last wave for pruning with PruneLast=true
 * (gitops-engine sync_context.go moves prune tasks to "last wave + 1").
 */
function stepsOf(app: Resource, resources: readonly Resource[]): string[] {
  const steps = new Map<string, string>();
  for (const r of resources) {
    const step = syncStepOf(r);
    if (step) steps.set(`${step.phase} ${step.wave}`, describeStep(step));
  }
  const pruneLast = arrayAt(app.object, 'spec', 'syncPolicy', 'syncOptions').includes('PruneLast=true') || resources.some((r) => syncOptionsOf(r).get('PruneLast') === 'true');
  const described = [...steps.entries()].sort(([a], [b]) => compareSteps(parse(a), parse(b))).map(([, d]) => d);
  return pruneLast && resources.length > 1 ? [...described, 'pruning last'] : described;
}

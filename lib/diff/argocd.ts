import { arrayAt, get, stringAt, stringMap } from '../validate/access';
import { deploysFile } from '../validate/argocd/applications';
import { hookPhasesOf, syncOptionsOf } from '../validate/argocd/sync-options';
import { Resource } from '../validate/resource';

// How Argo CD treats an object that leaves dist/, read from its source:
// - gitops-engine pkg/sync/sync_context.go getSyncTasks: objects with an
//   `argocd.argoproj.io/hook` annotation are skipped when apply and prune tasks
//   are planned ("Skipping hook"); hooks are created anew from Git on each sync.
// - gitops-engine pkg/sync/sync_context.go pruneObject: without the sync's
//   prune flag, "ignored (requires pruning)"; with `Prune=false` on the live
//   object (or as an Application sync option), "ignored (no prune)";
//   runTasks: `Prune=confirm` waits for a person to confirm.
// - Argo CD docs user-guide/auto_sync.md: an automated sync prunes only with
//   `automated.prune: true`; a manual sync prunes when "Prune" is ticked.
// - gitops-engine pkg/sync/hook/delete_policy.go: without a delete policy a hook
//   gets BeforeHookCreation (the old one is deleted just before the new one is created).
// - argo-cd controller/appcontroller.go shouldBeDeleted: deleting an Application
//   with the resources finalizer deletes what it deployed, except `Delete=false`.

const HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
/** With it, deleting the Application deletes what it deployed (Argo CD docs: operator-manual/app-deletion.md). */
const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Values of Prune and Delete that keep an object: `false`, or `confirm` (a person decides). */
const KEEPS = new Set(['false', 'confirm']);

/** `Name=value` sync options of an Application (spec.syncPolicy.syncOptions). */
function applicationOptions(application: Resource): Map<string, string> {
  const items = arrayAt(application.object, 'spec', 'syncPolicy', 'syncOptions').filter((v): v is string => typeof v === 'string');
  return new Map(items.map((v) => v.trim()).filter((v) => v.indexOf('=') > 0).map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
}

/** Whether Argo CD deletes the hook's previous run before creating it again (BeforeHookCreation, explicit or default). */
export function hookRecreatedEachSync(r: Resource): boolean {
  const policies = (stringMap(r.object, 'metadata', 'annotations')[HOOK_DELETE_POLICY] ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return policies.length === 0 || policies.includes('BeforeHookCreation');
}

/** The Applications that deploy (files of) `dist/<folder>`: the environment's, and its CronJobs' where it has some. */
export function applicationsFor(folder: string, applications: readonly Resource[]): Resource[] {
  return applications.filter((app) => {
    const source = stringAt(app.object, 'spec', 'source', 'path');
    return source !== undefined && source.replace(/^\.\//, '').replace(/\/$/, '') === `dist/${folder}`;
  });
}

/** The Application that deploys the object's file of `dist/<folder>` (spec.source.directory include/exclude), if dist/ has one. */
export function applicationFor(r: Resource, applications: readonly Resource[]): Resource | undefined {
  return applicationsFor(r.folder, applications).find((app) => deploysFile(app, r.file));
}

/** What the next sync does with an object that is no longer in Git: one sentence for the reviewer. */
export function pruneOutcome(removed: Resource, application: Resource | undefined): string {
  if (hookPhasesOf(removed).length > 0) {
    return 'a hook: Argo CD neither runs it again nor prunes it; the object of its last run stays until someone deletes it';
  }
  const own = syncOptionsOf(removed).get('Prune');
  if (own === 'false') return 'not pruned (its annotation says Prune=false): it stays in the cluster and the Application shows OutOfSync until someone deletes it';
  if (!application) return `no Application in dist/argocd deploys dist/${removed.folder}: whatever applies that folder decides`;
  const appOption = applicationOptions(application).get('Prune');
  if (own === undefined && appOption === 'false') return `not pruned (Application ${application.name} has the sync option Prune=false): it stays in the cluster`;
  const confirm = own === 'confirm' || (own === undefined && appOption === 'confirm') ? ', once someone confirms the pruning (Prune=confirm)' : '';
  const automated = get(application.object, 'spec', 'syncPolicy', 'automated');
  if (automated !== undefined && automated !== null) {
    if (get(automated, 'prune') === true) return `pruned by the next automatic sync of ${application.name}${confirm}`;
    return `not pruned automatically (${application.name}: automated.prune is off): it stays, OutOfSync, until someone syncs with Prune${confirm}`;
  }
  return `pruned when someone syncs ${application.name} with Prune ticked (manual sync)${confirm}`;
}

/** What removing an environment's Application (its folder gone from dist/ too) does to the whole environment. */
export function applicationRemovalOutcome(application: Resource): string {
  const finalizers = arrayAt(application.object, 'metadata', 'finalizers');
  return finalizers.includes(RESOURCES_FINALIZER)
    ? `Application ${application.name} is removed and has the ${RESOURCES_FINALIZER}: deleting it deletes what it deployed, except objects marked Delete=false`
    : `Application ${application.name} is removed; without the ${RESOURCES_FINALIZER} its objects keep running, no longer managed: delete them by hand if intended (argocd app delete, which cascades by default, deletes all but those marked Delete=false)`;
}

/** What happens to one object of an environment whose Application is removed. */
export function objectOfRemovedApplication(removed: Resource, application: Resource): string {
  const cascades = arrayAt(application.object, 'metadata', 'finalizers').includes(RESOURCES_FINALIZER);
  if (KEEPS.has(syncOptionsOf(removed).get('Delete') ?? '')) return 'kept when the Application is deleted (Delete=false)';
  return cascades ? `deleted with Application ${application.name} (resources finalizer)` : `left running, unmanaged, when Application ${application.name} goes (no resources finalizer)`;
}

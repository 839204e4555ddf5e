/**
 * Argo CD sync waves. Within the Sync phase Argo CD applies one wave at a time
 * and waits for it to be healthy before the next, so:
 *
 * - the Namespace comes first;
 * - then what the hooks and datastores need: NetworkPolicies (so the hook can
 *   reach the database once default-deny is in place), ServiceAccounts,
 *   ExternalSecrets (healthy only once their Secret is synced), PVCs, Services;
 * - then the in-cluster datastores (healthy = ready);
 * - then the migration Job, a `Sync` hook: it runs after all of the above and
 *   before the API Deployment of wave 0 starts rolling. The HPA comes with
 *   what it scales, in wave 0 (rule argocd-hpa-order).
 *
 * A `PreSync` migration would run before the Namespace, ServiceAccount and
 * Secrets exist on a first sync (PreSync precedes every wave of Sync).
 */
export const SYNC_WAVE = {
  namespace: -20,
  prerequisites: -10,
  datastores: -5,
  migration: -1,
  /** The API and everything without an annotation. */
  application: 0,
} as const;

/**
 * Sync options of an object that holds data (the Namespace, the datastores'
 * StatefulSets, the backup volume). `Prune=false`: Argo CD never deletes it
 * because it left Git (the Application shows OutOfSync instead).
 * `Delete=false`: deleting the Application, which `argocd app delete` and the
 * UI do with cascade by default, leaves it in place (argo-cd
 * controller/appcontroller.go `shouldBeDeleted`). Several options share the
 * annotation, comma-separated (Argo CD docs, user-guide/sync-options.md).
 */
export const KEEP_DATA: Readonly<Record<string, string>> = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };

/** The annotation that puts an object in a sync wave. */
export function syncWave(wave: number): Record<string, string> {
  return { 'argocd.argoproj.io/sync-wave': String(wave) };
}

/**
 * Annotations of an Argo CD hook. `BeforeHookCreation` deletes the previous
 * run's Job just before the next sync creates it again, so the logs of a
 * failed run stay until then and every sync runs the hook anew.
 */
export function hook(phase: 'PreSync' | 'Sync' | 'PostSync', wave?: number): Record<string, string> {
  return {
    'argocd.argoproj.io/hook': phase,
    'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    ...(wave === undefined ? {} : syncWave(wave)),
  };
}

/**
 * Kinds deployed by an Argo CD Application of their own, `ai-odoo-finder-<env>-cron`,
 * not by the environment's. Since Argo CD 3.2 a CronJob whose last run failed
 * is Degraded (argo-cd resource_customizations/batch/CronJob/health.lua: no
 * active Job and `lastSuccessfulTime < lastScheduleTime`), and a sync with
 * more than one step (waves or hooks: ours has both) checks the health of what
 * it applied before each next step and fails on a Degraded resource (argo-cd
 * gitops-engine/pkg/sync/sync_context.go, `Sync`: a running non-hook task whose
 * health is Degraded becomes OperationFailed, then "one or more synchronization
 * tasks completed unsuccessfully"). One failed nightly backup would fail every
 * release until a backup succeeds. The annotation
 * `argocd.argoproj.io/ignore-healthcheck` does not help: Argo CD reads it for
 * the Application's health only (controller/health.go), not in the sync. An
 * Application of one step is done once its objects are applied, "EVEN if those
 * objects subsequently degrade" (sync_context.go), and still shows the CronJob
 * Degraded; the backup failure also fires PostgresqlBackupTooOld.
 */
export const OWN_APPLICATION_KINDS: ReadonlySet<string> = new Set(['CronJob']);

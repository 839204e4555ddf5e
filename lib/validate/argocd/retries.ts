import { arrayAt, get, numberAt, stringAt } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { finding } from '../resource';
import { applicationResources, applicationsIn, distFolderOf } from './applications';
import { hookPhasesOf } from './sync-options';

/** Retries of an automated sync when spec.syncPolicy.retry is left out (argo-cd controller/appcontroller.go `autoSync`). */
const AUTOMATED_DEFAULT_RETRIES = 5;

/**
 * Rule `argocd-retry-hooks`: no automatic retry of a sync whose folder has
 * PreSync or Sync hooks (migrations). Argo CD retries a failed sync as a whole
 * operation: it clears the sync result and starts over (argo-cd
 * controller/appcontroller.go `processRequestedAppOperation`), so every hook
 * runs again, BeforeHookCreation recreating its Job, after a failure nobody
 * has looked at. An automated sync without spec.syncPolicy.retry retries 5
 * times; a manual one uses spec.syncPolicy.retry (server/application/application.go).
 */
export function checkRetries(folders: readonly Folder[]): Finding[] {
  const findings: Finding[] = [];
  for (const app of applicationsIn(folders)) {
    const folder = folders.find((f) => f.name === distFolderOf(app));
    const hooks = (folder ? applicationResources(app, folder) : []).filter((r) => hookPhasesOf(r).some((p) => p === 'PreSync' || p === 'Sync')) ?? [];
    if (hooks.length === 0) continue;
    const retry = get(app.object, 'spec', 'syncPolicy', 'retry');
    const automated = get(app.object, 'spec', 'syncPolicy', 'automated') !== undefined;
    const limit = retry === undefined ? (automated ? AUTOMATED_DEFAULT_RETRIES : 0) : numberAt(retry, 'limit') ?? 0;
    if (limit === 0) continue;
    const times = limit < 0 ? 'without limit' : `up to ${limit} more times`;
    const why = retry === undefined ? ` (an automated sync without spec.syncPolicy.retry retries ${AUTOMATED_DEFAULT_RETRIES} times)` : '';
    const names = hooks.map((h) => `${hookPhasesOf(h).join(',')} hook ${h.kind} "${h.name}"`).join(', ');
    findings.push(
      finding(app, 'error', 'argocd-retry-hooks', retry === undefined ? ['spec', 'syncPolicy'] : ['spec', 'syncPolicy', 'retry', 'limit'],
        `Argo CD retries a failed sync as a whole${why}, so ${names} of ${folder!.name}/ would run again after failing, ${times}, before anyone looks at why: set spec.syncPolicy.retry.limit: 0`),
    );
  }
  return findings;
}

/**
 * Rule `argocd-namespace-retry`: an automated Application that does not create
 * its destination namespace (no Namespace of that name among what it deploys,
 * no CreateNamespace=true) syncs into one another Application creates. An
 * app-of-apps creates both at once, so its first sync can run before the
 * namespace exists: the apply fails (gitops-engine pkg/sync/sync_context.go
 * creates a namespace first only for a Namespace in the same sync), and Argo CD
 * does not sync the same revision again by itself (argo-cd
 * controller/appcontroller.go autoSync: "failed previous sync attempt"). Such an
 * Application needs a retry.
 */
export function checkNamespaceRetries(folders: readonly Folder[]): Finding[] {
  const findings: Finding[] = [];
  for (const app of applicationsIn(folders)) {
    const namespace = stringAt(app.object, 'spec', 'destination', 'namespace');
    if (!namespace || get(app.object, 'spec', 'syncPolicy', 'automated') === undefined) continue;
    if (arrayAt(app.object, 'spec', 'syncPolicy', 'syncOptions').includes('CreateNamespace=true')) continue;
    const folder = folders.find((f) => f.name === distFolderOf(app));
    if (!folder || applicationResources(app, folder).some((r) => r.kind === 'Namespace' && r.name === namespace)) continue;
    const retry = get(app.object, 'spec', 'syncPolicy', 'retry');
    const limit = retry === undefined ? AUTOMATED_DEFAULT_RETRIES : numberAt(retry, 'limit') ?? 0;
    if (limit !== 0) continue;
    findings.push(
      finding(app, 'error', 'argocd-namespace-retry', ['spec', 'syncPolicy', 'retry', 'limit'],
        `syncs into namespace "${namespace}" without creating it (no Namespace among its objects, no CreateNamespace=true), with no retry: its first sync can run before the Application that creates the namespace has, fail, and Argo CD does not sync the same revision again by itself (argo-cd controller/appcontroller.go autoSync). Give it a retry, or, if it runs a PreSync or Sync hook (argocd-retry-hooks), CreateNamespace=true`),
    );
  }
  return findings;
}

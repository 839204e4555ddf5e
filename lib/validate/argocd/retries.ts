import { get, numberAt } from '../access';
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

import { stringMap } from '../access';
import { Finding } from '../finding';
import { finding, Resource } from '../resource';

// Argo CD ignores annotations it does not understand: a misspelt hook runs the
// migration as a plain resource (or never), a misspelt sync option does nothing.

const PREFIX = 'argocd.argoproj.io/';
const HOOKS = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete', 'Skip'];
const DELETE_POLICIES = ['HookSucceeded', 'HookFailed', 'BeforeHookCreation'];
const SYNC_OPTIONS = [
  'Prune', 'Delete', 'Validate', 'SkipDryRunOnMissingResource', 'Replace', 'ServerSideApply', 'Force', 'PruneLast', 'CreateNamespace',
  'ApplyOutOfSyncOnly', 'RespectIgnoreDifferences', 'PrunePropagationPolicy', 'FailOnSharedResource', 'ClientSideApplyMigration',
];
const COMPARE_OPTIONS = ['IgnoreExtraneous', 'ServerSideDiff', 'IncludeMutationWebhook'];
const KNOWN = ['hook', 'hook-delete-policy', 'sync-wave', 'sync-options', 'compare-options', 'tracking-id', 'manifest-generate-paths', 'refresh', 'skip-reconcile', 'instance', 'managed-by'];

export function checkArgoCdAnnotations(r: Resource): Finding[] {
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(stringMap(r.object, 'metadata', 'annotations'))) {
    if (!key.startsWith(PREFIX)) continue;
    const name = key.slice(PREFIX.length);
    const add = (message: string) => findings.push(finding(r, 'error', 'argocd-annotations', ['metadata', 'annotations', key], message));
    const items = value.split(',').map((v) => v.trim());
    if (!KNOWN.includes(name)) add(`Argo CD has no annotation "${key}"`);
    else if (name === 'hook') items.filter((v) => !HOOKS.includes(v)).forEach((v) => add(`"${v}" is not an Argo CD hook (${HOOKS.join(', ')})`));
    else if (name === 'hook-delete-policy') items.filter((v) => !DELETE_POLICIES.includes(v)).forEach((v) => add(`"${v}" is not a hook delete policy (${DELETE_POLICIES.join(', ')})`));
    else if (name === 'sync-wave' && !/^-?\d+$/.test(value.trim())) add(`sync wave "${value}" is not an integer`);
    else if (name === 'sync-options') items.filter((v) => !SYNC_OPTIONS.includes(v.split('=')[0]) || !v.includes('=')).forEach((v) => add(`"${v}" is not an Argo CD sync option (Name=value, Name one of ${SYNC_OPTIONS.join(', ')})`));
    else if (name === 'compare-options') items.filter((v) => !COMPARE_OPTIONS.includes(v.split('=')[0])).forEach((v) => add(`"${v}" is not an Argo CD compare option (${COMPARE_OPTIONS.join(', ')})`));
  }
  return findings;
}

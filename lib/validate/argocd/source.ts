import { get, isObject } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { finding } from '../resource';
import { applicationsIn } from './applications';

/**
 * Rule `argocd-normalized-source`: an Application's source has no block that
 * Argo CD normalizes away. Its controller rewrites every Application's spec on
 * each refresh (controller/appcontroller.go `normalizeApplication`: a merge
 * patch whenever util/argo/argo.go `NormalizeSource` changes it), and
 * NormalizeSource drops a `directory` whose `recurse`, `jsonnet` and
 * `exclude`/`include` are all unset or false (ApplicationSourceDirectory
 * `IsZero`), and an empty `helm` or `kustomize`. The app-of-apps that syncs
 * the Application from Git then finds it changed, forever: OutOfSync, and with
 * self-heal a sync every few seconds (argo-cd issues #3815, #14668).
 */
export function checkNormalizedSources(folders: readonly Folder[]): Finding[] {
  const findings: Finding[] = [];
  for (const app of applicationsIn(folders)) {
    const directory = get(app.object, 'spec', 'source', 'directory');
    if (isObject(directory)) {
      const { recurse, jsonnet, include, exclude, ...rest } = directory as Record<string, unknown>;
      const jsonnetSet = isObject(jsonnet) && Object.values(jsonnet).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== ''));
      if (recurse !== true && !jsonnetSet && !include && !exclude && Object.values(rest).every((v) => !v)) {
        findings.push(
          finding(app, 'error', 'argocd-normalized-source', ['spec', 'source', 'directory'],
            `${JSON.stringify(directory)} says nothing Argo CD keeps: its controller removes it from the live Application (util/argo/argo.go NormalizeSource), so the Application syncing it from Git is OutOfSync forever (with self-heal, re-applies it every few seconds). Leave the directory block out`),
        );
      }
    }
    for (const block of ['helm', 'kustomize']) {
      const value = get(app.object, 'spec', 'source', block);
      if (isObject(value) && Object.keys(value).length === 0) {
        findings.push(finding(app, 'error', 'argocd-normalized-source', ['spec', 'source', block], `an empty ${block} block: Argo CD's controller removes it from the live Application (util/argo/argo.go NormalizeSource), so the Application syncing it from Git is OutOfSync forever. Leave it out`));
      }
    }
  }
  return findings;
}

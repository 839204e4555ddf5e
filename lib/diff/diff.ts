import { stringAt } from '../validate/access';
import { parseResources, Resource } from '../validate/resource';
import type { SourceFile } from '../validate/validate';
import { applicationFor, applicationRemovalOutcome, applicationsFor, objectOfRemovedApplication, pruneOutcome } from './argocd';
import { diffComposeFolder, isComposeFolder } from './compose';
import { diffValues } from './fields';
import { FolderDiff, ObjectChange } from './model';
import { assess } from './risks';
import { FolderContext } from './risks/delta';
import { DiffSourceError, DistFiles } from './sources';

/** The folder of dist/ with the Argo CD Applications of the environments. */
const ARGOCD_FOLDER = 'argocd';

/** What Argo CD reads of a folder (a directory source: YAML and JSON files). */
const MANIFEST_FILE = /\.(ya?ml|json)$/;

export interface DistDiff {
  /** Folders with at least one change, sorted by name. */
  readonly folders: FolderDiff[];
  /** Folders compared that did not change. */
  readonly unchanged: string[];
}

/**
 * Compares two versions of dist/ folder by folder, object by object
 * (kind/namespace/name), field by field, and assesses each change.
 * `only` limits the folders reported (Applications are read from all).
 */
export function diffDist(base: DistFiles, head: DistFiles, only?: readonly string[]): DistDiff {
  const wanted = (folder: string) => !only || only.includes(folder);
  const compose = (folder: string) => isComposeFolder(head.get(folder) ?? base.get(folder) ?? []);
  const kubernetes = (folder: string) => wanted(folder) && !compose(folder);
  const [baseChanged, headChanged] = withoutIdenticalFiles(base, head);
  const before = parseDist(baseChanged, 'base', kubernetes);
  const after = parseDist(headChanged, 'head', kubernetes);
  const applicationsOf = (side: DistFiles, label: string) =>
    parseDist(new Map([[ARGOCD_FOLDER, side.get(ARGOCD_FOLDER) ?? []]]), label, () => true)
      .get(ARGOCD_FOLDER)!
      .filter((r) => r.kind === 'Application' && r.apiVersion.startsWith('argoproj.io/'));
  const baseApplications = applicationsOf(base, 'base');
  const headApplications = applicationsOf(head, 'head');
  const folders: FolderDiff[] = [];
  const unchanged: string[] = [];
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  for (const folder of names.filter(wanted)) {
    const old = base.has(folder) ? before.get(folder) ?? [] : undefined;
    const now = head.has(folder) ? after.get(folder) ?? [] : undefined;
    const removedApplications = now ? [] : applicationsFor(folder, baseApplications);
    const objects = compose(folder)
      ? diffComposeFolder(base.get(folder) ?? [], head.get(folder) ?? [])
      : diffFolder(old ?? [], now ?? [], folderContext(head.get(folder) ?? base.get(folder) ?? [], folder), (removed) => {
          const baseApplication = applicationFor(removed, baseApplications);
          return removedApplications.length > 0 && baseApplication ? objectOfRemovedApplication(removed, baseApplication) : pruneOutcome(removed, applicationFor(removed, headApplications));
        });
    if (objects.length === 0) {
      unchanged.push(folder);
      continue;
    }
    folders.push({
      folder,
      status: !old ? 'added' : !now ? 'removed' : 'changed',
      objects,
      notes: removedApplications.map(applicationRemovalOutcome),
    });
  }
  return { folders, unchanged };
}

/** What the risk checks need from the rest of a folder: its Argo Rollouts (read from every file that holds one). */
function folderContext(files: readonly SourceFile[], folder: string): FolderContext {
  const rollouts = files
    .filter((f) => /^kind: Rollout$/m.test(f.text))
    .flatMap((f) => parseResources(f.file, folder, f.text).resources)
    .filter((r) => r.kind === 'Rollout' && r.apiVersion.startsWith('argoproj.io/'));
  return {
    rolloutOf: (deploymentName) =>
      rollouts.find((r) => stringAt(r.object, 'spec', 'workloadRef', 'kind') === 'Deployment' && stringAt(r.object, 'spec', 'workloadRef', 'name') === deploymentName),
  };
}

function diffFolder(before: Resource[], after: Resource[], folder: FolderContext, prune: (removed: Resource) => string): ObjectChange[] {
  const key = (r: Resource) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
  const old = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  const changes: ObjectChange[] = [];
  for (const k of new Set([...old.keys(), ...now.keys()])) {
    const b = old.get(k);
    const a = now.get(k);
    const fields = b && a ? diffValues(b.object, a.object) : [];
    if (b && a && fields.length === 0) continue;
    const r = (a ?? b)!;
    const { risks, notes } = assess({ before: b, after: a, fields, folder });
    changes.push({
      change: !b ? 'added' : !a ? 'removed' : 'changed',
      apiVersion: r.apiVersion,
      kind: r.kind,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      name: r.name,
      file: r.file,
      fields,
      risks,
      notes,
      ...(a ? {} : { prune: prune(b!) }),
    });
  }
  return changes.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
}

/**
 * The files that differ: a file with the same path and text on both sides
 * holds the same objects, so it is left out before parsing (most of a
 * pull request's dist/ is unchanged, and parsing is the slow part).
 */
function withoutIdenticalFiles(base: DistFiles, head: DistFiles): [DistFiles, DistFiles] {
  const texts = (files: DistFiles) => new Map([...files.values()].flat().map((f) => [f.file, f.text]));
  const baseTexts = texts(base);
  const headTexts = texts(head);
  const keep = (files: DistFiles, other: Map<string, string>) =>
    new Map([...files].map(([folder, sources]) => [folder, sources.filter((f) => other.get(f.file) !== f.text)]));
  return [keep(base, headTexts), keep(head, baseTexts)];
}

/** Every object of the wanted folders, read with the validator's YAML reader; unreadable YAML is an error naming file and line. */
function parseDist(files: DistFiles, side: string, wanted: (folder: string) => boolean): Map<string, Resource[]> {
  const folders = new Map<string, Resource[]>();
  for (const [folder, sources] of files) {
    if (!wanted(folder)) continue;
    const resources: Resource[] = [];
    for (const source of sources.filter((f) => MANIFEST_FILE.test(f.file))) {
      const parsed = parseResources(source.file, folder, source.text);
      const problem = parsed.findings[0];
      if (problem) throw new DiffSourceError(`${side}: ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
      resources.push(...parsed.resources);
    }
    folders.set(folder, resources);
  }
  return folders;
}

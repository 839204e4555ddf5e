import { descendantKinds, splitGroupKind, TreeObject } from '../../argocd/resource-tree';
import { arrayAt, get, stringAt, stringMap } from '../access';
import { Finding } from '../finding';
import { Folder } from '../folder';
import { finding, Resource } from '../resource';

/**
 * Argo CD Applications against the folders they deploy: the path is a folder
 * of dist/, and their AppProject permits the repository, every namespace and
 * every kind in it (else Argo CD refuses the sync: "... is not permitted in project"),
 * and every kind the cluster creates below them (else Argo CD hides it: lib/argocd/resource-tree.ts).
 * `complete`: every folder of dist/ was read, so a missing path is a real one.
 */
export function checkArgoCd(folders: readonly Folder[], namespaced: (r: Resource) => boolean | undefined, complete: boolean): Finding[] {
  const findings: Finding[] = [];
  const all = folders.flatMap((f) => f.resources);
  const projects = new Map(all.filter((r) => r.kind === 'AppProject' && r.apiVersion.startsWith('argoproj.io/')).map((p) => [p.name, p]));
  for (const app of applicationsIn(folders)) {
    const add = (rule: string, path: (string | number)[], message: string) => findings.push(finding(app, 'error', rule, path, message));
    const projectName = stringAt(app.object, 'spec', 'project') ?? '';
    const project = projects.get(projectName);
    if (!project && projectName !== 'default') add('argocd-project', ['spec', 'project'], `AppProject "${projectName}" is not in dist/`);
    const repoURL = stringAt(app.object, 'spec', 'source', 'repoURL');
    if (project && repoURL && !arrayAt(project.object, 'spec', 'sourceRepos').some((p) => typeof p === 'string' && glob(p, repoURL))) {
      add('argocd-source-repo', ['spec', 'source', 'repoURL'], `AppProject "${projectName}" does not permit the repository ${repoURL} (spec.sourceRepos)`);
    }
    const sourcePath = stringAt(app.object, 'spec', 'source', 'path');
    const folderName = distFolderOf(app);
    if (folderName === undefined) continue; // a source outside dist/ is not ours to check
    const folder = folders.find((f) => f.name === folderName);
    if (!folder) {
      if (complete) add('argocd-path', ['spec', 'source', 'path'], `${sourcePath} is not a folder of dist/`);
      continue;
    }
    if (!project) continue;
    const server = stringAt(app.object, 'spec', 'destination', 'server') ?? stringAt(app.object, 'spec', 'destination', 'name') ?? '';
    const destination = stringAt(app.object, 'spec', 'destination', 'namespace');
    const reported = new Set<string>();
    // Each kind the cluster creates below the folder's objects, by its shortest chain from one of them.
    const below = new Map<string, { parent: Resource; via: string[] }>();
    for (const r of applicationResources(app, folder)) {
      const isNamespaced = namespaced(r);
      if (isNamespaced === undefined) continue; // no schema: reported by the schema check
      const namespace = isNamespaced ? r.namespace ?? destination ?? '' : '';
      if (isNamespaced && !permitsDestination(project, server, namespace) && !reported.has(`ns ${namespace}`)) {
        reported.add(`ns ${namespace}`);
        add('argocd-destination', ['spec', 'destination'], `AppProject "${projectName}" does not permit namespace "${namespace}" on ${server} (spec.destinations), used by ${r.file}`);
      }
      const group = r.apiVersion.includes('/') ? r.apiVersion.slice(0, r.apiVersion.indexOf('/')) : '';
      if (!permitsKind(project, group, r.kind, isNamespaced) && !reported.has(`kind ${group} ${r.kind}`)) {
        reported.add(`kind ${group} ${r.kind}`);
        const list = isNamespaced ? 'namespaceResourceWhitelist' : 'clusterResourceWhitelist';
        add('argocd-resource', ['spec', 'project'], `AppProject "${projectName}" does not permit ${r.kind} (group "${group}", in ${r.file}): add it to spec.${list}`);
      }
      for (const [child, via] of descendantKinds(treeObject(r))) {
        const known = below.get(child);
        if (!known || via.length < known.via.length) below.set(child, { parent: r, via });
      }
    }
    for (const [child, { parent, via }] of below) {
      const { group, kind } = splitGroupKind(child);
      if (permitsKind(project, group, kind, true)) continue;
      const chain = [...via.map((k) => splitGroupKind(k).kind), kind].join(' → ');
      add(
        'argocd-resource-tree',
        ['spec', 'project'],
        `AppProject "${projectName}" does not permit ${kind} (group "${group}"), which the cluster creates under ${parent.kind}/${parent.name} (${chain}): Argo CD leaves it and what is below it out of the resource tree, so neither the UI nor \`argocd app logs\` shows it; add it to spec.namespaceResourceWhitelist`,
      );
    }
  }
  return findings;
}

/**
 * The objects of its folder an Application deploys: the files that
 * `spec.source.directory.include` matches (all without it) and `exclude` does
 * not, as Argo CD's repo server applies them to the path of each file relative
 * to `spec.source.path` (argo-cd reposerver/repository/repository.go,
 * util/glob: github.com/gobwas/glob without separators).
 */
export function applicationResources(app: Resource, folder: Folder): Resource[] {
  return folder.resources.filter((r) => deploysFile(app, r.file));
}

/** Whether an Application's include/exclude admit a file of its folder (a path whose last element is the file name). */
export function deploysFile(app: Resource, file: string): boolean {
  const include = stringAt(app.object, 'spec', 'source', 'directory', 'include');
  const exclude = stringAt(app.object, 'spec', 'source', 'directory', 'exclude');
  const name = file.slice(file.lastIndexOf('/') + 1);
  const matches = (pattern: string | undefined) => pattern !== undefined && pattern !== '' && gobwasGlob(pattern).test(name);
  return !matches(exclude) && (include === undefined || include === '' || matches(include));
}

/** A gobwas glob as a RegExp: `*` any text, `?` one character, `{a,b}` either, `[…]` a class, `\\` escapes. */
function gobwasGlob(pattern: string): RegExp {
  const literal = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) out += literal(pattern[++i]);
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '{') {
      out += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      out += ')';
      depth--;
    } else if (c === ',' && depth > 0) out += '|';
    else if (c === '[' && pattern.indexOf(']', i + 1) > i + 1) {
      const end = pattern.indexOf(']', i + 1);
      out += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += literal(c);
  }
  return new RegExp(`^${out}${')'.repeat(depth)}$`);
}

/** The folder of dist/ an Application deploys (`spec.source.path` `dist/<folder>`), if any. */
export function distFolderOf(app: Resource): string | undefined {
  const sourcePath = stringAt(app.object, 'spec', 'source', 'path');
  return sourcePath === undefined ? undefined : /^(?:\.\/)?dist\/([^/]+)\/?$/.exec(sourcePath)?.[1];
}

/** The Argo CD Applications among the objects of these folders. */
export function applicationsIn(folders: readonly Folder[]): Resource[] {
  return folders.flatMap((f) => f.resources).filter((r) => r.kind === 'Application' && r.apiVersion.startsWith('argoproj.io/'));
}

function permitsDestination(project: Resource, server: string, namespace: string): boolean {
  return arrayAt(project.object, 'spec', 'destinations').some((d) => {
    const s = stringAt(d, 'server') ?? stringAt(d, 'name') ?? '*';
    return glob(s, server) && glob(stringAt(d, 'namespace') ?? '*', namespace);
  });
}

/** Argo CD's rule: blacklisted kinds are denied; with a whitelist, only listed kinds pass (cluster-scoped kinds need a whitelist entry). */
function permitsKind(project: Resource, group: string, kind: string, isNamespaced: boolean): boolean {
  const matches = (list: string) => arrayAt(project.object, 'spec', list).some((e) => glob(stringAt(e, 'group') ?? '', group) && glob(stringAt(e, 'kind') ?? '', kind));
  if (isNamespaced) {
    const whitelist = get(project.object, 'spec', 'namespaceResourceWhitelist');
    return !matches('namespaceResourceBlacklist') && (whitelist === undefined || matches('namespaceResourceWhitelist'));
  }
  return !matches('clusterResourceBlacklist') && matches('clusterResourceWhitelist');
}

/** What the resource-tree model reads of an object: its kind and (string) annotations. */
function treeObject(r: Resource): TreeObject {
  return { apiVersion: r.apiVersion, kind: r.kind, metadata: { annotations: stringMap(r.object, 'metadata', 'annotations') } };
}

/** Argo CD glob: `*` matches anything. */
function glob(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
}

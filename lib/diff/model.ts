import { Json } from '../validate/access';
import { formatPath } from '../validate/finding';

/**
 * One step of a path into an object: a key, a list index, or a list element
 * found by its identity (`containers[name=api]`, `rules[alert=HighLatency]`),
 * so that inserting an element does not show every later one as changed.
 */
export type PathSegment = string | number | { readonly key: string; readonly value: string };

export type DiffPath = readonly PathSegment[];

/** A field that differs. `before`/`after` are undefined when the field is absent on that side. */
export interface FieldChange {
  readonly path: DiffPath;
  readonly before?: Json;
  readonly after?: Json;
  /** For multi-line strings (scripts, configuration files): the lines removed and added. */
  readonly lines?: { readonly removed: readonly string[]; readonly added: readonly string[] };
}

/** What a reviewer must not miss. */
export type RiskKind = 'rolls-pods' | 'immutable' | 'data' | 'availability' | 'alerting' | 'security' | 'image';

export const RISK_LABELS: Readonly<Record<RiskKind, string>> = {
  'rolls-pods': 'rolls the pods',
  immutable: 'immutable field',
  data: 'data at risk',
  availability: 'availability at risk',
  alerting: 'alerting changed',
  security: 'security',
  image: 'image change',
};

export interface Risk {
  readonly kind: RiskKind;
  readonly message: string;
}

/** One object added, removed or changed, identified by kind/namespace/name. */
export interface ObjectChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** File of dist/ that holds it (the new one, or the old one for a removed object). */
  readonly file: string;
  /** Changed fields (empty for added and removed objects). */
  readonly fields: readonly FieldChange[];
  readonly risks: readonly Risk[];
  /** How the change applies, where that is not obvious (e.g. a hook Job re-created on each sync). */
  readonly notes: readonly string[];
  /** For a removed object: what Argo CD does with it on the next sync. */
  readonly prune?: string;
}

/** The changes of one folder of dist/ (an environment, or the shared `argocd`). */
export interface FolderDiff {
  readonly folder: string;
  /** `added`, `removed` or `changed` for a folder that only one side has. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly objects: readonly ObjectChange[];
  /** Folder-level notes, e.g. what removing an environment's Application does. */
  readonly notes: readonly string[];
}

export interface DiffReport {
  /** What was compared with, e.g. `merge base of HEAD and origin/main (1a2b3c4)`. */
  readonly base: string;
  /** What was compared, e.g. `the working tree, rendered from config/`. */
  readonly head: string;
  /** Folders with at least one change, sorted by name. */
  readonly folders: readonly FolderDiff[];
  /** Folders compared that did not change. */
  readonly unchanged: readonly string[];
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function objectTitle(o: Pick<ObjectChange, 'kind' | 'namespace' | 'name'>): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** `spec.template.spec.containers[name=api].image`, `metadata.annotations["checksum/config"]`. */
export function formatDiffPath(path: DiffPath): string {
  let out = '';
  let run: (string | number)[] = [];
  const flush = () => {
    const part = formatPath(run);
    out += out && part && !part.startsWith('[') ? `.${part}` : part;
    run = [];
  };
  for (const segment of path) {
    if (typeof segment === 'object') {
      flush();
      out += `[${segment.key}=${segment.value}]`;
    } else {
      run.push(segment);
    }
  }
  flush();
  return out;
}

/** A value for one line of output: JSON, shortened to `max` characters; `(absent)` for a missing field. */
export function formatValue(value: unknown, max = 60): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Whether `path` starts with `prefix` (named and indexed list elements match any element). */
export function startsWith(path: DiffPath, prefix: readonly (string | number | '*')[]): boolean {
  if (path.length < prefix.length) return false;
  return prefix.every((p, i) => p === '*' || p === path[i]);
}

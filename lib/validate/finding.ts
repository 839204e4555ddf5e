/** How bad a finding is: errors fail `npm run validate`, warnings are printed only. */
export type Severity = 'error' | 'warning';

/** A path inside an object, as keys and list indexes: `['spec', 'template', 'spec', 'containers', 0, 'image']`. */
export type FieldPath = readonly (string | number)[];

/** One thing wrong with one object of dist/. */
export interface Finding {
  readonly severity: Severity;
  /** Short stable name of the check, e.g. `schema`, `image-pinned`, `psa-capabilities`; see docs/validate.md. */
  readonly rule: string;
  /** File relative to the project root, e.g. `dist/production/deployment-api.yaml`. */
  readonly file: string;
  /** 1-based line of `path` (or of its nearest existing parent) in the file, when known. */
  readonly line?: number;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  readonly object: string;
  readonly path: FieldPath;
  readonly message: string;
}

/** `spec.template.spec.containers[0].image`; empty for the object itself. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** `file:line: Kind/namespace/name: path: error: message (rule)`. */
export function formatFinding(f: Finding): string {
  const where = f.line ? `${f.file}:${f.line}` : f.file;
  const path = formatPath(f.path);
  return `${where}: ${f.object}: ${path ? `${path}: ` : ''}${f.severity}: ${f.message} (${f.rule})`;
}

/** Findings in a stable order: by file, line, path, then message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => [f.file, String(f.line ?? 0).padStart(8, '0'), formatPath(f.path), f.rule, f.message].join('\u0000');
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

import { isMap, isSeq, LineCounter, parseAllDocuments, Document } from 'yaml';
import { isObject, JsonObject, stringAt } from './access';
import { FieldPath, Finding, Severity } from './finding';

/** One object of one file of dist/. */
export interface Resource {
  /** File relative to the project root. */
  readonly file: string;
  /** Folder of dist/ it belongs to, e.g. `production` or `argocd`. */
  readonly folder: string;
  readonly object: JsonObject;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** metadata.namespace as written (undefined when absent). */
  readonly namespace: string | undefined;
  /** Line of a path, or of its nearest existing parent. */
  lineOf(path: FieldPath): number | undefined;
}

/** `Kind/namespace/name`, or `Kind/name` without a namespace. */
export function describe(r: Resource): string {
  const name = r.name || '<unnamed>';
  return r.namespace ? `${r.kind}/${r.namespace}/${name}` : `${r.kind}/${name}`;
}

/** Builds findings about one resource, with the line filled in. */
export function finding(r: Resource, severity: Severity, rule: string, path: FieldPath, message: string): Finding {
  return { severity, rule, file: r.file, line: r.lineOf(path), object: describe(r), path, message };
}

/** The objects of a YAML file (several documents allowed); YAML errors and non-objects are findings. */
export function parseResources(file: string, folder: string, text: string): { resources: Resource[]; findings: Finding[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const resources: Resource[] = [];
  const findings: Finding[] = [];
  const fileFinding = (line: number | undefined, message: string): Finding => ({ severity: 'error', rule: 'yaml', file, line, object: '-', path: [], message });
  if (!Array.isArray(docs)) {
    findings.push(fileFinding(undefined, 'not a YAML stream'));
    return { resources, findings };
  }
  for (const doc of docs) {
    const errors = [...doc.errors, ...doc.warnings];
    if (errors.length > 0) {
      for (const e of errors) findings.push(fileFinding(lineCounter.linePos(e.pos[0]).line, e.message.split('\n')[0]));
      continue;
    }
    const object: unknown = doc.toJS();
    if (object === null || object === undefined) continue; // an empty document
    const line = lineCounter.linePos(doc.contents?.range?.[0] ?? 0).line;
    if (!isObject(object)) {
      findings.push(fileFinding(line, 'a document must be a Kubernetes object (a YAML mapping)'));
      continue;
    }
    resources.push({
      file,
      folder,
      object,
      apiVersion: stringAt(object, 'apiVersion') ?? '',
      kind: stringAt(object, 'kind') ?? '',
      name: stringAt(object, 'metadata', 'name') ?? '',
      namespace: stringAt(object, 'metadata', 'namespace'),
      lineOf: (path) => lineOfPath(doc, lineCounter, path),
    });
  }
  return { resources, findings };
}

function lineOfPath(doc: Document, lineCounter: LineCounter, path: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: number[] } | null)?.range?.[0];
  for (const part of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
      if (pair) {
        const keyRange = (pair.key as { range?: number[] }).range;
        if (keyRange) offset = keyRange[0];
        next = pair.value;
      }
    } else if (isSeq(node) && typeof part === 'number') {
      next = node.items[part];
      const range = (next as { range?: number[] } | undefined)?.range;
      if (range) offset = range[0];
    }
    if (next === undefined) break;
    node = next;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

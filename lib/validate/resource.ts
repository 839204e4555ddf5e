import { isMap, isSeq, LineCounter, parseAllDocuments, Document } from 'yaml';
import { isObject, JsonObject, stringAt } from './access';
import { FieldPath, Finding, formatPath, Severity } from './finding';
import { checkYamlCharacters } from './yaml-characters';
import { checkYamlTyping } from './yaml-typing';

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

/**
 * The objects of a YAML file (several documents allowed), read as the API
 * server and Argo CD read them: an explicit `null` is an absent field, and a
 * document with an `items` list (`kind: List`) stands for its items (Argo CD's
 * repo server unwraps it: reposerver/repository/repository.go, `obj.IsList()`).
 * YAML errors, non-objects, plain scalars that Kubernetes types otherwise
 * than YAML 1.2 (rule `yaml-typing`) and characters YAML 1.1 readers cannot
 * take raw (rule `yaml-characters`) are findings.
 */
export function parseResources(file: string, folder: string, text: string): { resources: Resource[]; findings: Finding[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const resources: Resource[] = [];
  const findings: Finding[] = checkYamlCharacters(file, text);
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
    const lineOf = (path: FieldPath) => lineOfPath(doc, lineCounter, path);
    const items = Array.isArray(object.items) ? object.items : undefined;
    const parts = items
      ? items.map((item, i) => ({ object: item, prefix: ['items', i] as FieldPath }))
      : [{ object: object as unknown, prefix: [] as FieldPath }];
    /** The resource of each part, by its index in `parts`. */
    const here = new Map<number, Resource>();
    parts.forEach((part, index) => {
      if (!isObject(part.object)) {
        findings.push(fileFinding(lineOf(part.prefix), `${formatPath(part.prefix)} is not a Kubernetes object (a YAML mapping)`));
        return;
      }
      const absent = withoutNulls(part.object);
      here.set(index, {
        file,
        folder,
        object: absent,
        apiVersion: stringAt(absent, 'apiVersion') ?? '',
        kind: stringAt(absent, 'kind') ?? '',
        name: stringAt(absent, 'metadata', 'name') ?? '',
        namespace: stringAt(absent, 'metadata', 'namespace'),
        lineOf: (path) => lineOf([...part.prefix, ...path]),
      });
    });
    resources.push(...here.values());
    for (const problem of checkYamlTyping(doc, lineCounter)) {
      const index = !items ? 0 : problem.path[0] === 'items' && typeof problem.path[1] === 'number' ? problem.path[1] : undefined;
      const owner = index === undefined ? undefined : here.get(index);
      const path = owner && items ? problem.path.slice(2) : problem.path;
      findings.push({ severity: 'error', rule: 'yaml-typing', file, line: problem.line, object: owner ? describe(owner) : '-', path, message: problem.message });
    }
  }
  return { resources, findings };
}

/**
 * The object as the API server stores it: a field set to `null` is the same
 * as an absent one (JSON null decodes to the zero value; for custom resources
 * the API server drops it), so `creationTimestamp: null` is no error.
 */
function withoutNulls(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) continue;
    out[key] = isObject(v) ? withoutNulls(v) : Array.isArray(v) ? v.map((item) => (isObject(item) ? withoutNulls(item) : item)) : v;
  }
  return out;
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

import { ErrorObject } from 'ajv';
import { get } from '../access';
import { FieldPath } from '../finding';
import { KNOWN_FIELDS } from './prune';

/** An ajv error as a field path and a sentence a person can act on. */
export interface SchemaProblem {
  readonly path: FieldPath;
  readonly message: string;
}

/** Prometheus duration pattern of the prometheus-operator CRDs (`for`, `interval`, ...). */
const DURATION_PATTERN_HINT = '(([0-9]+)y)?(([0-9]+)w)?';

export function translateErrors(errors: readonly ErrorObject[], data: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  // Errors of the branches of a failed anyOf/oneOf are summed up by the anyOf/oneOf error itself.
  const branchFailures = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  for (const e of errors) {
    if (branchFailures.some((p) => e.schemaPath.startsWith(`${p}/`))) continue;
    const problem = translate(e, data);
    const key = `${problem.path.join('\u0000')}\u0001${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function translate(e: ErrorObject, data: unknown): SchemaProblem {
  const path = pointerToPath(e.instancePath, data);
  const value = e.data;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const parent = e.parentSchema as { properties?: object; [KNOWN_FIELDS]?: string[] } | undefined;
      const known = parent?.[KNOWN_FIELDS] ?? Object.keys(parent?.properties ?? {});
      const suggestion = closest(field, known);
      return { path: [...path, field], message: `unknown field "${field}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}` };
    }
    case 'required':
      return { path, message: `missing required field "${String(params.missingProperty)}"` };
    case 'type':
      return { path, message: `must be ${String(params.type)}, not ${describeValue(value)}` };
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, not ${describeValue(value)}` };
    case 'pattern':
      if (String(params.pattern).includes(DURATION_PATTERN_HINT)) {
        return { path, message: `${JSON.stringify(value)} is not a Prometheus duration (such as 30s, 5m or 1h30m)` };
      }
      return { path, message: `${JSON.stringify(value)} does not match the pattern ${String(params.pattern)}` };
    case 'format':
      return { path, message: `${JSON.stringify(value)} is not a valid ${String(params.format)}` };
    case 'anyOf':
    case 'oneOf':
      return { path, message: `${describeValue(value)} matches none of the allowed forms` };
    case 'x-quantity':
    case 'x-int-or-string':
      return { path, message: e.message ?? e.keyword };
    default:
      return { path, message: `${e.message ?? e.keyword}${typeof value === 'object' ? '' : ` (got ${JSON.stringify(value)})`}` };
  }
}

/** `/spec/containers/0/name` → `['spec', 'containers', 0, 'name']`, numbers only for list indexes. */
function pointerToPath(pointer: string, data: unknown): FieldPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path.push(Array.isArray(get(data, ...path)) && /^\d+$/.test(part) ? Number(part) : part);
  }
  return path;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The known name closest to `name`, if it is a likely typo (edit distance at most 2). */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

import * as fs from 'fs';
import * as path from 'path';
import { ErrorObject } from 'ajv';
import { Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { Environment, EnvironmentSettings } from '../../config/schema';
import { ConfigError, ConfigProblem } from './problems';
import { checkEnvironmentRules } from './rules';
import { environmentValidator } from './validator';

/** Where the environment files live, relative to the project root. */
export const ENVIRONMENTS_DIR = path.join('config', 'environments');

const validate = environmentValidator();

/** The names of the environments: one per `config/environments/*.yaml` file, sorted. */
export function listEnvironments(root: string): string[] {
  return fs
    .readdirSync(path.join(root, ENVIRONMENTS_DIR))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Reads, validates and fills defaults for the named environments; throws one ConfigError listing every problem in every file. */
export function loadEnvironments(root: string, names: readonly string[] = listEnvironments(root)): Environment[] {
  const problems: ConfigProblem[] = [];
  const environments: Environment[] = [];
  for (const name of names) {
    const file = path.join(ENVIRONMENTS_DIR, `${name}.yaml`);
    const absolute = path.join(root, file);
    if (!fs.existsSync(absolute)) {
      problems.push({ file, key: '', message: `no such environment "${name}" (known: ${listEnvironments(root).join(', ')})` });
      continue;
    }
    const result = parseEnvironment(file, fs.readFileSync(absolute, 'utf8'));
    if ('problems' in result) problems.push(...result.problems);
    else environments.push(result.environment);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return environments;
}

/** Validates the text of one environment file. `file` names it in problems; its base name is the environment name. */
export function parseEnvironment(file: string, text: string): { environment: Environment } | { problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);

  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({ file, key: '', line: lineAt(e.pos[0]), message: `not valid YAML: ${e.message.split('\n')[0]}` })),
    };
  }
  const data: unknown = doc.toJS() ?? {};
  // The file as written: validation fills in defaults, and some keys are refused only when written.
  const written: unknown = doc.toJS() ?? {};
  if (!validate(data)) {
    return { problems: (validate.errors ?? []).map((e) => schemaProblem(file, doc, e, lineAt)) };
  }
  const settings = data as EnvironmentSettings;
  const name = path.basename(file, '.yaml');
  const problems = checkEnvironmentRules(settings, written).map((r) => ({
    file,
    key: r.key,
    line: lineAt(nodeOffset(doc, r.key.split('.'))),
    message: r.message,
  }));
  if (problems.length > 0) return { problems };
  return { environment: { ...settings, name, file } };
}

function schemaProblem(file: string, doc: Document, e: ErrorObject, lineAt: (o: number | undefined) => number | undefined): ConfigProblem {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = (extra?: string) => [...segments, ...(extra === undefined ? [] : [extra])].join('.');
  switch (e.keyword) {
    case 'additionalProperties': {
      const unknown = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).join(', ');
      return { file, key: key(unknown), line: lineAt(keyOffset(doc, segments, unknown)), message: `unknown key (allowed here: ${allowed})` };
    }
    case 'required':
      return { file, key: key(String(e.params.missingProperty)), line: lineAt(nodeOffset(doc, segments)), message: 'is required' };
    case 'enum':
      return { file, key: key(), line: lineAt(nodeOffset(doc, segments)), message: `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return { file, key: key(), line: lineAt(nodeOffset(doc, segments)), message: `${JSON.stringify(valueAt(doc, segments))} is not valid: ${describe(e)}` };
    default:
      return { file, key: key(), line: lineAt(nodeOffset(doc, segments)), message: e.message ?? e.keyword };
  }
}

function describe(e: ErrorObject): string {
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  return description ?? `must match ${String(e.params.pattern)}`;
}

function valueAt(doc: Document, segments: string[]): unknown {
  const node = doc.getIn(segments, true);
  return isScalar(node) ? node.value : node;
}

function nodeOffset(doc: Document, segments: string[]): number | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return range[0];
  }
  return undefined;
}

function keyOffset(doc: Document, parent: string[], key: string): number | undefined {
  const map = parent.length === 0 ? doc.contents : doc.getIn(parent, true);
  if (isMap(map)) {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (range) return range[0];
  }
  return nodeOffset(doc, parent);
}

export { ConfigError };

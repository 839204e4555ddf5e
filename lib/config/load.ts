import * as fs from 'fs';
import * as path from 'path';
import { ErrorObject } from 'ajv';
import { Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { Environment, EnvironmentSettings } from '../../config/schema';
import { decodeUtf8, INPUT_LIMITS, nestingProblem, structureProblems } from './input';
import { ENVIRONMENT_FILE_EXTENSION, fileNameProblem } from './names';
import { ConfigError, ConfigProblem, formatProblem } from './problems';
import { checkAcrossEnvironments, checkEnvironment, environmentWarnings } from './constraints';
import { resolveTierDefaults } from './tier-policy';
import { environmentValidator } from './validator';

/** Where the environment files live, relative to the project root. */
export const ENVIRONMENTS_DIR = path.join('config', 'environments');

const validate = environmentValidator();

/** The environment names in `config/environments/`, sorted, and what else is wrong in that folder. */
export function scanEnvironments(root: string): { names: string[]; problems: ConfigProblem[] } {
  const names: string[] = [];
  const problems: ConfigProblem[] = [];
  const dir = path.join(root, ENVIRONMENTS_DIR);
  for (const entry of fs.readdirSync(dir).sort()) {
    const file = path.join(ENVIRONMENTS_DIR, entry);
    const problem = fileNameProblem(entry) ?? (fs.statSync(path.join(dir, entry)).isFile() ? undefined : `is not a file: ${ENVIRONMENTS_DIR}/ holds only <environment>.yaml files`);
    if (problem) problems.push({ file, key: '', message: problem });
    else names.push(entry.slice(0, -ENVIRONMENT_FILE_EXTENSION.length));
  }
  return { names, problems };
}

/**
 * Reads, validates and fills defaults for every environment file, and returns
 * the named ones (all by default). Every file is checked even when only some
 * are asked for, so that a bad file or a constraint across files (two environments
 * in one namespace) fails every command alike. Throws one ConfigError listing
 * every problem in every file.
 */
export function loadEnvironments(root: string, names?: readonly string[], warn: (message: string) => void = (m) => console.error(m)): Environment[] {
  const { names: known, problems } = scanEnvironments(root);
  for (const name of names ?? []) {
    if (!known.includes(name)) problems.push({ file: ENVIRONMENTS_DIR, key: '', message: `no such environment ${JSON.stringify(name)} (known: ${known.join(', ')})` });
  }
  const environments: Environment[] = [];
  const warnings: ConfigProblem[] = [];
  for (const name of known) {
    const file = path.join(ENVIRONMENTS_DIR, `${name}${ENVIRONMENT_FILE_EXTENSION}`);
    const result = readEnvironment(root, file);
    if ('problems' in result) problems.push(...result.problems);
    else {
      environments.push(result.environment);
      warnings.push(...result.warnings);
    }
  }
  problems.push(...checkAcrossEnvironments(environments));
  if (problems.length > 0) throw new ConfigError(problems);
  for (const w of warnings) if (!names || names.includes(path.basename(w.file, ENVIRONMENT_FILE_EXTENSION))) warn(`warning: ${formatProblem(w)}`);
  return names ? environments.filter((e) => names.includes(e.name)) : environments;
}

/** A valid file (with what deserves a warning), or its problems. */
export type Parsed = { environment: Environment; warnings: ConfigProblem[] } | { problems: ConfigProblem[] };

/** Reads one file within the input bounds (size, encoding), then parses it. */
function readEnvironment(root: string, file: string): Parsed {
  const fail = (message: string, line?: number) => ({ problems: [{ file, key: '', line, message }] });
  try {
    const absolute = path.join(root, file);
    const size = fs.statSync(absolute).size;
    if (size > INPUT_LIMITS.fileBytes) return fail(`is ${size} bytes; an environment file may have at most ${INPUT_LIMITS.fileBytes}`);
    const decoded = decodeUtf8(fs.readFileSync(absolute));
    if ('invalidAt' in decoded) return fail(`is not UTF-8 text: byte ${decoded.invalidAt.byte} is not valid UTF-8`, decoded.invalidAt.line);
    return parseEnvironment(file, decoded.text);
  } catch (e) {
    return fail(`cannot be read: ${(e as Error).message}`);
  }
}

/**
 * Validates the text of one environment file. `file` names it in problems;
 * its base name is the environment name. Linear in the size of the text, and
 * at most INPUT_LIMITS.problems problems are listed.
 */
export function parseEnvironment(file: string, text: string): Parsed {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const fail = (problems: ConfigProblem[]) => ({ problems: capProblems(file, problems) });

  const tooDeep = nestingProblem(text);
  if (tooDeep) return fail([{ file, key: '', line: tooDeep.line, message: tooDeep.message }]);
  // Duplicate keys are found below in one pass: the parser's own check (uniqueKeys) is quadratic in the keys of a map.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return fail(doc.errors.map((e) => ({ file, key: '', line: lineAt(e.pos[0]), message: `not valid YAML: ${e.message.split('\n')[0]}` })));
  }
  const structure = structureProblems(doc);
  if (structure.length > 0) return fail(structure.map((p) => ({ file, key: p.key, line: lineAt(p.offset), message: p.message })));
  let data: unknown;
  // The file as written: validation fills in defaults, and some keys are refused only when written.
  let written: unknown;
  try {
    data = doc.toJS({ maxAliasCount: INPUT_LIMITS.aliasExpansion }) ?? {};
    written = doc.toJS({ maxAliasCount: INPUT_LIMITS.aliasExpansion }) ?? {};
  } catch (e) {
    // yaml throws a ReferenceError for an alias bomb ("Excessive alias count").
    return fail([{ file, key: '', message: `not valid YAML: ${(e as Error).message} (aliases may expand to at most ${INPUT_LIMITS.aliasExpansion} nodes)` }]);
  }
  if (!validate(data)) {
    // propertyNames reports each bad key twice (its pattern, then "property name must be valid"): keep the first.
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'propertyNames');
    return fail(errors.slice(0, INPUT_LIMITS.problems + 1).map((e) => schemaProblem(file, doc, e, lineAt)));
  }
  const settings = data as EnvironmentSettings;
  const name = path.basename(file, ENVIRONMENT_FILE_EXTENSION);
  const environment: Environment = resolveTierDefaults({ ...settings, name, file });
  const problems = checkEnvironment(environment, written).map((r) => ({
    file,
    key: r.key,
    line: lineAt(nodeOffset(doc, r.key.split('.'))),
    message: r.message,
  }));
  if (problems.length > 0) return fail(problems);
  const warnings = environmentWarnings(environment).map((w) => ({ file, key: w.key, line: lineAt(nodeOffset(doc, w.key.split('.'))), message: w.message }));
  return { environment, warnings };
}

function capProblems(file: string, problems: ConfigProblem[]): ConfigProblem[] {
  if (problems.length <= INPUT_LIMITS.problems) return problems;
  return [...problems.slice(0, INPUT_LIMITS.problems), { file, key: '', message: `… and more problems: only the first ${INPUT_LIMITS.problems} are listed` }];
}

function schemaProblem(file: string, doc: Document, e: ErrorObject, lineAt: (o: number | undefined) => number | undefined): ConfigProblem {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = (extra?: string) => [...segments, ...(extra === undefined ? [] : [extra])].join('.');
  // A map key that fails propertyNames (labels, annotations): ajv names it in propertyName.
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    return { file, key: key(propertyName), line: lineAt(keyOffset(doc, segments, propertyName)), message: `${shown(propertyName)} is not a valid key: ${describe(e)}` };
  }
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
      return { file, key: key(), line: lineAt(nodeOffset(doc, segments)), message: `${shown(valueAt(doc, segments))} is not valid: ${describe(e)}` };
    case 'type': {
      const value = valueAt(doc, segments);
      const plain = (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
      const hint = e.params.type === 'string' && plain ? ` (quote it: "${String(value)}")` : '';
      return { file, key: key(), line: lineAt(nodeOffset(doc, segments)), message: `must be ${String(e.params.type)}${hint}` };
    }
    default:
      return { file, key: key(), line: lineAt(nodeOffset(doc, segments)), message: e.message ?? e.keyword };
  }
}

/** A value as the messages show it: JSON, cut after 80 characters (a file may hold megabytes in one string). */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
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

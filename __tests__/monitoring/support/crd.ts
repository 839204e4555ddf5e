import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { ROOT } from '../../support/env';

type Schema = Record<string, unknown>;

/**
 * Rejects unknown fields like the API server does for a structural CRD schema:
 * every object schema with `properties` gets `additionalProperties: false`
 * unless it preserves unknown fields.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const s = Object.fromEntries(Object.entries(schema as Schema).map(([k, v]) => [k, k === 'properties' ? mapValues(v as Schema) : strict(v)]));
  // Go's RE2 inline flag; JavaScript has no inline flags.
  if (typeof s.pattern === 'string') s.pattern = s.pattern.replace(/\(\?i\)/g, '');
  if (s.properties && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) s.additionalProperties = false;
  return s;
}

function mapValues(props: Schema): Schema {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, strict(v)]));
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

/** `group/version Kind` → its compiled schema, or why there is none: each CRD is parsed and compiled once per test file. */
const validators = new Map<string, ValidateFunction | string>();

/** The validator of a CRD version. Only the head of each file (up to `versions:`) is read to find the CRD of the kind. */
function validatorOf(group: string, version: string, kind: string): ValidateFunction | string {
  const key = `${group}/${version} ${kind}`;
  let found = validators.get(key);
  if (found) return found;
  found = `no CRD for ${group}/${version} ${kind} in schemas/crds/`;
  const dir = path.join(ROOT, 'schemas', 'crds');
  for (const file of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const head = parse(text.slice(0, text.search(/^ {2}versions:/m)));
    if (head?.spec?.group !== group || head.spec.names.kind !== kind) continue;
    const v = parse(text).spec.versions.find((x: { name: string }) => x.name === version);
    found = v ? ajv.compile(strict(v.schema.openAPIV3Schema) as Schema) : `${file} has no version ${version}`;
    break;
  }
  validators.set(key, found);
  return found;
}

/** Errors of an object against the CRD of its kind in schemas/crds/ (empty when valid). */
export function crdErrors(object: { apiVersion: string; kind: string }): string[] {
  const [group, version] = object.apiVersion.split('/');
  const validate = validatorOf(group, version, object.kind);
  if (typeof validate === 'string') return [validate];
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

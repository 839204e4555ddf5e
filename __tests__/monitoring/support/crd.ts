import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
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

/** Errors of an object against the CRD of its kind in schemas/crds/ (empty when valid). */
export function crdErrors(object: { apiVersion: string; kind: string }): string[] {
  const [group, version] = object.apiVersion.split('/');
  const dir = path.join(ROOT, 'schemas', 'crds');
  for (const file of fs.readdirSync(dir)) {
    const crd = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (crd?.spec?.group !== group || crd.spec.names.kind !== object.kind) continue;
    const v = crd.spec.versions.find((x: { name: string }) => x.name === version);
    if (!v) return [`${file} has no version ${version}`];
    const validate = ajv.compile(strict(v.schema.openAPIV3Schema) as Schema);
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
  return [`no CRD for ${object.apiVersion} ${object.kind} in schemas/crds/`];
}

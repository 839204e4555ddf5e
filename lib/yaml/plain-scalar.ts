import { isScalar, Schema } from 'yaml';
import { goYamlV2Plain, GoYamlReading } from './go-yaml-v2';

/**
 * What a reader makes of a plain (unquoted, untagged) scalar. Besides JSON
 * values, YAML 1.1 has timestamps, merge keys (`<<`) and the value indicator (`=`).
 */
export type Reading =
  | GoYamlReading
  | { readonly type: 'timestamp' }
  /** YAML 1.1's value type (https://yaml.org/type/value.html): PyYAML resolves a plain `=` to it and cannot construct it. */
  | { readonly type: 'value' };

const STR: Reading = { type: 'str' };
const YAML_1_1 = new Schema({ schema: 'yaml-1.1' });
const YAML_1_2_CORE = new Schema({});

/**
 * The YAML 1.1 type repository (what PyYAML, Ruby's Psych and the YAML 1.1
 * spec read): the `yaml` package's own yaml-1.1 schema, plus `=`, which it
 * leaves a string.
 */
export function yaml11Plain(text: string, asKey = false): Reading {
  if (text === '=') return { type: 'value' };
  for (const tag of YAML_1_1.tags) {
    if (!('test' in tag) || !tag.test || !tag.default || (tag.default === 'key' && !asKey)) continue;
    if (!tag.test.test(text)) continue;
    switch (tag.tag) {
      case 'tag:yaml.org,2002:merge':
        return { type: 'merge' };
      case 'tag:yaml.org,2002:timestamp':
        return { type: 'timestamp' };
      case 'tag:yaml.org,2002:null':
        return { type: 'null' };
      case 'tag:yaml.org,2002:str':
        return STR;
      default: {
        const resolved: unknown = tag.resolve(text, () => undefined, {});
        const value = isScalar(resolved) ? resolved.value : resolved; // its booleans resolve to Scalar nodes
        if (typeof value === 'boolean') return { type: 'bool', value };
        if (typeof value === 'number' || typeof value === 'bigint') return numberReading(value);
        return STR;
      }
    }
  }
  return STR;
}

/** A value as our YAML 1.2 reader (the `yaml` package, core schema) gave it. */
export function readingOf(value: unknown): Reading {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'number' || typeof value === 'bigint') return numberReading(value);
  return STR;
}

function numberReading(value: number | bigint): Reading {
  if (typeof value === 'bigint') return { type: 'int', value: Number(value), exact: value };
  return Number.isInteger(value) ? { type: 'int', value, exact: BigInt(value) } : { type: 'float', value };
}

/** Whether two readings of the same plain text give the same value (numbers compare by value: JSON has one number type). */
export function sameReading(a: Reading, b: Reading): boolean {
  if (a.type === 'str' || b.type === 'str') return a.type === b.type;
  if ('value' in a && 'value' in b) {
    if (typeof a.value === 'number' && typeof b.value === 'number') return Object.is(a.value, b.value) || a.value === b.value;
    return a.value === b.value;
  }
  return a.type === b.type;
}

/** `boolean true`, `the integer 15`, `the string "1:30"`, ... for messages. */
export function describeReading(text: string, r: Reading): string {
  switch (r.type) {
    case 'str':
      return `the string ${JSON.stringify(text)}`;
    case 'null':
      return 'null';
    case 'bool':
      return `boolean ${r.value}`;
    case 'int':
      return `the integer ${r.value}`;
    case 'float':
      return `the float ${r.value}`;
    case 'timestamp':
      return 'a timestamp';
    case 'merge':
      return 'a merge key (its value is merged into the mapping)';
    case 'value':
      return 'the value indicator (a type PyYAML cannot load)';
  }
}

/**
 * Whether a plain scalar `text` reads as that very string under every reader:
 * YAML 1.2 core, the YAML 1.1 types and Kubernetes' go-yaml v2.
 */
export function readsAsStringEverywhere(text: string, asKey = false): boolean {
  const core = YAML_1_2_CORE.tags.some((t) => 'test' in t && t.default === true && t.tag !== 'tag:yaml.org,2002:str' && t.test?.test(text));
  return !core && yaml11Plain(text, asKey).type === 'str' && goYamlV2Plain(text, asKey).type === 'str';
}

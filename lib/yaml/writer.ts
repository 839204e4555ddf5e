import { Document, Schema } from 'yaml';
import { readsAsStringEverywhere } from './plain-scalar';
import { doubleQuoted, DOCUMENT_MARKER, literalBlock, quoted } from './scalar-styles';

/**
 * Deterministic YAML (no line folding, no anchors, keys in the order the
 * constructs wrote them) that means the same to every reader.
 *
 * We read YAML 1.2; Kubernetes and Argo CD read YAML 1.1 through
 * sigs.k8s.io/yaml (go-yaml v2), where a plain `yes`, `no`, `on`, `~`,
 * `1_000` or `017` is not a string. So a string is quoted whenever a plain
 * scalar would read differently under any of them: what the `yaml` package
 * quotes with `compat: 'yaml-1.1'` (its YAML 1.2 core and 1.1 types:
 * booleans, sexagesimals, octals, underscores, timestamps, `<<`), plus what
 * `readsAsStringEverywhere` finds: what go-yaml v2 reads beyond the spec
 * (`0X1F`, `0O17`, `-0o17`; see lib/yaml/go-yaml-v2.ts) and YAML 1.1's `=`.
 * The real readers check the result in __tests__/yaml/.
 *
 * The bytes are those the `yaml` package (2.9.1) writes for
 * `new Document(value, { compat: 'yaml-1.1' })` with those strings
 * double-quoted and `toString({ lineWidth: 0, blockQuote: 'literal' })`,
 * which is how dist/ was written before (building that Document was a third
 * of a synth), except for strings holding a character of ESCAPED that the
 * package wrote raw, where Kubernetes refused the file or read another string,
 * and one-line strings with a tab that it wrote plain, which PyYAML refuses.
 * This writes JSON-shaped data (plain objects, arrays, strings,
 * numbers, booleans, null) straight to text, with the package's scalar
 * styles ported in lib/yaml/scalar-styles.ts;
 * `__tests__/yaml/writer-identical.test.ts` proves the bytes equal on dist/
 * and on a corpus of awkward values.
 */
export function toYaml(value: unknown): string {
  if (!isCollection(value)) throw new TypeError(`toYaml writes a mapping or a sequence, not ${describe(value)}`);
  const out: string[] = [];
  collection(value, '', out, '$');
  out.push('\n');
  return out.join('');
}

/** The `yaml` package writes keys this long as explicit keys (`? key`), which nothing we write needs. */
const IMPLICIT_KEY_MAX_LENGTH = 1024;
/** Each level is indented by two spaces; a sequence under a key is indented too (`indentSeq`). */
const INDENT_STEP = '  ';

type Collection = readonly unknown[] | { readonly [key: string]: unknown };

function isCollection(value: unknown): value is Collection {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  // A plain object's prototype is Object.prototype, of whichever realm made it (structuredClone and jest's
  // sandbox are two realms), so it is recognized by having no prototype itself; a class instance's has one.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== null && Object.getPrototypeOf(prototype) !== null) throw new TypeError(`toYaml writes JSON-shaped data, not ${describe(value)}`);
  return true;
}

/** Empty, as the `yaml` package sees it: a mapping's undefined values are left out. */
const isEmpty = (c: Collection) => (Array.isArray(c) ? c.length === 0 : !Object.values(c).some((v) => v !== undefined));

/** A non-empty collection at `indent` (its first line is where the caller left off), or `[]`/`{}`. */
function collection(value: Collection, indent: string, out: string[], path: string): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return void out.push('[]');
    const itemIndent = indent + INDENT_STEP;
    for (let i = 0; i < value.length; i++) {
      out.push(i === 0 ? '- ' : `\n${indent}- `);
      // An undefined item is written as null, as JSON.stringify does.
      item(value[i] === undefined ? null : value[i], itemIndent, out, `${path}[${i}]`);
    }
    return;
  }
  let first = true;
  const pairIndent = indent + INDENT_STEP;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (!first) out.push(`\n${indent}`);
    first = false;
    const k = keyScalar(key, pairIndent);
    if (k.length > IMPLICIT_KEY_MAX_LENGTH) throw new TypeError(`toYaml: the key at ${path} is longer than ${IMPLICIT_KEY_MAX_LENGTH} characters`);
    out.push(k, ':');
    if (isCollection(v) && !isEmpty(v)) {
      out.push(`\n${pairIndent}`);
      collection(v, pairIndent, out, `${path}.${key}`);
    } else {
      const s = isCollection(v) ? (Array.isArray(v) ? '[]' : '{}') : scalar(v, pairIndent, `${path}.${key}`);
      out.push(s === '' || s[0] === '\n' ? '' : ' ', s);
    }
  }
  if (first) out.push('{}');
}

/** A sequence item: a collection starts on the dash's line. */
function item(value: unknown, indent: string, out: string[], path: string): void {
  if (isCollection(value)) collection(value, indent, out, path);
  else out.push(scalar(value, indent, path));
}

function scalar(value: unknown, indent: string, path: string): string {
  switch (typeof value) {
    case 'string':
      return value.includes('\n') ? multiLineValue(value, indent) : oneLine(value, false);
    case 'number':
      // stringifyNumber.js
      if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
  }
  throw new TypeError(`toYaml writes JSON-shaped data: ${path} is ${describe(value)}`);
}

function keyScalar(key: string, indent: string): string {
  if (key.includes('\n')) return ESCAPED.test(key) ? doubleQuoted(key, true, indent) : quoted(key, true, indent);
  // A key at the top level that looks like a document marker is quoted (stringifyString.js plainString).
  if (indent === INDENT_STEP && DOCUMENT_MARKER.test(key) && readsAsStringEverywhere(key, true) && !ESCAPED.test(key)) return quoted(key, true, indent);
  return oneLine(key, true);
}

/** Multi-line strings are literal blocks, which every reader takes as strings, unless they hold characters written escaped. */
function multiLineValue(value: string, indent: string): string {
  return ESCAPED.test(value) ? doubleQuoted(value, false, indent) : literalBlock(value, indent);
}

/**
 * Characters written only escaped, in double quotes: control characters and
 * unpaired surrogates (the `yaml` package's rule, stringifyString.js), and
 * what it would write raw although YAML 1.1 readers cannot take it raw:
 * go-yaml v2 refuses U+007F-U+0084, U+0086-U+009F, U+FFFE and U+FFFF in a file
 * ("control characters are not allowed": readerc.go yaml_parser_update_buffer)
 * and, like PyYAML, reads U+0085, U+2028 and U+2029 as line breaks
 * (yamlprivateh.go is_break), which fold into a space or end the line.
 * doubleQuoted escapes them (`\x7f`, `\N`, `\L`, `\P`).
 */
const ESCAPED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}\u2028\u2029\uFFFE\uFFFF]/u;
/** What cannot start, end or appear in a plain scalar (stringifyString.js plainString). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/**
 * A one-line string as a key or a value, remembered: the same keys and values
 * (labels, ports, names) recur in every object of every environment.
 * Bounded, for long-lived processes.
 */
const oneLineCache = new Map<string, string>();
const CACHE_LIMIT = 100_000;

function oneLine(text: string, asKey: boolean): string {
  const cacheKey = asKey ? `k${text}` : `v${text}`;
  let written = oneLineCache.get(cacheKey);
  if (written === undefined) {
    written = writeOneLine(text, asKey);
    if (oneLineCache.size >= CACHE_LIMIT) oneLineCache.clear();
    oneLineCache.set(cacheKey, written);
  }
  return written;
}

/**
 * The `yaml` package's decisions for a one-line string (its indentation does
 * not matter), in its order; then one of ours: a tab is never left in a plain
 * scalar, since PyYAML (docker-compose 1.x) refuses it there ("found character
 * '\t' that cannot start any token": yaml/scanner.py scan_plain ends the scalar at
 * a tab, and scan_plain_spaces skips spaces only), where the
 * package would write it plain.
 */
function writeOneLine(text: string, asKey: boolean): string {
  if (!readsAsStringEverywhere(text, asKey) || ESCAPED.test(text)) return doubleQuoted(text, asKey, INDENT_STEP);
  if (NOT_PLAIN.test(text) || libraryTypesPlain(text)) return quoted(text, asKey, INDENT_STEP);
  if (text.includes('\t')) return doubleQuoted(text, asKey, INDENT_STEP);
  return text;
}

/** The schema the `yaml` package stringified with: YAML 1.2 core tags, and the YAML 1.1 ones as `compat`. */
const SCHEMA: Schema = new Document(null, { compat: 'yaml-1.1' }).schema;
const TYPED_TAGS = [...SCHEMA.tags, ...(SCHEMA.compat ?? [])].filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && 'test' in t && t.test);

/** stringifyString.js plainString's `actualString` test: a plain scalar that one of the schema's other types would claim. */
function libraryTypesPlain(text: string): boolean {
  return TYPED_TAGS.some((t) => 'test' in t && t.test!.test(text));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object without prototype'}`;
  return `a ${typeof value}`;
}

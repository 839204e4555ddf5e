/**
 * How Kubernetes types a plain (unquoted, untagged) YAML scalar.
 *
 * kubectl, the API server and Argo CD read manifests with sigs.k8s.io/yaml,
 * which decodes with gopkg.in/yaml.v2 (YAML 1.1 rules) and then converts to
 * JSON. This is a port of go-yaml v2.4.0 `resolve()` (resolve.go) for an
 * untagged plain scalar, including its use of Go's strconv.ParseInt,
 * ParseUint and ParseFloat, and of sigs.k8s.io/yaml 1.3.0 `yaml.go`
 * (convertToJSONableObject) for map keys. `__tests__/yaml/go-yaml-v2.test.ts`
 * checks it against the real Go code, built from Debian's sources.
 *
 * It differs from the YAML 1.1 specification in places (so the `yaml`
 * package's yaml-1.1 schema alone is not enough): `0X1F`, `0O17`, `-0o17`
 * and `0B1` are integers; `1:30` (sexagesimal) and `2001-12-14`
 * (timestamps, kept as strings when decoding into interface{}) are strings;
 * underscores are dropped anywhere in a number (`1__`, `1_0.5e3`).
 */
export type GoYamlReading =
  | { readonly type: 'str' }
  | { readonly type: 'null' }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: number; readonly exact: bigint; /** go-yaml gave a uint64 (above the int64 range). */ readonly unsigned?: true }
  | { readonly type: 'float'; readonly value: number }
  /** `<<` as a map key: go-yaml merges the value into the map (decode.go `isMerge`). */
  | { readonly type: 'merge' };

/** resolve.go `resolveMap`. */
const RESOLVE_MAP: ReadonlyMap<string, GoYamlReading> = new Map<string, GoYamlReading>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s): [string, GoYamlReading] => [s, { type: 'bool', value: true }]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s): [string, GoYamlReading] => [s, { type: 'bool', value: false }]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s): [string, GoYamlReading] => [s, { type: 'null' }]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, GoYamlReading] => [s, { type: 'float', value: NaN }]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, GoYamlReading] => [s, { type: 'float', value: Infinity }]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, GoYamlReading] => [s, { type: 'float', value: -Infinity }]),
]);

/** resolve.go `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const STR: GoYamlReading = { type: 'str' };

/** How go-yaml v2 (so Kubernetes) reads a plain scalar; `asKey` for a mapping key. */
export function goYamlV2Plain(text: string, asKey = false): GoYamlReading {
  if (asKey && text === '<<') return { type: 'merge' };
  const known = RESOLVE_MAP.get(text);
  // resolveTable: only scalars starting with a sign, a digit, '.' or one of "yYnNtTfFoO~" can be anything but a string.
  const hint = text === '' ? 'M' : /[-+]/.test(text[0]) ? 'S' : /[0-9]/.test(text[0]) ? 'D' : text[0] === '.' ? '.' : 'yYnNtTfFoO~'.includes(text[0]) ? 'M' : undefined;
  if (hint === undefined) return STR;
  if (known) return known;
  if (hint === 'M') return STR;
  if (hint === '.') {
    const value = goParseFloat(text);
    return value === undefined ? STR : { type: 'float', value };
  }
  // Timestamps (yyyy-...) are tried first, but decode into interface{} as their original string: nothing to do here.
  const plain = text.replace(/_/g, '');
  const int = integer(goParseInt(plain, 0), goParseUint(plain, 0));
  if (int) return int;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Number.isFinite(value)) return { type: 'float', value }; // Go reports overflow as an error: then it is a string
  }
  if (plain.startsWith('0b')) return integer(goParseInt(plain.slice(2), 2), goParseUint(plain.slice(2), 2)) ?? STR;
  if (plain.startsWith('-0b')) return integer(goParseInt(`-${plain.slice(3)}`, 2), undefined) ?? STR;
  return STR;
}

/** go-yaml's order: an int64 if ParseInt succeeds, else a uint64 if ParseUint does. */
function integer(signed: bigint | undefined, unsigned: bigint | undefined): GoYamlReading | undefined {
  if (signed !== undefined) return { type: 'int', value: Number(signed), exact: signed };
  if (unsigned !== undefined) return { type: 'int', value: Number(unsigned), exact: unsigned, unsigned: true };
  return undefined;
}

/** The JSON key sigs.k8s.io/yaml makes of a map key go-yaml read as `reading` (undefined: it rejects the key). */
export function jsonKeyOf(text: string, reading: GoYamlReading): string | undefined {
  switch (reading.type) {
    case 'str':
    case 'merge':
      return text;
    case 'bool':
      return String(reading.value);
    case 'int':
      // sigs.k8s.io/yaml converts int and int64 keys, not uint64 ones.
      return reading.unsigned ? undefined : reading.exact.toString();
    case 'float':
      // strconv.FormatFloat(f, 'g', -1, 32), with go-yaml's names for the special values.
      if (Number.isNaN(reading.value)) return '.nan';
      if (!Number.isFinite(reading.value)) return reading.value > 0 ? '.inf' : '-.inf';
      return formatFloat32(reading.value);
    case 'null':
      return undefined; // "Unsupported map key of type: <nil>"
  }
}

/** Go's strconv.FormatFloat(f, 'g', -1, 32): shortest representation of the float32 nearest to f. */
function formatFloat32(f: number): string {
  const single = Math.fround(f);
  if (!Number.isFinite(single)) return single > 0 ? '.inf' : '-.inf';
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) {
      const exponent = Math.floor(Math.log10(Math.abs(candidate)));
      // 'g' with the shortest precision switches to %e below 1e-4 and from 1e6 up (strconv/ftoa.go).
      if (candidate !== 0 && (exponent < -4 || exponent >= 6)) {
        const [mantissa, exp] = candidate.toExponential().split('e');
        const e = Number(exp);
        return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
      }
      return String(candidate);
    }
  }
  return String(single);
}

const INT64_LIMIT = 2n ** 63n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseUint(s, base, 64) for base 0 (prefixes 0b/0o/0x, a leading 0 means octal) or 2; undefined on any error. */
function goParseUint(s: string, base: 0 | 2): bigint | undefined {
  if (s === '') return undefined;
  let radix = base === 0 ? 10 : base;
  let digits = s;
  if (base === 0 && s[0] === '0') {
    const prefix = s.length >= 3 ? s[1].toLowerCase() : '';
    radix = prefix === 'b' ? 2 : prefix === 'x' ? 16 : 8;
    digits = prefix === 'b' || prefix === 'o' || prefix === 'x' ? s.slice(2) : s.slice(1);
  }
  let n = 0n;
  for (const c of digits) {
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= radix) return undefined;
    n = n * BigInt(radix) + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return n;
}

/** strconv.ParseInt(s, base, 64): an optional sign, then ParseUint; undefined on any error (syntax or range). */
function goParseInt(s: string, base: 0 | 2): bigint | undefined {
  if (s === '') return undefined;
  const negative = s[0] === '-';
  const unsigned = goParseUint(s[0] === '+' || s[0] === '-' ? s.slice(1) : s, base);
  if (unsigned === undefined) return undefined;
  if (negative ? unsigned > INT64_LIMIT : unsigned >= INT64_LIMIT) return undefined;
  return negative ? -unsigned : unsigned;
}

/**
 * strconv.ParseFloat(s, 64) for what go-yaml passes it unfiltered: scalars
 * starting with '.'. Underscores must sit between digits (strconv's
 * underscoreOK); overflow is an error.
 */
function goParseFloat(s: string): number | undefined {
  if (!underscoresBetweenDigits(s)) return undefined;
  const plain = s.replace(/_/g, '');
  if (!/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(plain)) return undefined;
  const value = Number(plain);
  return Number.isFinite(value) ? value : undefined;
}

function underscoresBetweenDigits(s: string): boolean {
  return !/(^|[^0-9])_|_([^0-9]|$)/.test(s);
}

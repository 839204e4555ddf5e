import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

/** Plain scalars that YAML readers are known to disagree on, from the YAML 1.1 type repository, go-yaml v2's resolve.go and Go's strconv. */
export const TRICKY_SCALARS: readonly string[] = [
  // booleans (YAML 1.1, go-yaml v2)
  'y', 'Y', 'yes', 'Yes', 'YES', 'yEs', 'n', 'N', 'no', 'No', 'NO', 'nO', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE',
  // null
  '~', 'null', 'Null', 'NULL', 'nULL',
  // integers: octal, hex, binary, underscores, signs, prefixes in any case
  '0', '00', '017', '08', '09', '0o17', '0O17', '-0o17', '+0o17', '0o8', '0x1F', '0X1F', '-0x1F', '+0x1f', '0x', '0xG', '0b101', '0B101', '-0b101', '0b', '0b2', '0b-101', '0b+1',
  '1_000', '1__', '_1', '1_', '0_7', '0x_1F', '0_x1F', '+1', '-1', '+', '+-1', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '18446744073709551615', '18446744073709551616', '99999999999999999999',
  // floats
  '1.0', '1.', '.5', '+.5', '-.5', '.5.', '1e3', '1E3', '1e+3', '1.5e-3', '1e', 'e3', '.e3', '1_0.5e3', '1.5_0', '.5_0', '._5', '.5e_3', '1e400', '-1e400', '.5e400', '1.7976931348623157e308',
  '.inf', '.Inf', '.INF', '.iNf', '+.inf', '-.inf', '-.Inf', 'inf', 'Infinity', '+inf', '.nan', '.NaN', '.NAN', 'nan', 'NaN',
  // sexagesimal, timestamps
  '1:30', '190:20:30', '1:30.5', '-1:30', '1:60', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2001-1-1',
  // YAML 1.1 value and merge indicators
  '=', '<<',
  // ordinary strings that must stay plain
  'foo', '1.4.2', '200mb', 'allkeys-lru', 'redis-server', '0 3 * * *', 'v1', 'sha256:abc', 'Etc/UTC', 'x=1', 'a<<b',
];

/** Every string of up to `length` characters from `alphabet`, in a fixed order. */
export function generated(alphabet: string, length: number): string[] {
  let level = [''];
  const all: string[] = [];
  for (let i = 0; i < length; i++) {
    level = level.flatMap((prefix) => [...alphabet].map((c) => prefix + c));
    all.push(...level);
  }
  return all;
}

/** A short bounded sweep of the characters numbers, booleans and nulls are made of. */
export const SWEPT_SCALARS = generated('018x_.+-:eEoObByYnN~', 3);

/** Whether `- <text>` (as a value) or `- <text>: 0` (as a key) is a one-item sequence holding exactly that plain scalar. */
export function isPlainScalar(text: string, asKey: boolean): boolean {
  if (text === '' || /\s/.test(text)) return false;
  const doc = parseDocument(`- ${text}${asKey ? ': 0' : ''}\n`, { version: '1.2' });
  if (doc.errors.length > 0 || !isSeq(doc.contents) || doc.contents.items.length !== 1) return false;
  const item = doc.contents.items[0];
  const scalar = asKey ? (isMap(item) && item.items.length === 1 ? item.items[0].key : undefined) : item;
  return isScalar(scalar) && scalar.type === 'PLAIN' && scalar.tag === undefined && scalar.source === text;
}

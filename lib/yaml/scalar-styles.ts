/**
 * The quoted and block styles of a string, as the `yaml` package (2.9.1,
 * `dist/stringify/stringifyString.js`) writes them with the options dist/ was
 * always written with: `lineWidth: 0` (nothing is folded: its foldFlowLines
 * returns the text as it is), `blockQuote: 'literal'`, `singleQuote: null`,
 * `doubleQuotedMinMultiLineLength: 40`, no comments. A port, so that
 * lib/yaml/writer.ts writes the same bytes without building a Document;
 * `__tests__/yaml/writer-identical.test.ts` compares both on dist/ and on a
 * corpus of awkward strings. `indent` is the indentation of the node
 * (never '' here: the writer writes collections only, so every string sits
 * inside one). One departure, in doubleQuoted: characters YAML 1.1 readers
 * cannot read raw are escaped.
 */

/** A line starting with %, --- or ... would read as a directive or a document marker. */
export const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/** Where a double-quoted string longer than this has a line break, the package writes it on two lines. */
const DOUBLE_QUOTED_MIN_MULTI_LINE_LENGTH = 40;

/** A quoted string: single quotes when it holds `"` but no `'`, double quotes otherwise (stringifyString.js quotedString). */
export function quoted(value: string, implicitKey: boolean, indent: string): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle ? singleQuoted(value, implicitKey, indent) : doubleQuoted(value, implicitKey, indent);
}

/**
 * stringifyString.js doubleQuotedString: JSON's escapes, YAML's short forms of
 * some, line breaks kept visible in long values. Unlike the package, it also
 * escapes what JSON leaves raw but YAML 1.1 readers refuse or read as a line
 * break (U+007F-U+009F, U+2028, U+2029, U+FFFE, U+FFFF; see ESCAPED in writer.ts).
 */
export function doubleQuoted(value: string, implicitKey: boolean, indent: string): string {
  const json = JSON.stringify(value).replace(RAW_FOR_JSON, yamlEscape);
  if (!json.includes('\\')) return json;
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? '  ' : '');
  let str = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // A space before a line break is escaped so that it is not folded away.
      str += json.slice(start, i) + '\\ ';
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    switch (json[i + 1]) {
      case 'u': {
        str += json.slice(start, i);
        const code = json.substr(i + 2, 4);
        str += SHORT_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.substr(2)}` : json.substr(i, 6));
        i += 5;
        start = i + 1;
        break;
      }
      case 'n':
        if (implicitKey || json[i + 2] === '"' || json.length < DOUBLE_QUOTED_MIN_MULTI_LINE_LENGTH) {
          i += 1;
        } else {
          // The break is written as a line break (folding eats the first one), then the indentation.
          str += `${json.slice(start, i)}\n\n`;
          while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
            str += '\n';
            i += 2;
          }
          str += lineIndent;
          if (json[i + 2] === ' ') str += '\\'; // a space after the break is escaped too
          i += 1;
          start = i + 1;
        }
        break;
      default:
        i += 1;
    }
  }
  return start ? str + json.slice(start) : json;
}

/**
 * YAML's short escapes for what JSON writes as `\u00XX`. The package also
 * maps 0085, 00a0, 2028 and 2029, which JSON.stringify never escapes.
 */
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
};

/** What JSON.stringify leaves raw that YAML 1.1 readers cannot read raw. */
const RAW_FOR_JSON = /[\x7f-\x9f\u2028\u2029\uFFFE\uFFFF]/g;
const LINE_BREAK_ESCAPES: Readonly<Record<string, string>> = { '\x85': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

function yamlEscape(c: string): string {
  const code = c.charCodeAt(0);
  return LINE_BREAK_ESCAPES[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** stringifyString.js singleQuotedString. */
function singleQuoted(value: string, implicitKey: boolean, indent: string): string {
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) return doubleQuoted(value, implicitKey, indent);
  if (!value.includes('\n')) return `'${value.replace(/'/g, "''")}'`;
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? '  ' : '');
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${lineIndent}`)}'`;
}

/** Line breaks before the last line of a block's trailing ones (stringifyString.js blockEndNewlines). */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/**
 * stringifyString.js blockString with `blockQuote: 'literal'`: a `|` block
 * with the chomping indicator its trailing line breaks need, and an
 * indentation indicator when it starts with a space. A value whose last line
 * is only spaces or tabs is quoted instead (a block cannot keep them).
 */
export function literalBlock(value: string, nodeIndent: string): string {
  if (/\n[\t ]+$/.test(value)) return quoted(value, false, nodeIndent);
  const indent = nodeIndent || (DOCUMENT_MARKER.test(value) ? '  ' : '');
  if (!value) return '|\n';
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNewline = end.indexOf('\n');
  // strip (-), keep (+) or clip (no indicator)
  const chomp = endNewline === -1 ? '-' : value === end || endNewline !== end.length - 1 ? '+' : '';
  let body = value;
  if (end) {
    body = body.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startsWithSpace = false;
  let startEnd: number;
  let startNewline = -1;
  for (startEnd = 0; startEnd < body.length; ++startEnd) {
    const ch = body[startEnd];
    if (ch === ' ') startsWithSpace = true;
    else if (ch === '\n') startNewline = startEnd;
    else break;
  }
  let start = body.substring(0, startNewline < startEnd ? startNewline + 1 : startEnd);
  if (start) {
    body = body.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startsWithSpace ? (indent ? '2' : '1') : '') + chomp;
  return `|${header}\n${indent}${start}${body.replace(/\n+/g, `$&${indent}`)}${end}`;
}

import { Finding } from './finding';

const RULE = 'yaml-characters';

/**
 * Characters YAML 1.1 readers refuse raw: go-yaml v2 (sigs.k8s.io/yaml, so
 * Kubernetes and Argo CD) allows only TAB, LF, CR, U+0020-U+007E, U+0085,
 * U+00A0-U+D7FF, U+E000-U+FFFD and above ("control characters are not
 * allowed": gopkg.in/yaml.v2 readerc.go yaml_parser_update_buffer); PyYAML
 * (docker-compose 1.x) the same set ("special characters are not allowed":
 * yaml/reader.py NON_PRINTABLE).
 */
const REFUSED = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;
/** Line breaks to YAML 1.1 readers (go-yaml v2 yamlprivateh.go is_break; PyYAML), but not to YAML 1.2 ones such as ours. */
const LINE_BREAK = /[\x85\u2028\u2029]/;
/** A CR without LF after it: a line break to go-yaml v2 and PyYAML, a character to the yaml package (CRLF is a line break to all). */
const LONE_CR = /\r(?!\n)/;
/** Any of them; within one line (split at LF), a CR is lone unless it ends the line. */
const ANY = new RegExp(`${REFUSED.source}|${LINE_BREAK.source}|${LONE_CR.source}`);
/** A file full of them gets a finding for each of its first lines with one, then one for the rest. */
const MAX_LINES_REPORTED = 20;

/** How lib/yaml/writer.ts writes the character inside double quotes. */
function escaped(c: string): string {
  const short: Record<string, string> = { '\r': '\\r', '\x85': '\\N', '\u2028': '\\L', '\u2029': '\\P' };
  const code = c.charCodeAt(0);
  return short[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

const codePoint = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Rule `yaml-characters`: no character in a YAML file of dist/ that the YAML
 * 1.1 readers of dist/ cannot take raw. One they refuse fails the whole file
 * (Argo CD cannot sync it, docker-compose cannot read it); U+0085, U+2028,
 * U+2029 and a CR without LF are line breaks to them (in a plain or block
 * scalar the value is cut or folded, in a key the mapping breaks) but not to
 * our reader (the yaml package), so no other check would notice. Written escaped in double quotes they are
 * harmless, as `npm run synth` writes them. Lines count LF only, as every
 * other finding's line.
 */
export function checkYamlCharacters(file: string, text: string): Finding[] {
  if (!ANY.test(text)) return [];
  const found = new Map<number, { column: number; characters: Set<string> }>();
  let more = 0;
  const lines = text.split('\n');
  const every = new RegExp(ANY.source, 'g');
  lines.forEach((line, index) => {
    // A CR at the end of a line but the last is half of its CRLF line end.
    const body = index < lines.length - 1 && line.endsWith('\r') ? line.slice(0, -1) : line;
    const matches = [...body.matchAll(every)];
    if (matches.length === 0) return;
    if (found.size >= MAX_LINES_REPORTED) return void more++;
    found.set(index + 1, { column: (matches[0].index ?? 0) + 1, characters: new Set(matches.map((m) => m[0])) });
  });
  const findings: Finding[] = [...found].map(([line, { column, characters }]) => {
    const what = [...characters].map((c) => `${codePoint(c)} (write "${escaped(c)}")`).join(', ');
    const why = [
      ...([...characters].some((c) => REFUSED.test(c)) ? ['Kubernetes and Argo CD (go-yaml v2) and docker-compose (PyYAML) refuse the whole file'] : []),
      ...([...characters].some((c) => !REFUSED.test(c)) ? ['YAML 1.1 readers (go-yaml v2, PyYAML) read U+0085, U+2028, U+2029 and a CR without LF as line breaks, our reader does not'] : []),
    ].join('; ');
    return { severity: 'error', rule: RULE, file, line, object: '-', path: [], message: `raw ${what} at column ${column}: ${why}. Escape it inside double quotes (npm run synth does)` };
  });
  if (more > 0) findings.push({ severity: 'error', rule: RULE, file, object: '-', path: [], message: `and ${more} more line${more === 1 ? '' : 's'} with such characters` });
  return findings;
}

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { parse } from 'yaml';
import { toYaml } from '../../lib/yaml/writer';
import { COMPOSE_FILES } from '../../lib/compose/constants';
import { renderComposeFolder } from '../../lib/compose/render';
import { checkComposeFiles } from '../../lib/validate/compose/check';
import { formatFinding } from '../../lib/validate/finding';
import { parseResources } from '../../lib/validate/resource';
import { validateFolder } from '../../lib/validate/validate';
import { composeEnvironment } from '../compose/support/scripts';
import { kubernetesYamlReader } from '../support/kubernetes-yaml';
import { findTool, missingToolMessage } from '../support/tools';
import { schemaStore } from './fixtures';

/** Rule `yaml-characters`: raw characters the YAML 1.1 readers of dist/ refuse or read as line breaks. */
const kubernetes = kubernetesYamlReader();
if (!kubernetes) console.warn(`yaml-characters.test: ${missingToolMessage('kubernetesYaml', 'the sweep against the real Kubernetes YAML reader is SKIPPED')}`);
const python = findTool('pyyaml');
if (!python) console.warn(`yaml-characters.test: ${missingToolMessage('pyyaml', 'the sweep against PyYAML is SKIPPED')}`);

const CM = 'dist/x/cm.yaml';
const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\ndata:\n${data}`;
const findings = (text: string, file = CM) => parseResources(file, 'x', text).findings.filter((f) => f.rule === 'yaml-characters');

describe('yaml-characters', () => {
  it('a raw character go-yaml v2 and PyYAML refuse, and raw line breaks of YAML 1.1, with file and line', () => {
    const text = configMap('  A: "ok"\n  B: "a\x7fb"\n  C: a\u2028b\n  D: |\n    x\x85y\n    z\u2029\x9f\n');
    expect(findings(text).map(formatFinding)).toEqual([
      `${CM}:8: -: error: raw U+007F (write "\\x7f") at column 8: Kubernetes and Argo CD (go-yaml v2) and docker-compose (PyYAML) refuse the whole file. Escape it inside double quotes (npm run synth does) (yaml-characters)`,
      `${CM}:9: -: error: raw U+2028 (write "\\L") at column 7: YAML 1.1 readers (go-yaml v2, PyYAML) read U+0085, U+2028, U+2029 and a CR without LF as line breaks, our reader does not. Escape it inside double quotes (npm run synth does) (yaml-characters)`,
      `${CM}:11: -: error: raw U+0085 (write "\\N") at column 6: YAML 1.1 readers (go-yaml v2, PyYAML) read U+0085, U+2028, U+2029 and a CR without LF as line breaks, our reader does not. Escape it inside double quotes (npm run synth does) (yaml-characters)`,
      `${CM}:12: -: error: raw U+2029 (write "\\P"), U+009F (write "\\x9f") at column 6: Kubernetes and Argo CD (go-yaml v2) and docker-compose (PyYAML) refuse the whole file; YAML 1.1 readers (go-yaml v2, PyYAML) read U+0085, U+2028, U+2029 and a CR without LF as line breaks, our reader does not. Escape it inside double quotes (npm run synth does) (yaml-characters)`,
    ]);
    // Our YAML 1.2 reader takes the file without complaint: no other rule would have said a word.
    expect(parseResources(CM, 'x', text).findings.filter((f) => f.rule !== 'yaml-characters')).toEqual([]);
  });

  it('npm run validate reports it; the same data written by synth\'s writer (escaped) passes', () => {
    const object = parse(configMap('  A: "ok"\n')) as { data: Record<string, string> };
    object.data = { A: 'a\u2028b', B: 'tab\tnbsp\xa0bom\ufeff', C: 'del\x7f', D: 'multi\nline\x85\n' };
    const rawText = configMap(`  A: "a\u2028b"\n  B: "tab\\tnbsp\xa0bom\ufeff"\n  C: "del\x7f"\n  D: "multi\\nline\x85\\n"\n`);
    expect(parse(rawText)).toEqual(object);
    const rules = (text: string) => validateFolder(schemaStore(), 'x', [{ file: CM, text }], false).filter((f) => f.rule === 'yaml-characters');
    expect(rules(rawText).map((f) => f.line)).toEqual([7, 9, 10]);
    expect(rules(toYaml(object))).toEqual([]);
  });

  it('a Compose environment\'s docker-compose.yml gets the same rule', () => {
    const files = renderComposeFolder(composeEnvironment({}, 'edge'));
    const compose = files.get(COMPOSE_FILES.compose)!;
    const lines = compose.split('\n');
    const at = lines.findIndex((l) => l.includes('restart: unless-stopped'));
    lines[at] = lines[at].replace('unless-stopped', 'unless-stopped\u2028');
    const check = (text: string) => checkComposeFiles('edge', new Map([...files, [COMPOSE_FILES.compose, text]]), () => true).filter((f) => f.rule === 'yaml-characters');
    expect(check(compose)).toEqual([]);
    expect(check(lines.join('\n'))).toEqual([expect.objectContaining({ file: `dist/edge/${COMPOSE_FILES.compose}`, line: at + 1, severity: 'error' })]);
  });

  it('tab, CRLF line ends, NBSP, BOM and characters above U+FFFF are no finding; a CR without LF is', () => {
    expect(findings(configMap('  A: "a\tb\xa0c\ufeffd\u{1F600}e\ud7ff\ue000\ufffd"\r\n  B: x\r\n'))).toEqual([]);
    // The last line has no LF: its CR is lone too.
    expect(findings(configMap('  A: a\rb\r\n  B: "x\r"')).map((f) => [f.line, f.message.split(':')[0]])).toEqual([
      [7, 'raw U+000D (write "\\r") at column 7'],
      [8, 'raw U+000D (write "\\r") at column 8'],
    ]);
  });

  it('a file full of them: the first 20 lines, then one finding for the rest', () => {
    const text = configMap(Array.from({ length: 50 }, (_, i) => `  K${i}: "\x7f"\n`).join(''));
    const found = findings(text);
    expect(found).toHaveLength(21);
    expect(found[19].line).toBe(26);
    expect(found[20].message).toBe('and 30 more lines with such characters');
    expect(found[20].line).toBeUndefined();
  });

  /**
   * The rules against the real readers: over every character up to U+00FF
   * (but YAML syntax) and the special ones above, a file holding it raw in a
   * plain, a double-quoted and a block scalar gets a finding of a reader rule
   * (`yaml-characters`, or `yaml-typing` for a tab in a plain scalar) exactly
   * when Kubernetes' reader (go-yaml v2) or PyYAML refuses it or reads it
   * otherwise than our reader (the yaml package).
   */
  (kubernetes && python ? it : it.skip)('flagged exactly when go-yaml v2 or PyYAML refuses or misreads it', () => {
    const SYNTAX = new Set([...'\n:#"\'\\-?,[]{}&*!|>%@`']);
    const candidates = [...Array.from({ length: 0x100 }, (_, i) => String.fromCharCode(i)).filter((c) => !SYNTAX.has(c)), '\u2028', '\u2029', '\ufeff', '\ufffd', '\ufffe', '\uffff', '\ud7ff', '\ue000'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-characters-'));
    try {
      const texts = candidates.map((c) => `plain: a${c}b\nquoted: "a${c}b"\nblock: |\n  a${c}b\n`);
      const files = texts.map((text, i) => {
        const file = path.join(dir, `c${i}.yaml`);
        fs.writeFileSync(file, text);
        return file;
      });
      const ours = texts.map((text) => {
        try {
          return parse(text);
        } catch {
          return undefined;
        }
      });
      const script = [
        'import json, sys, yaml',
        'def read(f):',
        '    try:',
        '        return {"json": yaml.safe_load(open(f, "rb"))}',
        '    except yaml.YAMLError as e:',
        '        return {"error": str(e)}',
        'print(json.dumps([read(f) for f in sys.argv[1:]]))',
      ].join('\n');
      const pyyaml = JSON.parse(execFileSync(python!, ['-c', script, ...files], { encoding: 'utf8', timeout: 60_000 })) as { json?: unknown; error?: string }[];
      const goYaml = kubernetes!(files);
      const differs = candidates.map(
        (_, i) => ours[i] === undefined || goYaml[i].error !== undefined || !isDeepStrictEqual(goYaml[i].json, ours[i]) || pyyaml[i].error !== undefined || !isDeepStrictEqual(pyyaml[i].json, ours[i]),
      );
      const flagged = texts.map((text, i) => parseResources(`c${i}.yaml`, 'x', text).findings.some((f) => f.rule === 'yaml-characters' || f.rule === 'yaml-typing'));
      const name = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      expect(candidates.map((c, i) => [name(c), flagged[i]])).toEqual(candidates.map((c, i) => [name(c), differs[i]]));
      // C0 but LF; U+007F-U+009F; U+2028, U+2029, U+FFFE, U+FFFF.
      expect(flagged.filter(Boolean)).toHaveLength(0x20 - 1 + 0x21 + 4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

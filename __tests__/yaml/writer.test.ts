import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { toYaml } from '../../lib/yaml/writer';
import { kubernetesYamlReader } from '../support/kubernetes-yaml';
import { findTool, missingToolMessage } from '../support/tools';
import { SWEPT_SCALARS, TRICKY_SCALARS } from './corpus';
import { referenceToYaml } from './reference-writer';

/**
 * The writer of dist/ (toYaml) against the readers of dist/: every string it
 * writes, as a value or as a key, comes back as that same string from
 * Kubernetes' reader (sigs.k8s.io/yaml, built from Debian's Go sources),
 * PyYAML (YAML 1.1 spec types) and the `yaml` package in YAML 1.1 and 1.2
 * mode. The real readers are skipped locally when missing; CI=true fails.
 */
const kubernetes = kubernetesYamlReader();
if (!kubernetes) console.warn(`writer.test: ${missingToolMessage('kubernetesYaml', 'the checks against the real Kubernetes YAML reader are SKIPPED')}`);
const python = findTool('pyyaml');
if (!python) console.warn(`writer.test: ${missingToolMessage('pyyaml', 'the checks against PyYAML are SKIPPED')}`);

/**
 * Characters JSON leaves raw that YAML 1.1 readers cannot read raw: go-yaml v2
 * refuses U+007F-U+0084, U+0086-U+009F, U+FFFE, U+FFFF ("control characters
 * are not allowed") and reads U+0085, U+2028, U+2029 as line breaks.
 */
const UNREADABLE_RAW = ['\x7f', '\x80', '\x84', '\x85', '\x86', '\x9f', '\u2028', '\u2029', '\ufffe', '\uffff'];
const WITH_UNREADABLE_RAW = UNREADABLE_RAW.flatMap((c) => [`a${c}b`, `${c}`, `multi\nline${c}\n`]);
/** A tab inside a one-line string: PyYAML refuses it in a plain scalar (the yaml package wrote it plain). */
const WITH_TAB = ['a\tb', 'two\ttabs\there', 'tab\t and space'];
const STRINGS = [...new Set([...TRICKY_SCALARS, ...SWEPT_SCALARS, ...WITH_UNREADABLE_RAW, ...WITH_TAB, '', ' ', 'a: b', '- x', '#x', 'x #y', "it's", '"q"', 'multi\nline\n', 'trailing ', 'nbsp\xa0bom\ufeff', 'tab\tctl\x01'])];
// Keys: the curated list and the two-character sweep (a mapping's unique-key check is quadratic).
const KEYS = STRINGS.filter((s) => TRICKY_SCALARS.includes(s) || WITH_UNREADABLE_RAW.includes(s) || WITH_TAB.includes(s) || s.length <= 2);
const DOCUMENT = { values: STRINGS, keys: Object.fromEntries(KEYS.map((s, i) => [s, i])) };

describe('toYaml writes strings every YAML reader reads back as the same strings', () => {
  let dir: string;
  let file: string;
  let text: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-'));
    text = toYaml(DOCUMENT);
    file = path.join(dir, 'strings.yaml');
    fs.writeFileSync(file, text);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the corpus is large and holds the known troublemakers', () => {
    expect(STRINGS.length).toBeGreaterThan(3000);
    expect(STRINGS).toEqual(expect.arrayContaining(['yes', 'no', 'on', 'Off', 'y', 'n', '~', '=', '<<', '1_000', '1:30', '017', '0o17', '0X1F', '.inf', '.nan', '2001-12-14']));
  });

  it('YAML 1.2 and YAML 1.1 (the yaml package) read the same document', () => {
    expect(parse(text)).toEqual(DOCUMENT);
    expect(parse(text, { version: '1.1' })).toEqual(DOCUMENT);
  });

  (kubernetes ? it : it.skip)('Kubernetes (sigs.k8s.io/yaml, go-yaml v2) reads the same document, strict mode included', () => {
    const [reading] = kubernetes!([file]);
    expect(reading.error).toBeUndefined();
    expect(reading.strictError).toBeUndefined();
    expect(reading.json).toEqual(DOCUMENT);
  });

  (python ? it : it.skip)('PyYAML (safe_load, YAML 1.1) reads the same document', () => {
    const json = execFileSync(python!, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', file], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(json)).toEqual(DOCUMENT);
  });

  it('escapes what YAML 1.1 readers cannot read raw, in double quotes', () => {
    expect(toYaml({ del: 'a\x7fb', nel: 'a\x85b', ls: 'a\u2028b', ps: 'l1\nl2\u2029', noncharacter: '\ufffe' })).toBe(
      'del: "a\\x7fb"\nnel: "a\\Nb"\nls: "a\\Lb"\nps: "l1\\nl2\\P"\nnoncharacter: "\\ufffe"\n',
    );
  });

  (kubernetes ? it : it.skip)('the yaml package wrote them raw, and Kubernetes refused the file or read another string', () => {
    const files = UNREADABLE_RAW.map((c, i) => {
      const old = path.join(dir, `old-${i}.yaml`);
      fs.writeFileSync(old, referenceToYaml({ value: `a${c}b` }));
      return old;
    });
    const readings = kubernetes!(files);
    expect(readings).toHaveLength(UNREADABLE_RAW.length);
    for (const [i, reading] of readings.entries()) expect([UNREADABLE_RAW[i], reading.error !== undefined || (reading.json as { value?: string }).value !== `a${UNREADABLE_RAW[i]}b`]).toEqual([UNREADABLE_RAW[i], true]);
  });

  it('double-quotes a one-line string with a tab, which the yaml package wrote plain and PyYAML refuses there', () => {
    expect(toYaml({ 'k\tk': 'a\tb', list: ['x\ty'], block: 'multi\na\tb\n' })).toBe('"k\\tk": "a\\tb"\nlist:\n  - "x\\ty"\nblock: |\n  multi\n  a\tb\n');
    expect(referenceToYaml({ value: 'a\tb' })).toBe('value: a\tb\n');
  });

  it('quotes only what needs it: ordinary strings stay plain', () => {
    expect(toYaml(['1.4.2', '200mb', 'allkeys-lru', 'redis-server', 'Etc/UTC', 'yEs', 'x=1'])).toBe('- 1.4.2\n- 200mb\n- allkeys-lru\n- redis-server\n- Etc/UTC\n- yEs\n- x=1\n');
    expect(toYaml(['yes', 'no', '=', '0X1F', '1:30'])).toBe('- "yes"\n- "no"\n- "="\n- "0X1F"\n- "1:30"\n');
    expect(toYaml({ on: 'off' })).toBe('"on": "off"\n');
  });
});

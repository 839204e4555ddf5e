import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { toYaml } from '../../lib/synth/render';
import { kubernetesYamlReader } from '../support/kubernetes-yaml';
import { findTool, missingToolMessage } from '../support/tools';
import { SWEPT_SCALARS, TRICKY_SCALARS } from './corpus';

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

const STRINGS = [...new Set([...TRICKY_SCALARS, ...SWEPT_SCALARS, '', ' ', 'a: b', '- x', '#x', 'x #y', "it's", '"q"', 'multi\nline\n', 'trailing '])];
// Keys: the curated list and the two-character sweep (a mapping's unique-key check is quadratic).
const KEYS = STRINGS.filter((s) => TRICKY_SCALARS.includes(s) || s.length <= 2);
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

  it('quotes only what needs it: ordinary strings stay plain', () => {
    expect(toYaml(['1.4.2', '200mb', 'allkeys-lru', 'redis-server', 'Etc/UTC', 'yEs', 'x=1'])).toBe('- 1.4.2\n- 200mb\n- allkeys-lru\n- redis-server\n- Etc/UTC\n- yEs\n- x=1\n');
    expect(toYaml(['yes', 'no', '=', '0X1F', '1:30'])).toBe('- "yes"\n- "no"\n- "="\n- "0X1F"\n- "1:30"\n');
    expect(toYaml({ on: 'off' })).toBe('"on": "off"\n');
  });
});

import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { composeFile, ComposeFile } from '../../lib/compose/compose-file';
import { COMPOSE_FILES, SERVICES } from '../../lib/compose/constants';
import { composeYaml, renderComposeFolder } from '../../lib/compose/render';
import { STACK_VARIABLES } from '../../lib/compose/variables';
import { toYaml } from '../../lib/yaml/writer';
import { committedEnvironment } from '../support/env';
import { findTool, missingToolMessage } from '../support/tools';

/**
 * The Compose file's YAML against its reader: docker-compose 1.29 reads it
 * with PyYAML (safe_load, YAML 1.1), which refuses U+007F-U+0084,
 * U+0086-U+009F, U+FFFE and U+FFFF raw (reader.py NON_PRINTABLE) and reads
 * U+0085, U+2028 and U+2029 as line breaks. The real docker-compose and
 * PyYAML run where installed (CI=true fails without them).
 */
const dockerCompose = findTool('dockerCompose');
const python = findTool('pyyaml');
if (!dockerCompose) console.warn(`compose-yaml.test: ${missingToolMessage('dockerCompose')}`);
if (!python) console.warn(`compose-yaml.test: ${missingToolMessage('pyyaml')}`);

/** Characters PyYAML and go-yaml v2 cannot read raw (see lib/yaml/writer.ts ESCAPED). */
const UNREADABLE_RAW = ['\x7f', '\x80', '\x85', '\x9f', '\u2028', '\u2029', '\ufffe', '\uffff'];
const RAW = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/;

/** The local environment's stack with label values that hold those characters, and strings YAML 1.1 would type. */
function awkwardStack(): { stack: ComposeFile; labels: Record<string, string> } {
  const labels: Record<string, string> = Object.fromEntries([
    ...UNREADABLE_RAW.map((c, i) => [`raw-${i}`, `a${c}b`]),
    ['raw-multi-line', 'line 1\nline 2\u2028\n'],
    ...['yes', 'off', '1:30', '0X1F', '~', '=', '2001-12-14'].map((v, i) => [`typed-${i}`, v]),
  ]);
  const stack = composeFile(committedEnvironment('local'));
  stack.services[SERVICES.api].labels = labels;
  return { stack, labels };
}

/** What PyYAML's safe_load makes of a file, as JSON. */
const pyyamlRead = (file: string): unknown =>
  JSON.parse(execFileSync(python!, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))))', file], { encoding: 'utf8', timeout: 60_000 }));

describe('the Compose file is written by the Kubernetes files\' writer', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-yaml-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Whether `docker-compose config` accepts a file, with a value for every variable of .env.example, and what it said. */
  function composeConfig(file: string): { status: number | null; output: string } {
    const envFile = path.join(dir, '.env');
    fs.writeFileSync(envFile, STACK_VARIABLES.map((v) => `${v.name}=${v.name === 'TLS_DIR' ? dir : 'placeholder'}\n`).join(''));
    const result = spawnSync(dockerCompose!, ['--project-name', 'yaml-test', '--file', file, '--env-file', envFile, 'config', '--quiet'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    });
    return { status: result.status, output: `${result.stderr}${result.stdout}` };
  }

  /**
   * The API service's labels of each file as docker-compose's own loader reads
   * them (compose/config/config.py load_yaml: PyYAML safe_load), or its error.
   * Not from the output of `docker-compose config`: its printer (PyYAML
   * safe_dump) writes U+0085 raw, which then reads back as a line break.
   */
  const LOAD = [
    'import json, sys',
    'from compose.config.config import load_yaml',
    'def labels(f):',
    '    try:',
    '        return load_yaml(f)["services"]["api"]["labels"]',
    '    except Exception as e:',
    '        return {"error": str(e)}',
    'print(json.dumps([labels(f) for f in sys.argv[1:]]))',
  ].join('\n');
  const composeLabels = (files: string[]): Record<string, string>[] => JSON.parse(execFileSync(python!, ['-c', LOAD, ...files], { encoding: 'utf8', timeout: 60_000 }));

  it('synth writes the Compose file with toYaml, the writer of the Kubernetes files', () => {
    const env = committedEnvironment('local');
    const text = renderComposeFolder(env).get(COMPOSE_FILES.compose)!;
    expect(text.endsWith(`\n${toYaml(composeFile(env))}`)).toBe(true);
    expect(composeYaml(composeFile(env))).toBe(toYaml(composeFile(env)));
  });

  it('escapes what YAML 1.1 readers cannot read raw, and quotes what they would type', () => {
    const { stack } = awkwardStack();
    const text = composeYaml(stack);
    expect(text).not.toMatch(RAW);
    expect(text).toContain('raw-4: "a\\Lb"');
    expect(text).toContain('raw-2: "a\\Nb"');
    expect(text).toContain('raw-0: "a\\x7fb"');
    expect(text).toContain('typed-0: "yes"');
    expect(text).toContain('typed-2: "1:30"');
  });

  (python ? it : it.skip)('PyYAML (docker-compose\'s reader) reads the same stack', () => {
    const { stack } = awkwardStack();
    const file = path.join(dir, 'pyyaml.yml');
    fs.writeFileSync(file, composeYaml(stack));
    expect(pyyamlRead(file)).toEqual(JSON.parse(JSON.stringify(stack)));
  });

  (dockerCompose && python ? it : it.skip)('docker-compose 1.29 accepts the file and keeps every label value', () => {
    const { stack, labels } = awkwardStack();
    const file = path.join(dir, COMPOSE_FILES.compose);
    fs.writeFileSync(file, composeYaml(stack));
    const config = composeConfig(file);
    expect([config.status, config.output]).toEqual([0, '']);
    expect(composeLabels([file])).toEqual([labels]);
  });

  (dockerCompose && python ? it : it.skip)('the old writer (every string double-quoted, raw characters kept) made docker-compose refuse the file or misread the value', () => {
    const { stack } = awkwardStack();
    const files = UNREADABLE_RAW.map((c, i) => {
      const one = { ...stack, services: { ...stack.services, [SERVICES.api]: { ...stack.services[SERVICES.api], labels: { raw: `a${c}b` } } } };
      const file = path.join(dir, `old-${i}.yml`);
      fs.writeFileSync(file, stringify(one, { lineWidth: 0, aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }));
      expect(fs.readFileSync(file, 'utf8')).toContain(`raw: "a${c}b"`);
      return file;
    });
    const outcomes = composeLabels(files).map((read, i) =>
      read.error !== undefined ? (read.error.includes('special characters are not allowed') ? 'refused' : read.error) : read.raw === `a${UNREADABLE_RAW[i]}b` ? 'same' : 'misread',
    );
    // U+2028 and U+2029 inside double quotes happen to survive PyYAML (a line break other than LF is kept there); go-yaml v2 misreads them.
    expect(Object.fromEntries(UNREADABLE_RAW.map((c, i) => [`U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`, outcomes[i]]))).toEqual({
      'U+007F': 'refused',
      'U+0080': 'refused',
      'U+0085': 'misread',
      'U+009F': 'refused',
      'U+2028': 'same',
      'U+2029': 'same',
      'U+FFFE': 'refused',
      'U+FFFF': 'refused',
    });
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { goYamlV2Plain, GoYamlReading, jsonKeyOf } from '../../lib/yaml/go-yaml-v2';
import { kubernetesYamlReader } from '../support/kubernetes-yaml';
import { missingToolMessage } from '../support/tools';
import { isPlainScalar, SWEPT_SCALARS, TRICKY_SCALARS } from './corpus';

/**
 * lib/yaml/go-yaml-v2.ts (the validator's model of how Kubernetes types a
 * plain scalar) against the real thing: sigs.k8s.io/yaml and go-yaml v2,
 * built from Debian's sources. Skipped locally without them; CI=true fails.
 */
const read = kubernetesYamlReader();
if (!read) console.warn(`go-yaml-v2.test: ${missingToolMessage('kubernetesYaml', 'the checks against the real Kubernetes YAML reader are SKIPPED')}`);

const CORPUS = [...new Set([...TRICKY_SCALARS, ...SWEPT_SCALARS])];

/** The JSON value sigs.k8s.io/yaml gives for a value the port read as `r`. */
function jsonValue(text: string, r: GoYamlReading): unknown {
  switch (r.type) {
    case 'str':
    case 'merge':
      return text;
    case 'null':
      return null;
    default:
      return r.value;
  }
}

const finite = (r: GoYamlReading) => r.type !== 'float' || Number.isFinite(r.value);

(read ? describe : describe.skip)('the go-yaml v2 port reads plain scalars as Kubernetes does', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'go-yaml-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('as values: every scalar of the corpus has the same JSON value', () => {
    const values = CORPUS.filter((t) => isPlainScalar(t, false) && finite(goYamlV2Plain(t)));
    const [reading] = read!([write('values.yaml', values.map((t) => `- ${t}\n`).join(''))]);
    expect(reading.error).toBeUndefined();
    const expected = values.map((t) => jsonValue(t, goYamlV2Plain(t)));
    expect(reading.json).toEqual(expected);
    // The corpus is worth something: many of its scalars mean something else in YAML 1.2.
    const differ = values.filter((t, i) => JSON.stringify(parse(`- ${t}`)[0]) !== JSON.stringify(expected[i]));
    expect(values.length).toBeGreaterThan(2000);
    expect(differ.length).toBeGreaterThan(50);
    expect(differ).toEqual(expect.arrayContaining(['yes', 'no', 'on', 'y', 'n', '1_000', '017', '0X1F', '-0o17']));
  });

  it('as keys: every plain key becomes the same JSON key', () => {
    const keys = CORPUS.filter((t) => isPlainScalar(t, true) && jsonKeyOf(t, goYamlV2Plain(t, true)) !== undefined && goYamlV2Plain(t, true).type !== 'merge');
    const [reading] = read!([write('keys.yaml', keys.map((t) => `- ${t}: 0\n`).join(''))]);
    expect(reading.error).toBeUndefined();
    expect((reading.json as Record<string, number>[]).map((m) => Object.keys(m)[0])).toEqual(keys.map((t) => jsonKeyOf(t, goYamlV2Plain(t, true))));
    expect(keys.length).toBeGreaterThan(2000);
  });

  it('the readings JSON cannot hold are errors for Kubernetes: infinite and NaN values, null and uint64 keys, a merge key without a mapping', () => {
    const infinite = CORPUS.filter((t) => isPlainScalar(t, false) && !finite(goYamlV2Plain(t)));
    const nullKeys = CORPUS.filter((t) => isPlainScalar(t, true) && goYamlV2Plain(t, true).type !== 'merge' && jsonKeyOf(t, goYamlV2Plain(t, true)) === undefined);
    expect(infinite).toEqual(expect.arrayContaining(['.inf', '-.Inf', '.NaN']));
    expect(nullKeys).toEqual(expect.arrayContaining(['~', 'null', '18446744073709551615']));
    const files = [
      ...infinite.map((t, i) => write(`inf-${i}.yaml`, `- ${t}\n`)),
      ...nullKeys.map((t, i) => write(`null-key-${i}.yaml`, `${t}: 0\n`)),
      write('merge.yaml', '<<: 0\n'),
    ];
    const readings = read!(files);
    expect(readings.filter((r) => r.error === undefined)).toEqual([]);
    expect(jsonKeyOf('~', goYamlV2Plain('~', true))).toBeUndefined();
  });
});

import { formatFinding } from '../../lib/validate/finding';
import { parseResources } from '../../lib/validate/resource';

/** Rule `yaml-typing`: plain scalars that Kubernetes (YAML 1.1) types otherwise than YAML 1.2. */
const findings = (body: string) =>
  parseResources('dist/x/cm.yaml', 'x', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n${body}`).findings.map(formatFinding);

const CM = 'dist/x/cm.yaml';
const OBJ = 'ConfigMap/x/a';

describe('yaml-typing', () => {
  it('a value Kubernetes reads as a boolean, with file and line', () => {
    expect(findings('data:\n  A: "ok"\n  APPENDONLY: yes\n  PROTECTED: no\n')).toEqual([
      `${CM}:8: ${OBJ}: data.APPENDONLY: error: "yes" is the string "yes" in YAML 1.2 but boolean true to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): quote it (yaml-typing)`,
      `${CM}:9: ${OBJ}: data.PROTECTED: error: "no" is the string "no" in YAML 1.2 but boolean false to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): quote it (yaml-typing)`,
    ]);
  });

  it('numbers Kubernetes reads otherwise: underscores, leading-zero octals, upper-case prefixes', () => {
    expect(findings('data:\n  A: 1_000\n  B: 017\n  C: 0X1F\n')).toEqual([
      `${CM}:7: ${OBJ}: data.A: error: "1_000" is the string "1_000" in YAML 1.2 but the integer 1000 to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): quote it (yaml-typing)`,
      `${CM}:8: ${OBJ}: data.B: error: "017" is the integer 17 in YAML 1.2 but the integer 15 to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): quote it (yaml-typing)`,
      `${CM}:9: ${OBJ}: data.C: error: "0X1F" is the string "0X1F" in YAML 1.2 but the integer 31 to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): quote it (yaml-typing)`,
    ]);
  });

  it('what only the YAML 1.1 spec types differently: sexagesimals, `=`, timestamps', () => {
    expect(findings('data:\n  A: 1:30\n  B: =\n  C: 2001-12-14\n')).toEqual([
      `${CM}:7: ${OBJ}: data.A: error: "1:30" is the string "1:30" in YAML 1.2 but the integer 90 in YAML 1.1 (the spec's types, as PyYAML reads them): quote it (yaml-typing)`,
      `${CM}:8: ${OBJ}: data.B: error: "=" is the string "=" in YAML 1.2 but the value indicator (a type PyYAML cannot load) in YAML 1.1 (the spec's types, as PyYAML reads them): quote it (yaml-typing)`,
      `${CM}:9: ${OBJ}: data.C: error: "2001-12-14" is the string "2001-12-14" in YAML 1.2 but a timestamp in YAML 1.1 (the spec's types, as PyYAML reads them): quote it (yaml-typing)`,
    ]);
  });

  it('keys: `on` becomes the key "true", `<<` merges, `~` is rejected', () => {
    expect(findings('data:\n  on: "x"\n')).toEqual([
      `${CM}:7: ${OBJ}: data.on: error: key "on" is the key "on" in YAML 1.2 but "true" to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): quote it (yaml-typing)`,
    ]);
    expect(findings('data:\n  <<: "x"\n')).toEqual([
      `${CM}:7: ${OBJ}: data["<<"]: error: key "<<" is a plain key in YAML 1.2 but a merge key to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): quote it (yaml-typing)`,
    ]);
    expect(findings('data:\n  ~: "x"\n')).toEqual([
      `${CM}:7: ${OBJ}: data.null: error: key "~" is null to Kubernetes, which it rejects as a map key: quote it (yaml-typing)`,
    ]);
  });

  it('a tab inside a plain value or key, which PyYAML (docker-compose 1.x) refuses; quoted or in a block it is fine', () => {
    expect(findings('data:\n  A: a\tb\n  k\tk: "x"\n  B: "a\tb"\n  C: |\n    a\tb\n')).toEqual([
      `${CM}:7: ${OBJ}: data.A: error: value "a\\tb" holds a tab, which PyYAML (docker-compose 1.x reads YAML with it) refuses inside a plain scalar: quote it (yaml-typing)`,
      `${CM}:8: ${OBJ}: data["k\\tk"]: error: key "k\\tk" holds a tab, which PyYAML (docker-compose 1.x reads YAML with it) refuses inside a plain scalar: quote it (yaml-typing)`,
    ]);
  });

  it('floats JSON cannot hold', () => {
    expect(findings('data:\n  A: .inf\n')).toEqual([
      `${CM}:7: ${OBJ}: data.A: error: ".inf" is the float Infinity, which Kubernetes cannot convert to JSON: sigs.k8s.io/yaml rejects the whole file (yaml-typing)`,
    ]);
  });

  it('quoted, tagged and block scalars, and scalars every reader agrees on, are fine', () => {
    expect(findings('data:\n  A: "yes"\n  B: \'no\'\n  C: !!str on\n  D: |\n    yes\n  E: 1.4.2\n  F: "1:30"\nimmutable: true\n')).toEqual([]);
  });

  it('a problem inside a kind: List names the item it is in', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a, namespace: x}\n    data: {A: off}\n';
    expect(parseResources('dist/x/list.yaml', 'x', text).findings.map(formatFinding)).toEqual([
      `dist/x/list.yaml:7: ConfigMap/x/a: data.A: error: "off" is the string "off" in YAML 1.2 but boolean false to Kubernetes (sigs.k8s.io/yaml reads YAML 1.1): quote it (yaml-typing)`,
    ]);
  });
});

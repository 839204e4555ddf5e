import { distFolders, ROOT } from '../support/env';
import { formatFinding } from '../../lib/validate/finding';
import { main } from '../../lib/validate/cli';
import { validateDist } from '../../lib/validate/validate';
import { schemaStore } from './fixtures';
import { TempProject } from './temp-project';

describe('the committed dist/', () => {
  it('has no findings at all, errors or warnings', () => {
    const report = validateDist(ROOT, undefined, schemaStore());
    expect(report.folders).toEqual(distFolders());
    expect(report.files).toBeGreaterThan(0);
    expect(report.findings.map(formatFinding)).toEqual([]);
  });
});

describe('npm run validate', () => {
  let project: TempProject;
  let output: string[];

  const write = (file: string, text: string) => project.write(file, text);
  const run = (...argv: string[]) => {
    output = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
    const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void output.push(line));
    try {
      return main(argv, project.root);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };
  const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  LOG_LEVEL: info\n';

  beforeEach(() => {
    project = new TempProject();
    write('config/environments/test.yaml', 'tier: staging\n');
    write('config/environments/other.yaml', 'tier: staging\n');
    write('dist/test/configmap-settings.yaml', CONFIG_MAP);
    write('dist/other/configmap-settings.yaml', CONFIG_MAP);
  });
  afterEach(() => project.dispose());

  it('exits 0 on a clean dist/ and says what it checked', () => {
    expect(run()).toBe(0);
    expect(output).toEqual([expect.stringMatching(/^validate: 2 files in dist\/\{other,test\}: 0 error\(s\), 0 warning\(s\) in \d+ ms$/)]);
  });

  it('prints file:line: Kind/namespace/name: path: severity: message (rule) and exits 1 on an error', () => {
    write('dist/test/configmap-settings.yaml', `${CONFIG_MAP}  DB_PASSWORD: hunter2\nimmutible: true\n`);
    expect(run()).toBe(1);
    expect(output.slice(0, -1)).toEqual([
      'dist/test/configmap-settings.yaml:8: ConfigMap/shop/settings: data.DB_PASSWORD: error: DB_PASSWORD is in a ConfigMap and its name says it is a secret: keep it in a Secret (secret-literal)',
      'dist/test/configmap-settings.yaml:9: ConfigMap/shop/settings: immutible: error: unknown field "immutible" (did you mean "immutable"?) (schema)',
    ]);
    expect(output[output.length - 1]).toMatch(/: 2 error\(s\), 0 warning\(s\)/);
  });

  it('--env limits the run to those environments', () => {
    write('dist/other/configmap-settings.yaml', CONFIG_MAP.replace('namespace: shop', 'namespace: default'));
    expect(run('--env', 'test')).toBe(0);
    expect(output).toEqual([expect.stringMatching(/^validate: 1 files in dist\/\{test\}: 0 error/)]);
    expect(run('--env=other')).toBe(1);
  });

  it('reports an environment without a dist/ folder, YAML errors, duplicates and stray files', () => {
    write('config/environments/new.yaml', 'tier: staging\n');
    write('dist/test/broken.yaml', 'kind: [\n');
    write('dist/test/copy.yaml', CONFIG_MAP);
    write('dist/test/notes.txt', 'hello');
    expect(run()).toBe(1);
    expect(output.slice(0, -1)).toEqual([
      'dist/new: -: error: folder missing: run npm run synth (dist)',
      expect.stringMatching(/^dist\/test\/broken.yaml:\d+: -: error: .+ \(yaml\)$/),
      'dist/test/copy.yaml:4: ConfigMap/shop/settings: metadata.name: error: ConfigMap/shop/settings is also defined in dist/test/configmap-settings.yaml (duplicate)',
      'dist/test/notes.txt: -: warning: not a YAML file: Argo CD ignores it (dist)',
    ]);
  });

  it('exits 0 when there are only warnings, and --quiet hides them', () => {
    write('dist/test/notes.txt', 'hello');
    expect(run()).toBe(0);
    expect(output).toHaveLength(2);
    expect(run('--quiet')).toBe(0);
    expect(output).toHaveLength(1);
  });

  it('fails when there is nothing to validate', () => {
    project.remove('dist');
    project.remove('config');
    expect(run()).toBe(1);
    expect(output[0]).toBe('dist: -: error: nothing to validate: no environment and no folder in dist/ (dist)');
  });

  it('exits 2 on a usage error', () => {
    expect(run('--bogus')).toBe(2);
    expect(output[0].split('\n')[0]).toBe('validate: unknown argument "--bogus"');
  });

  it('treats folders without an environment file as shared (dist/argocd/): cross references are not required', () => {
    write('dist/argocd/service-x.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  namespace: argocd\nspec:\n  selector:\n    app: nothing\n  ports:\n    - port: 80\n');
    expect(run()).toBe(0);
    expect(output[output.length - 1]).toMatch(/dist\/\{argocd,other,test\}/);
  });
});

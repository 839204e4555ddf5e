import { COMPOSE_FILES } from '../../lib/compose/constants';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/synth/cli';
import { render, schemaDocument, SCHEMA_FILE } from '../../lib/synth/synthesize';
import { committedEnvironment, committedEnvironments, kubernetesEnvironmentNames, ROOT } from '../support/env';
import { readTree } from '../support/files';

/** A throwaway copy of the project's config, so synth can write freely. */
function tempProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-synth-'));
  fs.cpSync(path.join(ROOT, 'config', 'environments'), path.join(dir, 'config', 'environments'), { recursive: true });
  return dir;
}

let synthesized: string | undefined;

/**
 * A throwaway project as `npm run synth` leaves it (config/ and dist/): one project is synthesized per test file
 * and copied, file modes included, for each test that starts from there.
 */
function synthesizedProject(): string {
  if (!synthesized) {
    synthesized = tempProject();
    expect(synth(synthesized).code).toBe(0);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-synth-'));
  fs.cpSync(synthesized, dir, { recursive: true });
  return dir;
}
afterAll(() => synthesized && fs.rmSync(synthesized, { recursive: true, force: true }));

type SynthResult = { code: number; stdout: string; stderr: string };

/** Runs the CLI in-process, capturing what it prints. */
function synth(root: string, ...args: string[]): SynthResult {
  return run(main, root, args);
}

function run(cli: typeof main, root: string, args: string[]): SynthResult {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((m) => out.push(String(m)));
  const error = jest.spyOn(console, 'error').mockImplementation((m) => err.push(String(m)));
  try {
    return { code: cli(args, root), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

type Charts = typeof import('../../charts');

/**
 * Runs the CLI with the charts' buildEnvironment replaced by `replace(real, cdk8s)`, in a module registry
 * of its own (jest.doMock: a module's exports cannot be reassigned), where `cdk8s` is that registry's copy.
 */
function synthWithCharts(root: string, replace: (real: Charts['buildEnvironment'], cdk8s: typeof import('cdk8s')) => Charts['buildEnvironment']): SynthResult {
  let result: SynthResult | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../charts', () => {
      const real = jest.requireActual<Charts>('../../charts');
      return { ...real, buildEnvironment: replace(real.buildEnvironment, jest.requireActual('cdk8s')) };
    });
    try {
      result = run(jest.requireActual<typeof import('../../lib/synth/cli')>('../../lib/synth/cli').main, root, []);
    } finally {
      jest.dontMock('../../charts');
    }
  });
  return result!;
}

describe('the committed dist/', () => {
  test('is exactly what the committed config synthesizes', () => {
    const rendered: Record<string, string> = {};
    for (const [folder, files] of render({ root: ROOT })) for (const [file, content] of files) rendered[path.join(folder, file)] = content;
    expect(readTree(path.join(ROOT, 'dist'))).toEqual(rendered);
  });

  test('has nothing but manifests: no construct-metadata.json, no stray files', () => {
    const files = Object.keys(readTree(path.join(ROOT, 'dist')));
    const compose = Object.values(COMPOSE_FILES).map((f) => `local/${f}`);
    for (const file of files.filter((f) => !f.startsWith('local/'))) expect(file).toMatch(/^[a-z0-9-]+\/[a-z0-9]+-[a-z0-9.-]+\.yaml$/);
    // dist/local/ is a Compose environment: its own files, exactly.
    expect(files.filter((f) => f.startsWith('local/')).sort()).toEqual(compose.sort());
  });

  test('the published JSON Schema of environment files is up to date', () => {
    expect(fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8')).toBe(schemaDocument());
  });
});

describe('npm run synth', () => {
  test('writes dist/<env>/ for every environment, byte-identical on a second run', () => {
    const root = tempProject();
    expect(synth(root).code).toBe(0);
    const first = readTree(path.join(root, 'dist'));
    expect(Object.keys(first).some((f) => f.startsWith('staging/'))).toBe(true);
    expect(Object.keys(first).some((f) => f.startsWith('production/'))).toBe(true);
    expect(synth(root).code).toBe(0);
    expect(readTree(path.join(root, 'dist'))).toEqual(first);
  });

  test('a folder that already holds exactly the output is not rewritten; a changed one is', () => {
    const root = synthesizedProject();
    const inode = (folder: string) => fs.statSync(path.join(root, 'dist', folder, 'deployment-ai-odoo-finder.yaml')).ino;
    const before = { production: inode('production'), staging: inode('staging') };
    const config = path.join(root, 'config', 'environments', 'staging.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/tag: "[^"]+"/, 'tag: "9.9.9"'));
    expect(synth(root).code).toBe(0);
    expect(inode('production')).toBe(before.production);
    expect(inode('staging')).not.toBe(before.staging);
    expect(fs.readFileSync(path.join(root, 'dist', 'staging', 'deployment-ai-odoo-finder.yaml'), 'utf8')).toContain(':9.9.9');
  });

  test('a script that lost its executable bit is written again, though its bytes are the same', () => {
    const root = synthesizedProject();
    const compose = fs.readdirSync(path.join(root, 'dist')).find((f) => fs.existsSync(path.join(root, 'dist', f, COMPOSE_FILES.deploy)));
    expect(compose).toBeDefined();
    const script = path.join(root, 'dist', compose!, COMPOSE_FILES.deploy);
    fs.chmodSync(script, 0o644);
    expect(synth(root).code).toBe(0);
    expect(fs.statSync(script).mode & 0o111).not.toBe(0);
  });

  test('--env renders one environment and leaves the others alone', () => {
    const root = synthesizedProject();
    fs.writeFileSync(path.join(root, 'dist', 'production', 'marker.yaml'), 'x');
    const { code, stdout } = synth(root, '--env', 'staging');
    expect(code).toBe(0);
    expect(stdout).toContain('staging/');
    expect(stdout).not.toContain('production/');
    expect(fs.existsSync(path.join(root, 'dist', 'production', 'marker.yaml'))).toBe(true);
  });

  test('objects and environments removed from the code disappear from dist/', () => {
    const root = synthesizedProject();
    fs.writeFileSync(path.join(root, 'dist', 'staging', 'deployment-removed.yaml'), 'x');
    const staging = fs.readFileSync(path.join(root, 'config', 'environments', 'staging.yaml'), 'utf8');
    fs.writeFileSync(path.join(root, 'config', 'environments', 'qa.yaml'), staging.replace('namespace: odoo-finder-staging', 'namespace: odoo-finder-qa'));
    synth(root);
    expect(fs.existsSync(path.join(root, 'dist', 'qa'))).toBe(true);
    fs.rmSync(path.join(root, 'config', 'environments', 'qa.yaml'));
    expect(synth(root).code).toBe(0);
    expect(fs.existsSync(path.join(root, 'dist', 'qa'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'dist', 'staging', 'deployment-removed.yaml'))).toBe(false);
  });

  test('adding an environment is adding a file', () => {
    const root = tempProject();
    fs.writeFileSync(
      path.join(root, 'config', 'environments', 'demo.yaml'),
      'tier: development\nnamespace: odoo-finder-demo\nimage:\n  repository: ghcr.io/ai-odoofinder/api\n  tag: "1.5.0-rc.1"\n',
    );
    expect(synth(root).code).toBe(0);
    const deployment = fs.readFileSync(path.join(root, 'dist', 'demo', 'deployment-ai-odoo-finder.yaml'), 'utf8');
    expect(deployment).toContain('image: ghcr.io/ai-odoofinder/api:1.5.0-rc.1');
    expect(deployment).toContain('namespace: odoo-finder-demo');
  });

  const badConfigs: Array<[string, string, string]> = [
    ['wrong type', 'autoscaling:\n  maxReplicas: "ten"\n', 'autoscaling.maxReplicas: must be integer'],
    ['unknown key', 'replicas: 3\n', 'replicas: unknown key'],
    ['min above max', 'autoscaling:\n  minReplicas: 12\n  maxReplicas: 3\n', 'autoscaling.minReplicas: is 12, more than autoscaling.maxReplicas (3)'],
    ['bad quantity', 'resources:\n  limits:\n    memory: 1 GB\n', 'resources.limits.memory: "1 GB" is not valid'],
    ['missing image tag', 'image:\n  repository: ghcr.io/ai-odoofinder/api\n', 'image.tag: is required in production'],
    ['bad YAML', 'app:\n\tlogLevel: info\n', 'not valid YAML: Tabs are not allowed as indentation'],
  ];

  test.each(badConfigs)('a bad config (%s) fails with a clear error and leaves dist/ untouched', (_name, change, message) => {
    const root = synthesizedProject();
    const before = readTree(path.join(root, 'dist'));
    const file = path.join(root, 'config', 'environments', 'production.yaml');
    // Replace the key if the file has it (so the line numbers are stable), else append.
    const original = fs.readFileSync(file, 'utf8');
    const topKey = change.split(':')[0];
    const kept = original.split(/\n(?=\S)/).filter((block) => !block.startsWith(`${topKey}:`));
    fs.writeFileSync(file, `${kept.join('\n').trimEnd()}\n${change}`);

    const { code, stderr } = synth(root);
    expect(code).toBe(1);
    expect(stderr).toMatch(/config\/environments\/production\.yaml:\d+: /);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Nothing was written: dist/ is unchanged.');
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
  });

  test('a construct that throws fails the synth without touching dist/', () => {
    const root = synthesizedProject();
    const before = readTree(path.join(root, 'dist'));
    const { code, stderr } = synthWithCharts(root, () => () => {
      throw new Error('boom in a construct');
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/config\/environments\/([a-z0-9-]+)\.yaml \(environment "\1"\): boom in a construct/);
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
  });

  test('an object the API server would refuse fails the synth (the per-object rules of the validator, run before writing)', () => {
    const root = synthesizedProject();
    const before = readTree(path.join(root, 'dist'));
    const { code, stderr } = synthWithCharts(root, (real, { ApiObject, Chart }) => (scope, env) => {
      real(scope, env);
      const chart = new Chart(scope, 'bad');
      new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: env.namespace, labels: { team: 'a b' } } });
    });
    expect(code).toBe(1);
    // The first Kubernetes environment rendered (by name) is the one that fails.
    const first = committedEnvironment(kubernetesEnvironmentNames()[0]);
    expect(stderr).toContain(`config/environments/${first.name}.yaml (environment "${first.name}"): the API server would refuse what this renders (npm run validate):`);
    expect(stderr).toContain(`dist/${first.name}/configmap-bad.yaml: ConfigMap/${first.namespace}/bad: metadata.labels.team: error: "a b" is not a valid label value`);
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
  });

  test('an unknown environment or argument is a clear error', () => {
    const root = tempProject();
    expect(synth(root, '--env', 'prod').stderr).toContain(`no such environment "prod" (known: ${committedEnvironments().map((e) => e.name).join(', ')})`);
    expect(synth(root, '--bogus')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown argument "--bogus"') });
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../support/env';

// scripts/run.js: what `npm run synth` (and every other command) runs. It
// bundles an entry point once, rebuilds only when an input changed, and runs
// the bundle in-process with V8's code cache. Tested on a copy of the project,
// so the real .build/ is left alone.

const SOURCES = ['main.ts', 'charts', 'lib', 'config', 'imports', 'scripts', 'package.json', 'tsconfig.json', 'cdk8s.yaml'];

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

let copy: string;
beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-runner-'));
  for (const entry of SOURCES) fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
});
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

const build = (name: string) => path.join(copy, '.build', name);

function run(...args: string[]) {
  return spawnSync(process.execPath, [path.join(copy, 'scripts', 'run.js'), ...args], { cwd: copy, encoding: 'utf8', timeout: 120_000 });
}

/** Every file under `dir`, by relative path, with its bytes. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

test('npm run synth, npm run build, cdk8s synth and the other commands all go through the runner', () => {
  const { scripts } = readJson(path.join(ROOT, 'package.json')) as { scripts: Record<string, string> };
  expect(scripts.synth).toBe('node scripts/run.js main.ts');
  expect(scripts.build).toBe('node scripts/run.js --build main.ts');
  for (const command of ['validate', 'checklist', 'docs', 'bench', 'diff', 'verify']) expect(scripts[command]).toBe(`node scripts/run.js scripts/${command}.ts`);
  expect(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')).toMatch(/^app: node scripts\/run\.js main\.ts$/m);
});

test('the bundle writes exactly the committed dist/, and holds only the k8s classes of cdk8s-plus-28 and one yaml', () => {
  const result = run('main.ts', '--outdir', 'out');
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(tree(path.join(copy, 'out'))).toEqual(tree(path.join(ROOT, 'dist')));
  const inputs = Object.keys(readJson(build('main.inputs.json')).inputs);
  expect(inputs).toContain('lib/synth/render.ts');
  // node_modules is a symlink here: esbuild records the real paths.
  expect(inputs.filter((f) => f.includes('node_modules/cdk8s-plus-28/'))).toEqual([expect.stringMatching(/node_modules\/cdk8s-plus-28\/lib\/imports\/k8s\.js$/)]);
  expect(inputs.filter((f) => f.endsWith('/yaml/dist/index.js'))).toEqual([expect.not.stringContaining('cdk8s/node_modules')]);
  expect(fs.existsSync(build('main.js.v8-cache'))).toBe(true);
});

// `main.ts --help` runs the bundle as a synth does, without rendering and writing every environment (the test above does).
test('an unchanged bundle is not rebuilt; a changed input is, and the new code runs (not the old code cache)', () => {
  expect(run('main.ts', '--help').status).toBe(0);
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(build('main.js'), past, past);
  expect(run('main.ts', '--help').status).toBe(0);
  expect(Math.abs(fs.statSync(build('main.js')).mtimeMs - past.getTime())).toBeLessThan(1);

  const cli = path.join(copy, 'lib', 'synth', 'cli.ts');
  fs.writeFileSync(cli, fs.readFileSync(cli, 'utf8').replace('`usage: npm run synth ', '`usage (changed): npm run synth '));
  const changed = run('main.ts', '--help');
  expect(changed.status).toBe(0);
  expect(changed.stdout).toMatch(/^usage \(changed\): npm run synth /);
  expect(fs.statSync(build('main.js')).mtimeMs).toBeGreaterThan(past.getTime());
});

test('an input saved while the bundle was built counts as changed: the next run builds again', () => {
  // Its mtime after the build started stands for an edit saved while esbuild read the file: the bundle may hold
  // the old text, so the stamp must not vouch for it.
  const cli = path.join(copy, 'lib', 'synth', 'cli.ts');
  const future = new Date(Date.now() + 30_000);
  fs.utimesSync(cli, future, future);
  expect(run('--build', 'main.ts').status).toBe(0);
  expect(readJson(build('main.inputs.json')).inputs['lib/synth/cli.ts']).toBeNull();
  const built = fs.statSync(build('main.js')).ino;
  expect(run('main.ts', '--help').status).toBe(0);
  expect(fs.statSync(build('main.js')).ino).not.toBe(built);
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(cli, past, past);
});

test('a code cache runs only with the bundle it was made from (a synth may replace the bundle while another writes its cache)', () => {
  expect(run('main.ts', '--help').status).toBe(0);
  expect(fs.existsSync(build('main.js.v8-cache'))).toBe(true);
  // Another bundle of the same length put in place, the cache of the old one left beside it: what a synth that
  // started before a rebuild leaves when it writes its cache at exit. V8 checks only the source's length.
  const bundle = fs.readFileSync(build('main.js'), 'utf8');
  const usage = /usage[^`:]*: npm run synth /.exec(bundle)?.[0];
  expect(usage).toBeDefined();
  fs.writeFileSync(`${build('main.js')}.new`, bundle.replace(usage!, usage!.toUpperCase()));
  fs.renameSync(`${build('main.js')}.new`, build('main.js'));
  const replaced = run('main.ts', '--help');
  expect(replaced.status).toBe(0);
  expect(replaced.stdout.startsWith(usage!.toUpperCase())).toBe(true);
});

test('exit codes and errors pass through: a bad config fails with its file and line', () => {
  const file = path.join(copy, 'config', 'environments', 'staging.yaml');
  const original = fs.readFileSync(file, 'utf8');
  try {
    fs.appendFileSync(file, 'unknown: 1\n');
    const failed = run('main.ts', '--outdir', 'out');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`config/environments/staging.yaml:${original.split('\n').length}: unknown: unknown key`);
  } finally {
    fs.writeFileSync(file, original);
  }
  expect(run('no-such-entry.ts')).toMatchObject({ status: 2, stderr: expect.stringContaining('no such entry point: no-such-entry.ts') });
});

test('--build only bundles', () => {
  fs.rmSync(path.join(copy, 'out-build'), { recursive: true, force: true });
  const result = run('--build', 'main.ts', '--outdir', 'out-build');
  expect(result.status).toBe(0);
  expect(result.stdout).toBe('');
  expect(fs.existsSync(path.join(copy, 'out-build'))).toBe(false);
});

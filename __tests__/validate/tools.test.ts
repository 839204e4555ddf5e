import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as Tools from '../../lib/tools';

/** lib/tools.ts itself (setup file tools-once.ts replaces installedTool with a per-run answer), loaded afresh so nothing is remembered between tests. */
function actualTools(): typeof Tools {
  let tools: typeof Tools | undefined;
  jest.isolateModules(() => {
    tools = jest.requireActual<typeof Tools>('../../lib/tools');
  });
  return tools!;
}

describe('installedTool: docker-compose is looked up on PATH, not asked for its version', () => {
  const saved = process.env.PATH;
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-'));
    process.env.PATH = folder;
  });
  afterEach(() => {
    process.env.PATH = saved;
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('an executable docker-compose on PATH is installed, even one that would fail a version query', () => {
    fs.writeFileSync(path.join(folder, 'docker-compose'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    expect(actualTools().installedTool('dockerCompose')).toBe('docker-compose');
  });

  it('none on PATH, a file without the execute bit or a folder of that name: not installed', () => {
    expect(actualTools().installedTool('dockerCompose')).toBeUndefined();
    fs.writeFileSync(path.join(folder, 'docker-compose'), '#!/bin/sh\n', { mode: 0o644 });
    expect(actualTools().installedTool('dockerCompose')).toBeUndefined();
    fs.rmSync(path.join(folder, 'docker-compose'));
    fs.mkdirSync(path.join(folder, 'docker-compose'));
    expect(actualTools().installedTool('dockerCompose')).toBeUndefined();
  });
});

describe('the Debian packages of the real tools are installed by CI and named in the README', () => {
  const { TOOLS } = actualTools();
  const packages = [...new Set(Object.values(TOOLS).flatMap((t) => t.debian.split(' ')))].sort();
  const root = path.join(__dirname, '..', '..');
  /** The words after `apt-get install` in a text (continued lines joined), its flags and redirections left out. */
  const installed = (text: string) =>
    new Set([...text.replace(/\\\n/g, ' ').matchAll(/apt-get install ([^\n`]*)/g)].flatMap((m) => m[1].split(/\s+/)).filter((w) => w !== '' && !/^[->]/.test(w)));

  it('.ci/run installs every one', () => {
    const ci = installed(fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8'));
    expect(packages.length).toBeGreaterThan(10);
    expect(packages.filter((p) => !ci.has(p))).toEqual([]);
  });

  it('the README\'s install line names every one', () => {
    const readme = installed(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    expect(packages.filter((p) => !readme.has(p))).toEqual([]);
  });
});

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

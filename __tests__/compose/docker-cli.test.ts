import * as fs from 'fs';
import * as path from 'path';
import { composeEnvironment, ScratchServer } from './support/scripts';

/**
 * deploy.sh and rollback.sh watch the containers with `docker ps`, `docker
 * inspect` and `docker logs`, also when Compose is docker-compose 1.29: without
 * the docker CLI they stop before changing anything, and say why.
 */
describe('without the docker CLI on PATH', () => {
  let server: ScratchServer;
  let release: string;
  /** A folder of links to every command of PATH but docker, with docker-compose 1.29 as a stand-in that records its calls. */
  let pathWithoutDocker: string;

  beforeAll(() => {
    server = new ScratchServer();
    release = server.release('release', composeEnvironment());
    pathWithoutDocker = path.join(server.dir, 'no-docker');
    fs.mkdirSync(pathWithoutDocker);
    for (const folder of [server.bin, ...(process.env.PATH ?? '').split(path.delimiter)].filter(Boolean)) {
      for (const name of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
        const link = path.join(pathWithoutDocker, name);
        if (name !== 'docker' && !fs.existsSync(link)) fs.symlinkSync(path.join(folder, name), link);
      }
    }
    fs.rmSync(path.join(pathWithoutDocker, 'docker-compose'), { force: true });
    fs.writeFileSync(path.join(pathWithoutDocker, 'docker-compose'), '#!/bin/sh\nprintf "docker-compose %s\\n" "$*" >> "$STANDIN_DIR/compose-calls"\n', { mode: 0o755 });
  });
  afterAll(() => server.remove());

  const composeCalls = () => {
    const file = path.join(server.state, 'compose-calls');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  };

  test.each(['deploy.sh', 'rollback.sh'] as const)('%s stops at once and names the missing CLI', (script) => {
    const { code, output } = server.run(release, script, [], { PATH: pathWithoutDocker });
    expect(code).not.toBe(0);
    expect(output).toContain("the docker CLI is not installed: this script runs 'docker ps', 'docker inspect' and 'docker logs'");
    expect(composeCalls()).toBe('');
    expect(fs.existsSync(path.join(server.site, 'releases'))).toBe(false);
  });

  test('a dry run needs no docker CLI', () => {
    const { code, output } = server.run(release, 'deploy.sh', ['--dry-run'], { PATH: pathWithoutDocker });
    expect(output).not.toContain('docker CLI is not installed');
    expect(output).toContain('dry run: would run:');
    expect(code).toBe(0);
  });
});

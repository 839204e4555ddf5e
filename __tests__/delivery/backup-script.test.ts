import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BACKUP } from '../../lib/datastores/constants';
import { find, manifestsOf, minimalEnvironment } from '../support/env';

/** The backup CronJob's shell script as rendered, run with a stand-in pg_dump and the backup folder moved to a temp dir. */
describe('the backup script', () => {
  const command = (
    find(manifestsOf(minimalEnvironment({ datastores: { backup: { keep: 3 } } })), 'CronJob', BACKUP.name).spec as {
      jobTemplate: { spec: { template: { spec: { containers: { command: string[] }[] } } } };
    }
  ).jobTemplate.spec.template.spec.containers[0].command;
  let dir: string;
  let backups: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-'));
    backups = path.join(dir, 'backups');
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.mkdirSync(backups);
    // Writes the file named by --file=, or fails when FAIL is set (leaving a partial file, as pg_dump may).
    fs.writeFileSync(
      path.join(dir, 'bin', 'pg_dump'),
      '#!/bin/sh\nfor a in "$@"; do case "$a" in --file=*) f="${a#--file=}";; esac; done\necho dump > "$f"\n[ -z "${FAIL:-}" ]\n',
      { mode: 0o755 },
    );
    for (let day = 1; day <= 5; day++) {
      const file = path.join(backups, `odoo_finder-2026110${day}T030000Z.dump`);
      fs.writeFileSync(file, 'old');
      fs.utimesSync(file, new Date(2026, 10, day), new Date(2026, 10, day));
    }
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string> = {}) => {
    const [shell, flag, script, ...args] = command;
    return spawnSync(shell, [flag, script.split(BACKUP.path).join(backups), ...args], {
      env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, PGDATABASE: 'odoo_finder', ...env },
      encoding: 'utf8',
    });
  };

  test('writes a new dump and keeps only the newest `keep`', () => {
    const result = run();
    expect(result.status).toBe(0);
    const files = fs.readdirSync(backups).sort();
    expect(files).toHaveLength(3);
    expect(files.slice(0, 2)).toEqual(['odoo_finder-20261104T030000Z.dump', 'odoo_finder-20261105T030000Z.dump']);
    expect(files[2]).toMatch(/^odoo_finder-\d{8}T\d{6}Z\.dump$/);
  });

  test('a failed dump fails the Job and deletes no older dump', () => {
    const result = run({ FAIL: '1' });
    expect(result.status).not.toBe(0);
    expect(fs.readdirSync(backups).filter((f) => f.endsWith('.dump'))).toHaveLength(5);
  });
});

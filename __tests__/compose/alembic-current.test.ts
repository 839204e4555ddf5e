import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REVISION_FROM_ALEMBIC_CURRENT } from '../../lib/compose/scripts/common';
import { findTool, missingToolMessage } from '../support/tools';

/**
 * deploy.sh records the database's revision from `alembic current`; the stand-in
 * docker only imitates that output, so here the real alembic (Debian
 * python3-alembic, SQLite) prints it, logs included, and the script's own sed program reads it.
 */
const python = findTool('alembic');
if (!python) console.warn(`alembic-current.test: ${missingToolMessage('alembic')}`);

(python ? describe : describe.skip)('the revision deploy.sh records, from a real alembic current', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-current-'));
    execFileSync(python!, ['-m', 'alembic', 'init', 'migrations'], { cwd: dir, stdio: 'ignore' });
    const ini = path.join(dir, 'alembic.ini');
    fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = sqlite:///${path.join(dir, 'db.sqlite')}`));
    for (const [rev, down] of [['aaa1', null], ['bbb2', 'aaa1']]) {
      fs.writeFileSync(
        path.join(dir, 'migrations', 'versions', `${rev}.py`),
        `revision = '${rev}'\ndown_revision = ${down ? `'${down}'` : 'None'}\nbranch_labels = None\ndepends_on = None\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n`,
      );
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `alembic current`, stdout and stderr together (a terminal shows both), through the script's sed program. */
  const recorded = () => {
    const out = spawnSync('/bin/sh', ['-c', `"${python}" -m alembic current 2>&1 | sed -n -E '${REVISION_FROM_ALEMBIC_CURRENT}'`], { cwd: dir, encoding: 'utf8' });
    expect(out.status).toBe(0);
    return out.stdout.trim();
  };

  test('a database without a revision records none', () => {
    expect(recorded()).toBe('');
  });

  test('at a revision, that revision, not a log line', () => {
    execFileSync(python!, ['-m', 'alembic', 'upgrade', 'aaa1'], { cwd: dir, stdio: 'ignore' });
    expect(recorded()).toBe('aaa1');
    execFileSync(python!, ['-m', 'alembic', 'upgrade', 'head'], { cwd: dir, stdio: 'ignore' });
    expect(recorded()).toBe('bbb2');
  });
});

import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import { REVISION_FROM_ALEMBIC_CURRENT } from '../../lib/compose/scripts/common';
import { alembicProject } from '../support/alembic';
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
    dir = alembicProject(python!, [{ rev: 'aaa1', down: null }, { rev: 'bbb2', down: 'aaa1' }], 'alembic-current-');
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

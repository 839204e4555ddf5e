import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { migrationCommand } from '../../lib/delivery/migration-command';
import { ROOT } from '../support/env';
import { alembicProject } from '../support/alembic';
import { findTool, missingToolMessage } from '../support/tools';

/**
 * Runs the migration hook's command against a real alembic (Debian package
 * python3-alembic) and SQLite: three revisions, each creating one table.
 * Skipped, with a note, where no Python with alembic is installed; in CI (CI=true) that is a failure.
 */
const python = findTool('alembic');
if (!python) console.warn(`migration-command.test: ${missingToolMessage('alembic', 'the real-alembic checks are SKIPPED')}`);

/** Prints the revision in alembic_version (alembic keeps one row there), or nothing when the table does not exist yet. */
const READ_REVISION = [
  'import os, sqlite3, sys',
  "if not os.path.exists(sys.argv[1]): print(''); sys.exit()",
  "db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)",
  "tables = db.execute(\"select name from sqlite_master where name = 'alembic_version'\").fetchall()",
  "print(' '.join(r[0] for r in db.execute('select version_num from alembic_version')) if tables else '')",
].join('\n');

const REVISIONS = [
  ['aaa1', null, 't_a'],
  ['bbb2', 'aaa1', 't_b'],
  ['ccc3', 'bbb2', 't_c'],
] as const;

(python ? describe : describe.skip)('the migration command against a real alembic', () => {
  /** `alembic init` with the revisions, made once; each test works on a copy (alembic starts in a third of a second). */
  let template: string;
  let dir: string;
  let bin: string;

  beforeAll(() => {
    template = alembicProject(python!, REVISIONS.map(([rev, down, table]) => ({ rev, down, table })), 'alembic-template-');
  });
  afterAll(() => fs.rmSync(template, { recursive: true, force: true }));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-'));
    fs.cpSync(template, dir, { recursive: true });
    const ini = path.join(dir, 'alembic.ini');
    fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = sqlite:///${path.join(dir, 'db.sqlite')}`));
    // The image has an `alembic` executable; here it is the Debian module behind a shim.
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'alembic'), `#!/bin/sh\nexec ${python} -m alembic "$@"\n`, { mode: 0o755 });
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs a hook command; returns its exit status. */
  const run = ([command, ...args]: string[]) => spawnSync(command, args, { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8', timeout: 60_000 }).status;
  /** Runs the hook's command for `target`; returns its exit status. */
  const migrate = (target: string) => run(migrationCommand(target));
  /**
   * The revision the database is at: alembic's own record, the alembic_version table that `alembic current` reads
   * (read with Python's sqlite3, which starts in a tenth of the time alembic takes). '' before the first migration.
   */
  const current = () =>
    execFileSync(python!, ['-c', READ_REVISION, path.join(dir, 'db.sqlite')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  // Every sync runs the hook again (BeforeHookCreation), and so does a sync started by hand after a failure:
  // the command Argo CD runs must change nothing the second time.
  test('head, as rendered into dist/ (staging): upgrades, then does nothing on the next sync', () => {
    const job = parse(fs.readFileSync(path.join(ROOT, 'dist', 'staging', 'job-ai-odoo-finder-migrate.yaml'), 'utf8'));
    const command = job.spec.template.spec.containers[0].command as string[];
    expect(command).toEqual(['alembic', 'upgrade', 'head']);
    expect(command).toEqual(migrationCommand('head'));
    expect(current()).toBe('');
    expect(run(command)).toBe(0);
    expect(current()).toBe('ccc3');
    expect(run(command)).toBe(0);
    expect(current()).toBe('ccc3');
  });

  test('a pinned revision is reached from above (downgrade) and stays there on every later sync', () => {
    expect(migrate('head')).toBe(0);
    expect(migrate('aaa1')).toBe(0);
    expect(current()).toBe('aaa1');
    expect(migrate('aaa1')).toBe(0);
    expect(current()).toBe('aaa1');
  });

  test('a pinned revision is reached from below (upgrade), e.g. on a fresh database', () => {
    expect(migrate('bbb2')).toBe(0);
    expect(current()).toBe('bbb2');
  });

  test('an unknown revision fails the hook and changes nothing', () => {
    expect(migrate('head')).toBe(0);
    expect(migrate('zzz9')).not.toBe(0);
    expect(current()).toBe('ccc3');
  });
});

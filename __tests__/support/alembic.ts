import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One migration: its revision, the one before it (none for the first), and the table it creates (none: it changes nothing). */
export interface Revision {
  readonly rev: string;
  readonly down: string | null;
  readonly table?: string;
}

/**
 * A throw-away alembic project (`alembic init`, Debian python3-alembic) on a
 * SQLite database, with this chain of revisions, in a new temporary folder
 * (returned; the caller removes it). `python` runs `-m alembic`.
 */
export function alembicProject(python: string, revisions: readonly Revision[], prefix = 'alembic-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  execFileSync(python, ['-m', 'alembic', 'init', 'migrations'], { cwd: dir, stdio: 'ignore' });
  const ini = path.join(dir, 'alembic.ini');
  fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = sqlite:///${path.join(dir, 'db.sqlite')}`));
  for (const { rev, down, table } of revisions) {
    const [upgrade, downgrade] = table ? [`op.create_table('${table}', sa.Column('id', sa.Integer, primary_key=True))`, `op.drop_table('${table}')`] : ['pass', 'pass'];
    fs.writeFileSync(
      path.join(dir, 'migrations', 'versions', `${rev}.py`),
      [
        'from alembic import op',
        'import sqlalchemy as sa',
        `revision = '${rev}'`,
        `down_revision = ${down ? `'${down}'` : 'None'}`,
        'branch_labels = None',
        'depends_on = None',
        `def upgrade():\n    ${upgrade}`,
        `def downgrade():\n    ${downgrade}`,
        '',
      ].join('\n'),
    );
  }
  return dir;
}

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderComposeFolder } from '../../lib/compose/render';
import { findTool, missingToolMessage } from '../support/tools';
import { composeEnvironment } from './support/scripts';

/*
 * deploy.sh and rollback.sh read the site's .env themselves (which variables
 * are set, TLS_DIR) before Compose reads it: each line must mean to them what
 * it means to docker-compose 1.29, whose own reader (env_vars_from_file, on
 * python-dotenv) is the judge here.
 */
const python = findTool('composeLibrary');
if (!python) console.warn(`compose env-file.test: ${missingToolMessage('composeLibrary')}`);

/** Lines of a .env file that set (or not) TLS_DIR, as people write them. */
const LINES = [
  'TLS_DIR=/srv/site/tls',
  'TLS_DIR="/srv/site/tls"',
  "TLS_DIR='/srv/site/tls'",
  'TLS_DIR=/srv/site/tls # the certificates',
  'TLS_DIR=/srv/site/tls   ',
  'TLS_DIR="/srv/my site/tls" # quoted, with a space',
  "TLS_DIR='/srv/a#b'",
  'TLS_DIR=/srv/a#b',
  'export TLS_DIR=/srv/site/tls',
  'TLS_DIR = /srv/site/tls',
  '  TLS_DIR=/srv/site/tls',
  'TLS_DIR=',
  'TLS_DIR=""',
  'TLS_DIR= # nothing yet',
  '# TLS_DIR=/srv/commented-out',
  'OTHER_TLS_DIR=/srv/other',
  'TLS_DIRECTORY=/srv/other',
  'TLS_DIR=/srv/first\nTLS_DIR=/srv/second',
];

/** The env_value function of the rendered script, run by bash on each file. */
function scriptReads(script: string, files: string[]): string[] {
  const fn = /^env_value\(\) \{\n[\s\S]*?\n\}\n/m.exec(script)?.[0];
  const sentinel = /^ENV_COMMENT_AFTER_TAB=.*$/m.exec(script)?.[0];
  if (!fn || !sentinel) throw new Error('env_value() or ENV_COMMENT_AFTER_TAB not found in the rendered script');
  const run = spawnSync('bash', ['-c', `${sentinel}\n${fn}\nfor SITE in "$@"; do env_value TLS_DIR; printf '\\0'; done`, 'bash', ...files], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.split('\0').slice(0, -1);
}

/** What docker-compose 1.29 reads as TLS_DIR from each file ('' when unset). */
function composeReads(files: string[]): string[] {
  const code = 'import json, sys\nfrom compose.config.environment import env_vars_from_file\nprint(json.dumps([env_vars_from_file(f).get("TLS_DIR") or "" for f in sys.argv[1:]]))';
  const run = spawnSync(python!, ['-c', code, ...files], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

(python ? describe : describe.skip)('the scripts read .env as docker-compose 1.29 does', () => {
  let dir: string;
  let files: string[];
  let compose: string[];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-file-'));
    files = LINES.map((line, i) => {
      const site = path.join(dir, `site-${i}`);
      fs.mkdirSync(site);
      fs.writeFileSync(path.join(site, '.env'), `POSTGRES_PASSWORD=x\n${line}\nREDIS_PASSWORD=y\n`);
      return site;
    });
    compose = composeReads(files.map((site) => path.join(site, '.env')));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(['deploy.sh', 'rollback.sh'])('%s: every line gives the value Compose gives', (script) => {
    const rendered = renderComposeFolder(composeEnvironment()).get(script)!;
    const ours = scriptReads(rendered, files);
    expect(LINES.map((line, i) => ({ line, value: ours[i] }))).toEqual(LINES.map((line, i) => ({ line, value: compose[i] })));
    // The cases cover quoting, comments and unset values.
    expect(new Set(compose)).toEqual(new Set(['/srv/site/tls', '/srv/my site/tls', '/srv/a#b', '', '# nothing yet', '/srv/second']));
  });

  test('a comment after a tab: docker-compose 1.29 ends the value at the #, Compose v2 keeps it (compose-go dotenv/parser.go extractVarValue cuts at " #" only), so the scripts refuse it', () => {
    const site = path.join(dir, 'site-tab');
    fs.mkdirSync(site);
    fs.writeFileSync(path.join(site, '.env'), 'TLS_DIR=/srv/site/tls\t# a tab before the comment\n');
    expect(composeReads([path.join(site, '.env')])).toEqual(['/srv/site/tls']);
    const rendered = renderComposeFolder(composeEnvironment()).get('deploy.sh')!;
    expect(scriptReads(rendered, [site])).toEqual(['\x01comment after a tab']);
  });
});

(python ? test : test.skip)('docker-compose 1.29 expands ${NAME} in a bare or double-quoted .env value (why the scripts refuse a $ in one)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-dollar-'));
  try {
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, 'OTHER=zz\nBARE=a${OTHER}b\nDOUBLE="a${OTHER}b"\nUNSET=a${NOT_SET}b\n');
    const code = 'import json, sys\nfrom compose.config.environment import env_vars_from_file\nprint(json.dumps(env_vars_from_file(sys.argv[1])))';
    const run = spawnSync(python!, ['-c', code, file], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ OTHER: 'zz', BARE: 'azzb', DOUBLE: 'azzb', UNSET: 'ab' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

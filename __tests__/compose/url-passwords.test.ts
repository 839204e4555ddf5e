import { spawnSync } from 'child_process';
import { API_VARIABLES } from '../../lib/api/constants';
import { composeFile } from '../../lib/compose/compose-file';
import { SERVICES } from '../../lib/compose/constants';
import { scriptSettings } from '../../lib/compose/scripts/settings';
import { referencedVariables, required, STACK_VARIABLES, URL_SAFE } from '../../lib/compose/variables';
import { committedEnvironment } from '../support/env';
import { findTool, missingToolMessage } from '../support/tools';

/*
 * The Compose file puts POSTGRES_PASSWORD and REDIS_PASSWORD into the API's
 * DATABASE_URL and REDIS_URL as they are (Compose cannot URL-encode), so the
 * scripts refuse a password with characters other than URL_SAFE. Here the
 * API's own URL parsers judge that rule: SQLAlchemy's make_url (Debian
 * python3-sqlalchemy, beside alembic) and redis-py's parse_url.
 */
const python = findTool('alembic');
const redisPy = findTool('redisPy');
if (!python || !redisPy) console.warn(`compose url-passwords.test: ${missingToolMessage(python ? 'redisPy' : 'alembic')}`);

const api = composeFile(committedEnvironment('local')).services[SERVICES.api].environment as Record<string, string>;
const withPassword = (url: string, name: 'POSTGRES_PASSWORD' | 'REDIS_PASSWORD', password: string) => {
  expect(url).toContain(required(name));
  return url.replace(required(name), password);
};

interface Parsed {
  password: string | null;
  host: string | null;
  database: string | number | null;
}

/** What SQLAlchemy and redis-py read from the URLs with each password (an exception as `error`). */
function parse(passwords: readonly string[]): { sqlalchemy: Parsed | { error: string }; redis: Parsed | { error: string } }[] {
  const code = `import json, sys
from sqlalchemy.engine import make_url
from redis.connection import parse_url
def judge(f):
    try:
        return f()
    except Exception as e:
        return {"error": repr(e)}
def db(u):
    u = make_url(u)
    return {"password": u.password, "host": u.host, "database": u.database}
def rd(u):
    r = parse_url(u)
    return {"password": r.get("password"), "host": r.get("host"), "database": r.get("db")}
pairs = json.loads(sys.stdin.read())
print(json.dumps([{"sqlalchemy": judge(lambda: db(d)), "redis": judge(lambda: rd(r))} for d, r in pairs]))`;
  const pairs = passwords.map((p) => [withPassword(api[API_VARIABLES.databaseUrl], 'POSTGRES_PASSWORD', p), withPassword(api[API_VARIABLES.redisUrl], 'REDIS_PASSWORD', p)]);
  const run = spawnSync(python!, ['-c', code], { input: JSON.stringify(pairs), encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const SAFE = ['abc', 'a'.repeat(64), '0123456789abcdef', 'Ok-1.2_3~x'];
const UNSAFE = ['p@ss', 'a#b', 'a/b', 'a?b', '%41bc'];

test('the scripts check exactly the variables of the rendered URLs, and they are stack variables', () => {
  const inUrls = referencedVariables(`${api[API_VARIABLES.databaseUrl]}\n${api[API_VARIABLES.redisUrl]}`);
  expect(inUrls).toEqual(['POSTGRES_PASSWORD', 'REDIS_PASSWORD']);
  expect(scriptSettings(committedEnvironment('local')).urlVariables).toEqual(inUrls);
  expect(inUrls.filter((name) => !STACK_VARIABLES.some((v) => v.name === name))).toEqual([]);
});

test('URL_SAFE accepts the safe examples and refuses the unsafe ones', () => {
  const safe = new RegExp(URL_SAFE);
  expect(SAFE.filter((p) => !safe.test(p))).toEqual([]);
  expect(UNSAFE.filter((p) => safe.test(p))).toEqual([]);
});

(python && redisPy ? describe : describe.skip)('the API\'s URL parsers', () => {
  const expected = (password: string) => ({
    sqlalchemy: { password, host: 'postgresql', database: 'odoo_finder' },
    redis: { password, host: 'redis', database: 0 },
  });

  test('read every URL-safe password back whole, with the right host and database', () => {
    expect(parse(SAFE)).toEqual(SAFE.map(expected));
  });

  test('misread each refused character: another password, another host, or no URL at all', () => {
    const results = parse(UNSAFE);
    UNSAFE.forEach((password, i) => expect([password, results[i]]).not.toEqual([password, expected(password)]));
    // The two failures that matter most, as the API would meet them.
    expect(results[0].sqlalchemy).toEqual({ password: 'p', host: 'ss@postgresql', database: 'odoo_finder' });
    expect(results[1].redis).toEqual({ error: expect.stringContaining('Port could not be cast') });
  });
});

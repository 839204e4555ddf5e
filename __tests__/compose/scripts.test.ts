import * as fs from 'fs';
import * as path from 'path';
import { migrationCommand } from '../../lib/delivery/migration-command';
import { SMOKE_TEST_BUDGET_SECONDS, SMOKE_TEST_SCRIPT } from '../../lib/delivery/smoke-test-job';
import { composeEnvironment, ScratchServer, step } from './support/scripts';

/** The smoke test as the stand-in docker records it: the Kubernetes hook's script, its arguments and budget. */
const SMOKE_TEST_STEP = `run python3 -c <script> http://api:8000 /api/v1/search?q=sale&limit=1 ${SMOKE_TEST_BUDGET_SECONDS}`;

/**
 * deploy.sh and rollback.sh as rendered, run by bash against a stand-in
 * docker that records its calls (no Docker engine runs here): the order of
 * operations, the rollback on a failed health check, the dry run, idempotence.
 */
describe('deploy.sh and rollback.sh against a stand-in docker', () => {
  let server: ScratchServer;
  let releaseA: string;
  let releaseB: string;
  const steps = (calls: ReturnType<ScratchServer['calls']>) => calls.map(step);

  beforeEach(() => {
    server = new ScratchServer();
    releaseA = server.release('release-a', composeEnvironment());
    releaseB = server.release('release-b', composeEnvironment({ image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.1.0' } }));
  });
  afterEach(() => server.remove());

  test('deploy: pull, datastores, dump, migrate, start, wait, smoke test, record, in that order', () => {
    const { code, output, calls } = server.run(releaseA, 'deploy.sh');
    expect(output).toContain('is deployed');
    expect(code).toBe(0);
    expect(steps(calls)).toEqual([
      'compose version',
      'pull',
      'up -d postgresql redis',
      'ps postgresql',
      'inspect postgresql',
      'ps redis',
      'inspect redis',
      'exec postgresql pg_dump',
      'run alembic upgrade head',
      'run alembic current',
      'up -d --remove-orphans',
      'ps api',
      'inspect api',
      'ps nginx',
      'inspect nginx',
      SMOKE_TEST_STEP,
    ]);
    // The Kubernetes hooks' own commands, not copies.
    const migrate = calls.find((c) => step(c) === 'run alembic upgrade head')!.compose!;
    expect(migrate.slice(migrate.indexOf('--entrypoint') + 1)).toEqual([migrationCommand('head')[0], 'api', ...migrationCommand('head').slice(1)]);
    expect(calls[calls.length - 1].compose).toContain(SMOKE_TEST_SCRIPT);
    expect(calls.every((c) => !c.folder || c.folder === releaseA)).toBe(true);
    expect(server.recorded('current', 'image')).toBe('ghcr.io/ai-odoofinder/api:1.0.0');
    expect(server.recorded('current', 'revision')).toBe('aaa111');
    expect(server.recorded('previous', 'id')).toBeUndefined();
    const dumps = fs.readdirSync(path.join(server.site, 'backups'));
    expect(dumps).toEqual([expect.stringMatching(/^odoo-finder-test-\d{8}T\d{6}Z\.dump$/)]);
    expect(fs.readFileSync(path.join(server.site, 'backups', dumps[0]), 'utf8')).toBe('dump');
    expect(fs.existsSync(path.join(server.site, 'releases', '.lock'))).toBe(false);
  });

  test('with only docker-compose 1.x (no "docker compose"), the scripts use docker-compose', () => {
    fs.writeFileSync(path.join(server.bin, 'docker-compose'), '#!/bin/sh\nexec "$(dirname "$0")/docker" compose "$@"\n', { mode: 0o755 });
    const { code, output, calls } = server.run(releaseA, 'deploy.sh', [], { STANDIN_FAIL: 'compose version' });
    expect(code).toBe(0);
    expect(output).toContain('+ docker-compose --project-name odoo-finder-test');
    expect(output).not.toContain('+ docker compose');
    expect(steps(calls)).toContain('up -d --remove-orphans');
  });

  test('deploy is idempotent: the same release again records nothing new and takes no dump (one would push the pre-migration dump out)', () => {
    expect(server.run(releaseA, 'deploy.sh').code).toBe(0);
    const id = server.recorded('current', 'id');
    const dumps = fs.readdirSync(path.join(server.site, 'backups'));
    const again = server.run(releaseA, 'deploy.sh');
    expect(again.code).toBe(0);
    expect(again.output).toContain('already the current one');
    expect(steps(again.calls).filter((s) => s.includes('pg_dump'))).toEqual([]);
    expect(fs.readdirSync(path.join(server.site, 'backups'))).toEqual(dumps);
    expect(server.recorded('current', 'id')).toBe(id);
    expect(server.recorded('previous', 'id')).toBeUndefined();
    // Failing again, it has no earlier release to go back to by itself, and says what to do.
    server.health('api', 'unhealthy');
    const failed = server.run(releaseA, 'deploy.sh');
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('fix the cause and run deploy.sh again, or run rollback.sh for the previous release');
  });

  test('Compose gets what .env says, not a variable of the calling shell (docker-compose 1.29 lets the shell win over .env)', () => {
    const { code, calls } = server.run(releaseA, 'deploy.sh', [], { POSTGRES_PASSWORD: 'p@ss', STANDIN_RECORD_ENV: 'POSTGRES_PASSWORD' });
    expect(code).toBe(0);
    const seen = fs.readFileSync(path.join(server.state, 'env'), 'utf8').trim().split('\n');
    expect(seen).toHaveLength(calls.length);
    expect([...new Set(seen)]).toEqual(['(unset)']);
  });

  test('a failed health check rolls back to the last good release: schema first with the new image, then the old files', () => {
    expect(server.run(releaseA, 'deploy.sh', [], { STANDIN_REVISION: 'aaa111' }).code).toBe(0);
    const good = server.recorded('current', 'id');
    server.health('api', 'starting', 'unhealthy', 'healthy');
    const { code, output, calls } = server.run(releaseB, 'deploy.sh', [], { STANDIN_REVISION: 'bbb222' });
    expect(code).toBe(1);
    expect(output).toContain('deploy failed: the API did not become healthy');
    expect(output).toContain(`rolled back to the last good release ${good}`);
    const s = steps(calls);
    const failed = s.lastIndexOf('inspect api', s.indexOf('ps nginx') === -1 ? undefined : s.indexOf('ps nginx'));
    expect(s.slice(s.indexOf('up -d --remove-orphans'))).toEqual([
      'up -d --remove-orphans',
      'ps api',
      'inspect api',
      'ps api',
      'inspect api',
      // Why: the failed container's last log lines.
      'logs api',
      // Release A's images first: a registry that fails stops the rollback before the downgrade.
      'pull',
      // The schema goes back to the revision release A recorded, with B's image (it knows B's revision).
      'run /bin/sh -c <script> migrate aaa111',
      'up -d --remove-orphans',
      'ps api',
      'inspect api',
      'ps nginx',
      'inspect nginx',
      SMOKE_TEST_STEP,
    ]);
    expect(failed).toBeGreaterThan(0);
    const rollbackFrom = s.indexOf('run /bin/sh -c <script> migrate aaa111');
    expect(calls[rollbackFrom].folder).toBe(releaseB);
    expect(calls[rollbackFrom].compose!.slice(-4, -1)).toEqual(migrationCommand('aaa111').slice(1, -1));
    const current = path.join(server.site, 'releases', 'current');
    expect(calls.slice(rollbackFrom - 1).filter((c) => c !== calls[rollbackFrom]).every((c) => !c.folder || c.folder === current)).toBe(true);
    expect(server.recorded('current', 'id')).toBe(good);
    expect(server.recorded('previous', 'id')).toBeUndefined();
  });

  test('a datastore that fails before the migration: back to the last good files without a schema step (the database may be what is down)', () => {
    expect(server.run(releaseA, 'deploy.sh', [], { STANDIN_REVISION: 'aaa111' }).code).toBe(0);
    const good = server.recorded('current', 'id');
    server.health('postgresql', 'unhealthy');
    // With PostgreSQL down, a downgrade in a one-off container could only fail.
    const { code, output, calls } = server.run(releaseB, 'deploy.sh', [], { STANDIN_FAIL: 'alembic downgrade' });
    expect(code).toBe(1);
    expect(output).toContain('deploy failed: PostgreSQL did not become healthy');
    expect(output).toContain(`rolled back to the last good release ${good}`);
    const s = steps(calls);
    expect(s.filter((step) => step.startsWith('run'))).toEqual([SMOKE_TEST_STEP]);
    expect(s.slice(s.indexOf('inspect postgresql') + 1)).toEqual(['logs postgresql', 'pull', 'up -d --remove-orphans', 'ps api', 'inspect api', 'ps nginx', 'inspect nginx', SMOKE_TEST_STEP]);
    expect(calls[calls.length - 1].folder).toBe(path.join(server.site, 'releases', 'current'));
    expect(server.recorded('current', 'id')).toBe(good);
  });

  test('a failed dump rolls back without a schema step: up -d may already have changed the datastores', () => {
    expect(server.run(releaseA, 'deploy.sh', [], { STANDIN_REVISION: 'aaa111' }).code).toBe(0);
    const good = server.recorded('current', 'id');
    const { code, output, calls } = server.run(releaseB, 'deploy.sh', [], { STANDIN_FAIL: 'pg_dump' });
    expect(code).toBe(1);
    expect(output).toContain('deploy failed: dumping the database failed (before any migration)');
    expect(output).not.toContain('before changing anything');
    expect(output).toContain(`rolled back to the last good release ${good}`);
    const s = steps(calls);
    expect(s.filter((step) => step.includes('alembic'))).toEqual([]);
    expect(s.slice(s.indexOf('exec postgresql pg_dump') + 1)).toEqual(['pull', 'up -d --remove-orphans', 'ps api', 'inspect api', 'ps nginx', 'inspect nginx', SMOKE_TEST_STEP]);
    expect(calls[calls.length - 1].folder).toBe(path.join(server.site, 'releases', 'current'));
    expect(server.recorded('current', 'id')).toBe(good);
    expect(fs.readdirSync(path.join(server.site, 'backups')).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  test('a failed smoke test rolls back too', () => {
    expect(server.run(releaseA, 'deploy.sh').code).toBe(0);
    const { code, output, calls } = server.run(releaseB, 'deploy.sh', [], { STANDIN_FAIL_ONCE: SMOKE_TEST_SCRIPT.split('\n')[0] });
    expect(code).toBe(1);
    expect(output).toContain('deploy failed: the smoke test failed');
    expect(steps(calls).filter((s) => s.startsWith('run python3'))).toHaveLength(2);
    expect(calls[calls.length - 1].folder).toBe(path.join(server.site, 'releases', 'current'));
    expect(server.recorded('current', 'image')).toBe('ghcr.io/ai-odoofinder/api:1.0.0');
  });

  test('a failed first deploy has nothing to roll back to: it stops api and nginx and records nothing', () => {
    server.health('api', 'unhealthy');
    const { code, output, calls } = server.run(releaseA, 'deploy.sh');
    expect(code).toBe(1);
    expect(output).toContain('nothing to roll back to');
    expect(steps(calls)).toContain('stop api nginx');
    expect(steps(calls)).not.toContain(SMOKE_TEST_STEP);
    expect(fs.existsSync(path.join(server.site, 'releases', 'current'))).toBe(false);
  });

  test('a failed pull stops before anything changes', () => {
    const { code, output, calls } = server.run(releaseA, 'deploy.sh', [], { STANDIN_FAIL: ' pull' });
    expect(code).toBe(1);
    expect(output).toContain('deploy stopped before changing anything: pulling the images failed');
    expect(steps(calls)).toEqual(['compose version', 'pull']);
  });

  test('waiting for health is bounded: compose.waitSeconds / 5 looks, then the deploy fails', () => {
    const slow = server.release('release-slow', composeEnvironment({ compose: { waitSeconds: 30 } }));
    server.health('postgresql', 'starting');
    const { code, output, calls } = server.run(slow, 'deploy.sh');
    expect(code).toBe(1);
    expect(output).toContain('postgresql is still starting after 30 s');
    expect(steps(calls).filter((s) => s === 'inspect postgresql')).toHaveLength(6);
    expect(server.sleeps()).toBe(6);
  });

  test('--dry-run prints every step and runs nothing', () => {
    const { code, output, calls } = server.run(releaseA, 'deploy.sh', ['--dry-run']);
    expect(code).toBe(0);
    expect(steps(calls)).toEqual(['compose version']);
    for (const line of ['would run: docker compose --project-name odoo-finder-test', ' pull', 'up -d postgresql redis', 'would wait until postgresql is healthy', 'would dump the database', 'alembic api upgrade head', 'up -d --remove-orphans', 'python3 api -c <script>', 'would record release']) {
      expect(output).toContain(line);
    }
    expect(output.indexOf(' pull')).toBeLessThan(output.indexOf('upgrade head'));
    expect(output.indexOf('upgrade head')).toBeLessThan(output.indexOf('--remove-orphans'));
    expect(fs.readdirSync(server.site).sort()).toEqual(['.env', 'tls']);
  });

  test('rollback: to the previous release, schema first to its recorded revision; a second run does nothing', () => {
    expect(server.run(releaseA, 'deploy.sh', [], { STANDIN_REVISION: 'aaa111' }).code).toBe(0);
    const a = server.recorded('current', 'id');
    expect(server.run(releaseB, 'deploy.sh', [], { STANDIN_REVISION: 'bbb222' }).code).toBe(0);
    expect(server.recorded('previous', 'id')).toBe(a);

    const { code, output, calls } = server.run(releaseB, 'rollback.sh');
    expect(code).toBe(0);
    expect(output).toContain(`rolled back to release ${a}`);
    expect(steps(calls)).toEqual([
      'compose version',
      // What was written since the deploy, before a downgrade may drop it.
      'exec postgresql pg_dump',
      // The previous release's images first: a registry that fails stops it before the downgrade.
      'pull',
      'run /bin/sh -c <script> migrate aaa111',
      'up -d --remove-orphans',
      'ps api',
      'inspect api',
      'ps nginx',
      'inspect nginx',
      SMOKE_TEST_STEP,
    ]);
    const releases = path.join(server.site, 'releases');
    expect(calls[3].folder).toBe(path.join(releases, 'current'));
    expect([calls[2], ...calls.slice(4)].every((c) => !c.folder || c.folder === path.join(releases, 'previous'))).toBe(true);
    expect(server.recorded('current', 'id')).toBe(a);
    expect(server.recorded('current', 'image')).toBe('ghcr.io/ai-odoofinder/api:1.0.0');
    expect(fs.readFileSync(path.join(releases, 'current', 'docker-compose.yml'), 'utf8')).toBe(fs.readFileSync(path.join(releaseA, 'docker-compose.yml'), 'utf8'));

    const again = server.run(releaseB, 'rollback.sh');
    expect(again.code).toBe(0);
    expect(again.output).toContain('nothing to do');
    expect(steps(again.calls)).toEqual(['compose version']);
  });

  test('a registry that fails the older release\'s pull stops the rollback before the downgrade: deploy.sh and rollback.sh say nothing changed', () => {
    expect(server.run(releaseA, 'deploy.sh', [], { STANDIN_REVISION: 'aaa111' }).code).toBe(0);
    const a = server.recorded('current', 'id');
    const olderPull = `${path.join(server.site, 'releases', 'current', 'docker-compose.yml')} --env-file ${path.join(server.site, '.env')} pull`;
    server.health('api', 'unhealthy');
    const failed = server.run(releaseB, 'deploy.sh', [], { STANDIN_REVISION: 'bbb222', STANDIN_FAIL: olderPull });
    expect(failed.code).toBe(1);
    expect(steps(failed.calls).filter((s) => s.includes('migrate aaa111'))).toEqual([]);
    expect(failed.output).toContain(`ROLLBACK FAILED before it changed anything: pulling the images of ${a} failed`);
    expect(server.recorded('current', 'id')).toBe(a);

    server.health('api', 'healthy');
    expect(server.run(releaseB, 'deploy.sh', [], { STANDIN_REVISION: 'bbb222' }).code).toBe(0);
    const olderNow = `${path.join(server.site, 'releases', 'previous', 'docker-compose.yml')} --env-file ${path.join(server.site, '.env')} pull`;
    const stopped = server.run(releaseB, 'rollback.sh', [], { STANDIN_FAIL: olderNow });
    expect(stopped.code).toBe(1);
    expect(steps(stopped.calls).filter((s) => s.includes('migrate'))).toEqual([]);
    expect(stopped.output).toContain(`rollback stopped before changing anything: pulling the images of release ${a} failed`);
  });

  test('rollback --dry-run prints the plan and changes nothing', () => {
    server.run(releaseA, 'deploy.sh');
    server.run(releaseB, 'deploy.sh', [], { STANDIN_REVISION: 'bbb222' });
    const b = server.recorded('current', 'id');
    const { code, output, calls } = server.run(releaseB, 'rollback.sh', ['--dry-run']);
    expect(code).toBe(0);
    expect(steps(calls)).toEqual(['compose version']);
    expect(output).toContain('would run:');
    expect(output).toContain('migrate aaa111');
    expect(output.indexOf('would dump the database')).toBeGreaterThan(-1);
    expect(output.indexOf('would dump the database')).toBeLessThan(output.indexOf('migrate aaa111'));
    expect(server.recorded('current', 'id')).toBe(b);
  });

  test('rollback refuses when no previous release is recorded', () => {
    server.run(releaseA, 'deploy.sh');
    const { code, output, calls } = server.run(releaseA, 'rollback.sh');
    expect(code).toBe(1);
    expect(output).toContain('no previous release is recorded');
    expect(steps(calls)).toEqual(['compose version']);
  });

  test('the configured migrations.targetRevision is what deploy migrates to', () => {
    const pinned = server.release('release-pinned', composeEnvironment({ migrations: { targetRevision: 'abc123' } }));
    const { code, calls } = server.run(pinned, 'deploy.sh');
    expect(code).toBe(0);
    expect(steps(calls)).toContain('run /bin/sh -c <script> migrate abc123');
    expect(steps(calls)).not.toContain('run alembic upgrade head');
  });

  test('disabled migrations, smoke test and backups are skipped', () => {
    const bare = server.release('release-bare', composeEnvironment({ migrations: { enabled: false }, smokeTest: { enabled: false }, datastores: { backup: { enabled: false } } }));
    const { code, calls } = server.run(bare, 'deploy.sh');
    expect(code).toBe(0);
    expect(steps(calls).filter((s) => s.startsWith('run') || s.startsWith('exec'))).toEqual([]);
    expect(server.recorded('current', 'revision')).toBe('');
  });

  test('the dumps are pruned to datastores.backup.keep', () => {
    const keep2 = server.release('release-keep', composeEnvironment({ datastores: { backup: { keep: 2 } } }));
    fs.mkdirSync(path.join(server.site, 'backups'));
    for (const day of ['20260101', '20260102', '20260103']) fs.writeFileSync(path.join(server.site, 'backups', `odoo-finder-test-${day}T030000Z.dump`), 'old');
    expect(server.run(keep2, 'deploy.sh').code).toBe(0);
    const dumps = fs.readdirSync(path.join(server.site, 'backups')).sort();
    expect(dumps).toHaveLength(2);
    expect(dumps[0]).toBe('odoo-finder-test-20260103T030000Z.dump');
  });

  describe('refuses to start, naming the problem, before any docker call but the version', () => {
    test('a variable without a value in .env', () => {
      server.writeEnv({ REDIS_PASSWORD: '' });
      const { code, output, calls } = server.run(releaseA, 'deploy.sh');
      expect(code).toBe(1);
      expect(output).toContain('.env has no value for: REDIS_PASSWORD');
      expect(steps(calls)).toEqual(['compose version']);
    });

    test('a $ in a value, which Compose would expand (env-file.test shows docker-compose 1.29 doing it)', () => {
      server.writeEnv({ ANTHROPIC_API_KEY: 'sk-a${HOME}b', OPENAI_API_KEY: "'b$c'" });
      const { code, output, calls } = server.run(releaseA, 'deploy.sh');
      expect(code).toBe(1);
      expect(output).toContain('.env has a $ in the value of: ANTHROPIC_API_KEY OPENAI_API_KEY. Compose expands ${...} in a bare or double-quoted .env value, so the containers would not get the value written there (these scripts refuse one in single quotes too)');
      expect(steps(calls)).toEqual(['compose version']);
    });

    test('a password with characters that change a URL (url-passwords.test shows what the API\'s URL parsers make of them)', () => {
      server.writeEnv({ POSTGRES_PASSWORD: 'p@ss', REDIS_PASSWORD: 'Ok-1.2_3~x' });
      const { code, output, calls } = server.run(releaseA, 'deploy.sh');
      expect(code).toBe(1);
      expect(output).toContain('.env: the value of POSTGRES_PASSWORD has characters other than letters, digits and . _ ~ -');
      expect(output).toContain('for POSTGRES_PASSWORD of an existing database, ALTER ROLE to the new password first');
      expect(output).not.toContain('REDIS_PASSWORD');
      expect(steps(calls)).toEqual(['compose version']);
      server.writeEnv({ POSTGRES_PASSWORD: 'a b', REDIS_PASSWORD: 'x#y' });
      expect(server.run(releaseA, 'rollback.sh').output).toContain('the value of POSTGRES_PASSWORD REDIS_PASSWORD has characters');
    });

    test('a comment after a tab, which docker-compose 1.29 ends the value at and Compose v2 does not (compose-go dotenv: only " #")', () => {
      server.writeEnv({ REDIS_PASSWORD: 'abc\t# rotated 2024', OPENAI_API_KEY: 'b # a space before the # is read alike' });
      const { code, output, calls } = server.run(releaseA, 'deploy.sh');
      expect(code).toBe(1);
      expect(output).toContain('.env: the value of REDIS_PASSWORD is followed by a tab and a # comment');
      expect(output).not.toContain('OPENAI_API_KEY');
      expect(steps(calls)).toEqual(['compose version']);
      expect(server.run(releaseA, 'rollback.sh').output).toContain('the value of REDIS_PASSWORD is followed by a tab');
    });

    test('a missing certificate', () => {
      fs.rmSync(path.join(server.site, 'tls', 'privkey.pem'));
      const { code, output } = server.run(releaseA, 'deploy.sh');
      expect(code).toBe(1);
      expect(output).toContain('privkey.pem is missing');
    });

    test('another deploy holding the lock', () => {
      fs.mkdirSync(path.join(server.site, 'releases', '.lock'), { recursive: true });
      const { code, output, calls } = server.run(releaseA, 'deploy.sh');
      expect(code).toBe(1);
      expect(output).toContain('another deploy.sh or rollback.sh is running');
      expect(steps(calls)).toEqual(['compose version']);
    });

    test('a site inside dist/ of a checkout, which the next synth replaces', () => {
      const project = path.join(server.dir, 'checkout');
      const folder = path.join(project, 'dist', 'test');
      fs.mkdirSync(path.join(project, 'config', 'environments'), { recursive: true });
      fs.writeFileSync(path.join(project, 'config', 'environments', 'test.yaml'), 'target: compose\n');
      fs.cpSync(releaseA, folder, { recursive: true });
      fs.copyFileSync(path.join(server.site, '.env'), path.join(folder, '.env'));
      const { spawnSync } = require('child_process') as typeof import('child_process');
      const result = spawnSync('bash', [path.join(folder, 'deploy.sh')], { encoding: 'utf8', env: { PATH: `${server.bin}:${process.env.PATH}`, STANDIN_DIR: server.state } });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is replaced by every npm run synth');
    });
  });
});

import { spawnSync } from 'child_process';
import { POSTGRESQL } from '../../lib/datastores/constants';
import { databaseUrlSecret } from '../../lib/delivery/settings';
import type { Manifest } from '../../lib/synth/render';
import { esoTemplate } from '../support/eso-template';
import { committedEnvironments, find, findAll, manifestsOf } from '../support/env';
import { findTool, missingToolMessage } from '../support/tools';

/**
 * The in-cluster PostgreSQL's DATABASE_URL is built by the ExternalSecret from
 * the role's password, the one store entry the server (POSTGRES_PASSWORD), the
 * backup (PGPASSWORD), the exporter and the API read. Run with the real
 * programs: Go's text/template with sprig (external-secrets' engine) renders
 * it, SQLAlchemy's `make_url` (what the API and alembic read DATABASE_URL
 * with; python3-alembic brings it) reads it back.
 */
const render = esoTemplate();
const python = findTool('alembic');
if (!render) console.warn(`postgresql-url.test: ${missingToolMessage('esoTemplate')}`);
if (!python) console.warn(`postgresql-url.test: ${missingToolMessage('alembic')} (SQLAlchemy)`);

/** Passwords a store may hold: URL delimiters, a space and a "+", quotes, "%", non-ASCII. */
const PASSWORDS = ['a b+c/d@e:f%g#?&=', '"quoted" \'single\' back\\slash ~._-', 'pässwörd-ünïcode', 'plain'];

type Env = { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } };
const containers = (m: Manifest) => (m.spec as any).template?.spec?.containers ?? (m.spec as any).jobTemplate.spec.template.spec.containers;
const variable = (m: Manifest, name: string): Env | undefined => containers(m).flatMap((c: { env?: Env[] }) => c.env ?? []).find((e: Env) => e.name === name);

const environments = committedEnvironments().filter((e) => e.target === 'kubernetes' && e.datastores.mode === 'in-cluster' && e.externalSecrets.enabled);

describe.each(environments.map((e) => [e.name, e] as const))('%s: DATABASE_URL of the in-cluster PostgreSQL', (_name, env) => {
  const manifests = manifestsOf(env);
  const password = env.datastores.postgresql.password;
  const secret = find(manifests, 'ExternalSecret', password.name).spec as { data: { secretKey: string }[]; target: { template: { data: Record<string, string>; mergePolicy: string } } };

  it('comes from the password\'s Secret, which the server, the backup, the exporter, the API and the migration read', () => {
    expect(databaseUrlSecret(env)).toEqual({ name: password.name, key: POSTGRESQL.urlKey });
    const readers = [
      [find(manifests, 'StatefulSet', POSTGRESQL.name), 'POSTGRES_PASSWORD', password],
      [find(manifests, 'Deployment', 'postgresql-exporter'), 'DATA_SOURCE_PASS', password],
      ...findAll(manifests, 'CronJob').map((c) => [c, 'PGPASSWORD', password] as const),
      [find(manifests, 'Deployment', 'ai-odoo-finder'), 'DATABASE_URL', databaseUrlSecret(env)],
      [find(manifests, 'Job', 'ai-odoo-finder-migrate'), 'DATABASE_URL', databaseUrlSecret(env)],
    ] as const;
    expect(readers.length).toBeGreaterThanOrEqual(5);
    for (const [m, name, ref] of readers) expect({ object: `${m.kind}/${m.metadata.name}`, ref: variable(m, name)?.valueFrom?.secretKeyRef }).toEqual({ object: `${m.kind}/${m.metadata.name}`, ref });
    // Only the password is fetched; the URL is written by the template, next to it.
    expect(secret.data.map((d) => d.secretKey)).toEqual([password.key]);
    expect(secret.target.template.mergePolicy).toBe('Merge');
    expect(Object.keys(secret.target.template.data)).toEqual([POSTGRESQL.urlKey]);
  });

  (render && python ? it : it.skip)('any password reaches SQLAlchemy intact, for the role, host, port and database the StatefulSet serves', () => {
    const statefulSet = find(manifests, 'StatefulSet', POSTGRESQL.name);
    const service = find(manifests, 'Service', POSTGRESQL.name);
    const urls = PASSWORDS.map((p) => {
      const result = render!(secret.target.template.data[POSTGRESQL.urlKey], { [password.key]: p });
      if (result.error !== undefined) throw new Error(result.error);
      return result.value!;
    });
    const script = 'import json, sys\nfrom sqlalchemy.engine import make_url\nfor line in sys.stdin:\n    u = make_url(line.rstrip("\\n"))\n    print(json.dumps([u.drivername, u.username, u.password, u.host, u.port, u.database]))';
    const run = spawnSync(python!, ['-c', script], { input: urls.map((u) => `${u}\n`).join(''), encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const parsed = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const port = (service.spec as { ports: { port: number }[] }).ports[0].port;
    expect(parsed).toEqual(
      PASSWORDS.map((p) => ['postgresql', variable(statefulSet, 'POSTGRES_USER')?.value, p, service.metadata.name, port, variable(statefulSet, 'POSTGRES_DB')?.value]),
    );
  });

  (render ? it : it.skip)('an empty password in the store fails the template instead of writing a URL', () => {
    const result = render!(secret.target.template.data[POSTGRESQL.urlKey], { [password.key]: '' });
    expect(result.error).toContain('empty');
    expect(result.value).toBeUndefined();
  });
});

test('some committed environment runs an in-cluster PostgreSQL with external-secrets (the cases above are not empty)', () => {
  expect(environments.length).toBeGreaterThan(0);
});

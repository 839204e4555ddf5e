import { Environment } from '../../config/schema';
import { SecretKeyReference } from '../secrets/secret-key';
import { POSTGRESQL } from './constants';
import { encodedPassword, failIfEmpty } from './url-template';

/**
 * The API's DATABASE_URL for the in-cluster PostgreSQL, as a template of the
 * ExternalSecret that fetches the role's password: one store entry for the
 * server (POSTGRES_PASSWORD), the backup, the exporter and the API, so they
 * cannot drift apart, and any character may be in the password.
 * `__tests__/delivery/postgresql-url.test.ts` runs it with Go's text/template
 * and sprig, and reads the URL with SQLAlchemy.
 */
export function postgresqlUrlTemplate(env: Pick<Environment, 'datastores'>): string {
  const { user, database, password } = env.datastores.postgresql;
  return (
    failIfEmpty(password.key, 'the PostgreSQL image refuses to create a database without a password') +
    `postgresql://${user}:${encodedPassword(password.key)}@${POSTGRESQL.name}:${POSTGRESQL.port}/${database}`
  );
}

/** Where the API and the migration find DATABASE_URL for the in-cluster PostgreSQL: key `url` of the password's Secret. */
export function inClusterDatabaseUrl(env: Pick<Environment, 'datastores'>): SecretKeyReference {
  return { name: env.datastores.postgresql.password.name, key: POSTGRESQL.urlKey };
}

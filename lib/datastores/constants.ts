import { WorkloadIdentity } from '../labels';

/** Facts about the in-cluster PostgreSQL image (pgvector/pgvector, built on the Debian postgres image). */
export const POSTGRESQL = {
  /** StatefulSet, headless Service, PDB and NetworkPolicy name; also the host name in DATABASE_URL. */
  name: 'postgresql',
  identity: { name: 'postgresql', component: 'database' } satisfies WorkloadIdentity,
  port: 5432,
  portName: 'postgresql',
  /** The image's `postgres` user and group (Debian postgres image: uid 999, gid 999). */
  uid: 999,
  dataPath: '/var/lib/postgresql/data',
  /** A subdirectory: the volume's root may hold lost+found, which initdb refuses. */
  pgdata: '/var/lib/postgresql/data/pgdata',
  /** The SQL the image runs when it creates the database (an empty volume): the pgvector extension the API needs. */
  initSql: 'CREATE EXTENSION IF NOT EXISTS vector;',
  /** Where the image's docker-entrypoint.sh looks for those scripts. */
  initDir: '/docker-entrypoint-initdb.d',
  /** Key of the password's Secret that holds the API's DATABASE_URL, password included. */
  urlKey: 'url',
} as const;

/** Facts about the in-cluster Redis image (redis:*-alpine). */
export const REDIS = {
  /** StatefulSet, headless Service, PDB and NetworkPolicy name; also the host name in REDIS_URL. */
  name: 'redis',
  identity: { name: 'redis', component: 'cache' } satisfies WorkloadIdentity,
  port: 6379,
  portName: 'redis',
  /** The alpine image's `redis` user is uid 999 (its group is 1000; we run with group 999 and fsGroup 999). */
  uid: 999,
  dataPath: '/data',
  /** The variable of the Redis container that holds the password; `--requirepass $(REDIS_PASSWORD)` reads it (Kubernetes expands `$(VAR)` in args). */
  passwordVariable: 'REDIS_PASSWORD',
  /** Key of the password's Secret that holds the API's REDIS_URL, password included. */
  urlKey: 'url',
  /** Database number the API uses (the `/0` of REDIS_URL). */
  database: 0,
} as const;

/** The backup CronJob of the in-cluster PostgreSQL. */
export const BACKUP = {
  name: 'postgresql-backup',
  identity: { name: 'postgresql', component: 'backup' } satisfies WorkloadIdentity,
  /** Mount path of the backup volume, in the CronJob's pods and (read-only) in PostgreSQL's. */
  path: '/backups',
  /** Name of that volume in both pod templates. */
  volumeName: 'backups',
} as const;

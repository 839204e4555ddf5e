import { Environment } from '../../config/schema';
import { SHUTDOWN_SECONDS } from '../api/serving';
import { API, API_VARIABLES } from '../api/constants';
import { apiPlainSettings } from '../api/settings';
import { POSTGRESQL, REDIS } from '../datastores/constants';
import { imageReference } from '../image';
import { createHash } from 'node:crypto';
import { COMPOSE_FILES, generatedNote, NGINX, NGINX_CONF_HASH_LABEL, SERVICES } from './constants';
import { nginxConf } from './nginx-conf';
import { composeResources } from './resources';
import { required } from './variables';

/** A service of the Compose file (the keys this project writes). */
export type ComposeService = Record<string, unknown>;

/** The Compose file of an environment, as a plain object (Compose Specification, no `version:`). */
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, Record<string, never>>;
}

/** Docker health checks: the same endpoints and timings as the Kubernetes probes (a test compares them). */
const HEALTH = {
  /** Both probe paths of the API (Docker has one health check a container); the readiness probe's timings, the liveness delay as grace. */
  api: { interval: '5s', timeout: '3s', retries: 3, start_period: '30s' },
  /** The readiness probe's timings; the startup probe's 60 × 5 s as grace for initdb. */
  postgresql: { interval: '5s', timeout: '3s', retries: 3, start_period: '300s' },
  redis: { interval: '5s', timeout: '3s', retries: 3, start_period: '10s' },
  nginx: { interval: '10s', timeout: '3s', retries: 3, start_period: '5s' },
} as const;

const API_HEALTH_CHECK = `import urllib.request; [urllib.request.urlopen("http://127.0.0.1:${API.containerPort}" + p, timeout=3) for p in ("${API.livenessPath}", "${API.readinessPath}")]`;

/** Settings every service shares: restart, no privileges, a read-only root, bounded logs and processes. */
function hardened(uid: number, gid: number = uid): ComposeService {
  return {
    user: `${uid}:${gid}`,
    read_only: true,
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    restart: 'unless-stopped',
    pids_limit: 512,
    // One server's disk: the json-file log of a container is rotated, not kept forever.
    logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '5' } },
  };
}

const healthy = { condition: 'service_healthy' };

/**
 * nginx's health check, for every variant of compose.nginxImage: the alpine
 * images have busybox wget, the Debian ones curl and no wget
 * (nginxinc/docker-nginx-unprivileged stable/debian/Dockerfile installs only
 * nginx, gettext-base and curl). nginx.test runs it with either alone.
 */
export function nginxHealthCheck(): string {
  const url = `http://127.0.0.1:${NGINX.httpPort}${NGINX.healthPath}`;
  return `wget -q -O /dev/null ${url} || curl -fsS -o /dev/null ${url}`;
}

/** The API's DATABASE_URL and REDIS_URL: the passwords from `.env` go into them as they are (Compose cannot URL-encode). */
export function datastoreUrls(env: Environment): { databaseUrl: string; redisUrl: string } {
  const { postgresql } = env.datastores;
  return {
    databaseUrl: `postgresql://${postgresql.user}:${required('POSTGRES_PASSWORD')}@${SERVICES.postgresql}:${POSTGRESQL.port}/${postgresql.database}`,
    redisUrl: `redis://:${required('REDIS_PASSWORD')}@${SERVICES.redis}:${REDIS.port}/0`,
  };
}

/**
 * The stack of one `target: compose` environment: the API, PostgreSQL with
 * pgvector, Redis with a password, and nginx, the only service that publishes
 * ports. Every service runs as a non-root user on a read-only root with all
 * capabilities dropped, has a health check and resource limits.
 *
 * @param nginxConfText the text of the folder's nginx.conf (default: the one
 *   synth writes); its hash labels the nginx service, so that Compose recreates
 *   nginx when it changes.
 */
export function composeFile(env: Environment, nginxConfText: string = nginxConf(env, [generatedNote(env)])): ComposeFile {
  const { postgresql, redis } = env.datastores;
  const labels = Object.keys(env.labels).length > 0 ? { labels: env.labels } : {};
  const { databaseUrl, redisUrl } = datastoreUrls(env);
  const pgReady = ['pg_isready', '--host=127.0.0.1', `--port=${POSTGRESQL.port}`, `--username=${postgresql.user}`, `--dbname=${postgresql.database}`];
  // The password goes to a 0600 file on the tmpfs, not to the command line, which `ps` shows.
  const redisStart = [
    'umask 077',
    'printf "requirepass %s\\n" "$$REDIS_PASSWORD" > /tmp/redis.conf',
    `exec redis-server /tmp/redis.conf --port ${REDIS.port} --dir ${REDIS.dataPath} --appendonly yes --maxmemory ${redis.maxMemory} --maxmemory-policy allkeys-lru`,
  ].join(' && ');
  const published = (hostPort: number, containerPort: number) => `${env.compose.listenAddress}:${hostPort}:${containerPort}`;

  return {
    services: {
      [SERVICES.postgresql]: {
        image: postgresql.image,
        ...hardened(POSTGRESQL.uid),
        environment: {
          POSTGRES_DB: postgresql.database,
          POSTGRES_USER: postgresql.user,
          POSTGRES_PASSWORD: required('POSTGRES_PASSWORD'),
          PGDATA: POSTGRESQL.pgdata,
        },
        volumes: [
          { type: 'volume', source: 'postgresql-data', target: POSTGRESQL.dataPath },
          { type: 'bind', source: `./${COMPOSE_FILES.postgresInit}`, target: `${POSTGRESQL.initDir}/10-pgvector.sql`, read_only: true },
        ],
        tmpfs: ['/var/run/postgresql:size=16m', '/tmp:size=256m'],
        shm_size: '256m',
        healthcheck: { test: ['CMD', ...pgReady], ...HEALTH.postgresql },
        stop_grace_period: '60s',
        ...composeResources(postgresql.resources),
        ...labels,
      },
      [SERVICES.redis]: {
        image: redis.image,
        ...hardened(REDIS.uid),
        command: ['sh', '-c', redisStart],
        environment: { REDIS_PASSWORD: required('REDIS_PASSWORD') },
        volumes: [{ type: 'volume', source: 'redis-data', target: REDIS.dataPath }],
        tmpfs: ['/tmp:size=16m'],
        healthcheck: {
          test: ['CMD-SHELL', `REDISCLI_AUTH="$$REDIS_PASSWORD" redis-cli -e -h 127.0.0.1 -p ${REDIS.port} ping | grep -q PONG`],
          ...HEALTH.redis,
        },
        ...composeResources(redis.resources),
        ...labels,
      },
      [SERVICES.api]: {
        image: imageReference(env.image),
        ...hardened(API.uid),
        environment: {
          ...apiPlainSettings(env),
          [API_VARIABLES.databaseUrl]: databaseUrl,
          [API_VARIABLES.redisUrl]: redisUrl,
          [API_VARIABLES.anthropicApiKey]: required(API_VARIABLES.anthropicApiKey),
          [API_VARIABLES.openaiApiKey]: required(API_VARIABLES.openaiApiKey),
        },
        tmpfs: ['/tmp:size=256m', '/app/logs:size=512m'],
        depends_on: { [SERVICES.postgresql]: healthy, [SERVICES.redis]: healthy },
        healthcheck: { test: ['CMD', 'python3', '-c', API_HEALTH_CHECK], ...HEALTH.api },
        // uvicorn finishes in-flight searches after SIGTERM, then the app cleans up (the Deployment's shutdown time).
        stop_grace_period: `${SHUTDOWN_SECONDS}s`,
        ...composeResources(env.resources),
        ...labels,
      },
      [SERVICES.nginx]: {
        image: env.compose.nginxImage,
        ...hardened(NGINX.uid),
        ports: [published(env.compose.httpPort, NGINX.httpPort), published(env.compose.httpsPort, NGINX.httpsPort)],
        volumes: [
          { type: 'bind', source: `./${COMPOSE_FILES.nginx}`, target: '/etc/nginx/nginx.conf', read_only: true },
          { type: 'bind', source: required('TLS_DIR'), target: NGINX.tlsPath, read_only: true },
        ],
        tmpfs: ['/tmp:size=64m'],
        depends_on: { [SERVICES.api]: healthy },
        healthcheck: { test: ['CMD-SHELL', nginxHealthCheck()], ...HEALTH.nginx },
        ...composeResources(NGINX.resources),
        labels: { ...env.labels, [NGINX_CONF_HASH_LABEL]: nginxConfSha256(nginxConfText) },
      },
    },
    volumes: { 'postgresql-data': {}, 'redis-data': {} },
  };
}

/** The value of the nginx service's NGINX_CONF_HASH_LABEL for a given nginx.conf. */
export function nginxConfSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

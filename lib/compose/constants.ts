import { ResourceSettings } from '../resources';

/** The files of a Compose environment's dist/<env>/ folder. */
export const COMPOSE_FILES = {
  compose: 'docker-compose.yml',
  nginx: 'nginx.conf',
  envExample: '.env.example',
  postgresInit: 'postgres-init.sql',
  deploy: 'deploy.sh',
  rollback: 'rollback.sh',
} as const;

/** Files a release is made of: deploy.sh records a copy of them, rollback.sh starts that copy again. */
export const RELEASE_FILES = [COMPOSE_FILES.compose, COMPOSE_FILES.nginx, COMPOSE_FILES.postgresInit] as const;

/** Service names of the stack; the API and datastores answer to these host names on the stack's network. */
export const SERVICES = { api: 'api', postgresql: 'postgresql', redis: 'redis', nginx: 'nginx' } as const;

/** Facts about the nginx-unprivileged image (nginxinc/docker-nginx-unprivileged: uid 101, ports 8080/8443, pid and temp files in /tmp). */
export const NGINX = {
  uid: 101,
  httpPort: 8080,
  httpsPort: 8443,
  /** Where the TLS_DIR of the server is mounted, read-only. */
  tlsPath: '/etc/nginx/tls',
  certificate: 'fullchain.pem',
  privateKey: 'privkey.pem',
  /** Under TLS_DIR: the webroot of ACME HTTP-01 challenges (certbot --webroot -w $TLS_DIR/acme). */
  acmeWebroot: 'acme',
  /** Answered by nginx itself, for its own health check. */
  healthPath: '/healthz',
  resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } } satisfies ResourceSettings,
} as const;

/** Docker's embedded DNS server, on every user-defined network: nginx asks it for the api container's current address. */
export const DOCKER_DNS = '127.0.0.11';

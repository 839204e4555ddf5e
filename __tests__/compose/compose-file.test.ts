import { parse } from 'yaml';
import { API } from '../../lib/api/constants';
import { composeFile, ComposeService } from '../../lib/compose/compose-file';
import { COMPOSE_FILES, SERVICES } from '../../lib/compose/constants';
import { renderComposeFolder } from '../../lib/compose/render';
import { composeResources } from '../../lib/compose/resources';
import { referencedVariables, STACK_VARIABLES } from '../../lib/compose/variables';
import { imageReference } from '../../lib/image';
import { committedEnvironment, find, manifestsOf, minimalEnvironment } from '../support/env';
import { composeEnvironment } from './support/scripts';

type Probe = { periodSeconds: number; timeoutSeconds: number; failureThreshold: number; initialDelaySeconds?: number; exec?: { command: string[] } };
type Container = { name: string; env?: { name: string }[]; readinessProbe: Probe; livenessProbe: Probe; startupProbe?: Probe };

const local = committedEnvironment('local');
const stack = composeFile(local);
const services = Object.entries(stack.services);
const seconds = (d: unknown) => Number(String(d).replace(/s$/, ''));

/** The same settings on Kubernetes, to compare the two targets. */
const kubernetes = manifestsOf(minimalEnvironment({ datastores: { mode: 'in-cluster' }, app: { logLevel: local.app.logLevel } }));
const container = (kind: string, name: string) => (find(kubernetes, kind, name).spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0];

describe('the Compose file of the local environment', () => {
  test('a small record of the API service', () => {
    expect(stack.services[SERVICES.api]).toMatchSnapshot();
  });

  test('only nginx publishes ports, on the configured address; PostgreSQL and Redis are reached over the stack network only', () => {
    expect.assertions(services.length + 1);
    for (const [name, service] of services) {
      if (name === SERVICES.nginx) expect(service.ports).toEqual(['127.0.0.1:8080:8080', '127.0.0.1:8443:8443']);
      else expect(service).not.toHaveProperty('ports');
    }
    expect(JSON.stringify(stack)).not.toMatch(/5432:|6379:|network_mode/);
  });

  test('every service: non-root, read-only root, no capabilities, no privilege escalation, a health check, limits, restarts', () => {
    expect(services).toHaveLength(4);
    for (const [, service] of services) {
      expect(String(service.user)).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/);
      expect(service).toMatchObject({ read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'], restart: 'unless-stopped' });
      expect((service.healthcheck as { test: string[] }).test[0]).toMatch(/^CMD/);
      expect(service).toHaveProperty('mem_limit');
      expect(service).toHaveProperty('cpus');
    }
  });

  test('the API runs as uid 1000 with tmpfs for /tmp and /app/logs, its pinned image, after healthy datastores', () => {
    const api = stack.services[SERVICES.api];
    expect(api.user).toBe(`${API.uid}:${API.uid}`);
    expect(api.image).toBe(imageReference(local.image));
    expect(api.image).toMatch(/:1\.4\.2$/);
    expect(api.tmpfs).toEqual(['/tmp:size=256m', '/app/logs:size=512m']);
    expect(api.depends_on).toEqual({ postgresql: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(JSON.stringify(stack)).not.toContain(':latest');
  });

  test('the API health check asks /health and /ready with python3 (the image may have no curl), with the probes\' timings', () => {
    const check = stack.services[SERVICES.api].healthcheck as Record<string, unknown> & { test: string[] };
    expect(check.test.slice(0, 3)).toEqual(['CMD', 'python3', '-c']);
    expect(check.test[3]).toContain(`"${API.livenessPath}", "${API.readinessPath}"`);
    const { readinessProbe, livenessProbe } = container('Deployment', API.name);
    expect(seconds(check.interval)).toBe(readinessProbe.periodSeconds);
    expect(seconds(check.timeout)).toBe(readinessProbe.timeoutSeconds);
    expect(check.retries).toBe(readinessProbe.failureThreshold);
    expect(seconds(check.start_period)).toBe(livenessProbe.initialDelaySeconds);
  });

  test('the datastores\' health checks are their Kubernetes readiness probes; PostgreSQL gets the startup probe\'s time', () => {
    const pg = container('StatefulSet', 'postgresql');
    const pgCheck = stack.services[SERVICES.postgresql].healthcheck as Record<string, unknown> & { test: string[] };
    expect(pgCheck.test).toEqual(['CMD', ...pg.readinessProbe.exec!.command]);
    expect([seconds(pgCheck.interval), seconds(pgCheck.timeout), pgCheck.retries]).toEqual([pg.readinessProbe.periodSeconds, pg.readinessProbe.timeoutSeconds, pg.readinessProbe.failureThreshold]);
    expect(seconds(pgCheck.start_period)).toBe(pg.startupProbe!.periodSeconds * pg.startupProbe!.failureThreshold);
    const redis = container('StatefulSet', 'redis');
    const redisCheck = stack.services[SERVICES.redis].healthcheck as Record<string, unknown> & { test: string[] };
    expect(redisCheck.test[1]).toContain(redis.readinessProbe.exec!.command.join(' '));
    expect([seconds(redisCheck.interval), seconds(redisCheck.timeout), redisCheck.retries]).toEqual([redis.readinessProbe.periodSeconds, redis.readinessProbe.timeoutSeconds, redis.readinessProbe.failureThreshold]);
  });

  test('the API gets the same variables as on Kubernetes; secrets come from the .env file', () => {
    const env = stack.services[SERVICES.api].environment as Record<string, string>;
    const configMap = find(kubernetes, 'ConfigMap', `${API.name}-config`).data as Record<string, string>;
    for (const [key, value] of Object.entries(configMap).filter(([k]) => k !== 'REDIS_URL')) expect(env[key]).toBe(value);
    for (const { name } of container('Deployment', API.name).env ?? []) expect(env).toHaveProperty(name);
    expect(env.REDIS_URL).toBe('redis://:${REDIS_PASSWORD:?REDIS_PASSWORD is not set: fill in the .env file (see .env.example)}@redis:6379/0');
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/odoo_finder:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgresql:5432\/odoo_finder$/);
    for (const key of ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY']) expect(env[key]).toMatch(new RegExp(`^\\$\\{${key}:\\?`));
  });

  test('Redis requires the password from the .env file and never has it on its command line', () => {
    const redis = stack.services[SERVICES.redis];
    expect(redis.environment).toEqual({ REDIS_PASSWORD: expect.stringMatching(/^\$\{REDIS_PASSWORD:\?/) });
    const command = (redis.command as string[]).join(' ');
    expect(command).toContain('requirepass');
    expect(command).toContain('"$$REDIS_PASSWORD" > /tmp/redis.conf');
    expect(command).toMatch(/exec redis-server \/tmp\/redis.conf/);
  });

  test('pgvector is created by the init script, which PostgreSQL runs on an empty volume; data lives in named volumes', () => {
    const files = renderComposeFolder(local);
    expect(files.get(COMPOSE_FILES.postgresInit)).toContain('CREATE EXTENSION IF NOT EXISTS vector;');
    expect(stack.services[SERVICES.postgresql].volumes).toContainEqual({ type: 'bind', source: './postgres-init.sql', target: '/docker-entrypoint-initdb.d/10-pgvector.sql', read_only: true });
    expect(Object.keys(stack.volumes).sort()).toEqual(['postgresql-data', 'redis-data']);
  });

  test('.env.example lists exactly the variables the Compose file reads, names only', () => {
    const files = renderComposeFolder(local);
    const example = files.get(COMPOSE_FILES.envExample)!;
    const lines = example.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines).toEqual(STACK_VARIABLES.map((v) => `${v.name}=`));
    expect(referencedVariables(files.get(COMPOSE_FILES.compose)!)).toEqual(STACK_VARIABLES.map((v) => v.name).sort());
  });

  test('the YAML means the same to a YAML 1.1 reader (docker-compose 1.x) as to a YAML 1.2 one', () => {
    const text = renderComposeFolder(local).get(COMPOSE_FILES.compose)!;
    expect(parse(text, { version: '1.1' })).toEqual(JSON.parse(JSON.stringify(stack)));
    expect(parse(text, { version: '1.2' })).toEqual(JSON.parse(JSON.stringify(stack)));
  });
});

describe('Kubernetes resources as Compose keys', () => {
  test('limits, reservations and CPU shares (the kubelet\'s 1024 a CPU)', () => {
    expect(composeResources({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } })).toEqual({ cpus: 0.5, mem_limit: '1g', mem_reservation: '512m', cpu_shares: 256 });
    expect(composeResources({ requests: { cpu: '1m', memory: '1536Mi' }, limits: { cpu: '2', memory: '1G' } })).toEqual({ cpus: 2, mem_limit: '1000000000b', mem_reservation: '1536m', cpu_shares: 2 });
  });
});

describe('other settings map across', () => {
  const service = (overrides: Record<string, unknown>, name: string): ComposeService => composeFile(composeEnvironment(overrides)).services[name];

  test('a digest pins the API image; datastore images and resources come from datastores.*', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(service({ image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0', digest } }, SERVICES.api).image).toBe(`ghcr.io/ai-odoofinder/api:1.0.0@${digest}`);
    const db = service({ datastores: { postgresql: { image: 'pgvector/pgvector:0.8.1-pg17', resources: { limits: { memory: '2Gi' } } } } }, SERVICES.postgresql);
    expect(db).toMatchObject({ image: 'pgvector/pgvector:0.8.1-pg17', mem_limit: '2g' });
  });

  test('labels go on every service', () => {
    const stackWithLabels = composeFile(composeEnvironment({ labels: { team: 'search' } }));
    expect.assertions(4);
    for (const s of Object.values(stackWithLabels.services)) expect(s.labels).toMatchObject({ team: 'search' });
  });
});

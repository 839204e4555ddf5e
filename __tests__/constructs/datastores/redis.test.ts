import { Redis, RedisProps } from '../../../lib/datastores/redis';
import { at, expectPropsError, only, RESOURCES, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: RedisProps = {
  ...WORKLOAD,
  metadata: { ...WORKLOAD.metadata, name: 'redis' },
  claimLabels: { 'app.kubernetes.io/name': 'demo' },
  image: 'redis:7.4.1-alpine',
  password: { name: 'cache-credentials', key: 'pass' },
  storage: '1Gi',
  maxMemory: '200mb',
  resources: RESOURCES,
};
const render = (p: Partial<RedisProps> = {}) => synthConstruct((chart) => new Redis(chart, 'Redis', { ...props, ...p }));

describe('Redis', () => {
  const manifests = render();
  const container = at(only(manifests, 'StatefulSet'), 'spec', 'template', 'spec', 'containers', 0);

  it('renders a StatefulSet and its Service', () => {
    expect(manifests).toMatchSnapshot();
  });

  it('keeps an append-only file on the volume and evicts the least recently used keys above maxmemory', () => {
    expect(container.args.join(' ')).toBe(
      'redis-server --port 6379 --dir /data --appendonly yes --requirepass $(REDIS_PASSWORD) --protected-mode yes --maxmemory 200mb --maxmemory-policy allkeys-lru',
    );
  });

  it('requires the password of the Secret key, which the probe logs in with and checks the answer (-e)', () => {
    const fromSecret = { valueFrom: { secretKeyRef: { name: 'cache-credentials', key: 'pass' } } };
    expect(container.env).toEqual([
      { name: 'REDIS_PASSWORD', ...fromSecret },
      { name: 'REDISCLI_AUTH', ...fromSecret },
    ]);
    expect(container.readinessProbe.exec.command).toEqual(['redis-cli', '-e', '-h', '127.0.0.1', '-p', '6379', 'ping']);
  });

  it('refuses a maxmemory Redis would not read and bad storage', () => {
    expectPropsError(() => render({ maxMemory: '200 MB' }), 'Redis', 'maxMemory');
    expectPropsError(() => render({ storage: 'big' }), 'Redis', 'storage');
    expectPropsError(() => render({ password: { name: 'Cache', key: 'pass' } }), 'Redis', 'password.name');
  });
});

import { Redis, RedisProps } from '../../../lib/datastores/redis';
import { at, expectPropsError, only, RESOURCES, synthConstruct, WORKLOAD } from '../../support/constructs';

const props: RedisProps = {
  ...WORKLOAD,
  metadata: { ...WORKLOAD.metadata, name: 'redis' },
  claimLabels: { 'app.kubernetes.io/name': 'demo' },
  image: 'redis:7.4.1-alpine',
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
    expect(container.args.join(' ')).toBe('redis-server --port 6379 --dir /data --appendonly yes --protected-mode no --maxmemory 200mb --maxmemory-policy allkeys-lru');
    expect(container.readinessProbe.exec.command).toEqual(['redis-cli', '-h', '127.0.0.1', '-p', '6379', 'ping']);
  });

  it('refuses a maxmemory Redis would not read and bad storage', () => {
    expectPropsError(() => render({ maxMemory: '200 MB' }), 'Redis', 'maxMemory');
    expectPropsError(() => render({ storage: 'big' }), 'Redis', 'storage');
  });
});
